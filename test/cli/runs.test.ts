/**
 * `aftershock runs list | show` against a real store (SQLite, and PostgreSQL when one is reachable): the table and
 * the --json document, status filters, the provenance of one run, per-object failures, and the marking of a run
 * whose job stopped heartbeating as interrupted when the CLI opens the store.
 */
import { describe, expect, it } from 'vitest';
import { createRun, getRun, listAudit, promoteRun, putIncident, updateRunProgress } from '../../src/store/index.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { RUN_LEASE_MS } from '../../src/cli/db.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { runInput } from '../store/helpers.ts';
import { GREEN, jsonOf, RED, storedRun, T0, useCliDatabase } from './helpers.ts';

describe.each(BACKENDS)('aftershock runs on %s', async (backend) => {
  const skip = await skipBackend(backend, 'cli runs');
  describe.skipIf(skip)(backend, () => {
    const ctx = useCliDatabase(backend);

    it('an empty store lists no runs (table and JSON)', async () => {
      const r = await ctx.cli(['runs', 'list']);
      expect(r).toMatchObject({ code: 0, err: [] });
      expect(r.out).toHaveLength(1);
      expect(r.out[0]).toMatch(/^0 run\(s\); active: none; database .+ \((sqlite|postgres), flag\)$/);
      const j = jsonOf(await ctx.cli(['runs', 'list', '--json']));
      expect(j).toEqual({ database: { kind: backend, source: 'flag' }, activeRunId: null, runs: [] });
    });

    it('lists runs newest first with status, stage, progress, created, incident and summary figures', async () => {
      await putIncident(ctx.store, { id: 'inc-2026-02-05', title: 'drawdown', kind: 'market-shock', severity: 4, startedAt: T0, document: {} });
      await storedRun(ctx.store, 'r1', { incidentId: 'inc-2026-02-05', summary: { accounts: 3000, totals: { initialMarginUsd: 123456789.5, ratio: 1.23456 } } });
      ctx.clock.advance(60_000);
      await createRun(ctx.store, runInput('r2'));
      await updateRunProgress(ctx.store, 'r2', { stage: 'surfaces', progress: 0.25 });
      const r = await ctx.cli(['runs', 'list']);
      expect(r.code).toBe(0);
      expect(r.out[0]).toMatch(/^ID\s+STATUS\s+STAGE\s+PROGRESS\s+CREATED\s+INCIDENT\s+FIGURES$/);
      expect(r.out[1]).toMatch(/^r2\s+running\s+surfaces\s+25%\s+2026-02-05T00:01:00Z\s+-$/);
      expect(r.out[2]).toMatch(/^r1\s+candidate\s+-\s+100%\s+2026-02-05T00:00:00Z\s+inc-2026-02-05\s+accounts=3,000 totals\.initialMarginUsd=123,456,790 totals\.ratio=1\.235$/);
      expect(r.out[3]).toMatch(/^2 run\(s\); active: none;/);

      const j = jsonOf<{ runs: RunRecord[] }>(await ctx.cli(['--json', 'runs', 'list']));
      expect(j.runs.map((x) => [x.id, x.status, x.stage, x.progress])).toEqual([['r2', 'running', 'surfaces', 0.25], ['r1', 'candidate', null, 1]]);
      expect(j.runs[1]).toEqual(JSON.parse(JSON.stringify(await getRun(ctx.store, 'r1'))));

      const filtered = jsonOf<{ runs: RunRecord[] }>(await ctx.cli(['runs', 'list', '--status', 'candidate,partial', '--json']));
      expect(filtered.runs.map((x) => x.id)).toEqual(['r1']);
      const limited = jsonOf<{ runs: RunRecord[] }>(await ctx.cli(['runs', 'list', '--limit', '1', '--json']));
      expect(limited.runs.map((x) => x.id)).toEqual(['r2']);
    });

    it('bad --status or --limit exits 2 naming the value', async () => {
      const s = await ctx.cli(['runs', 'list', '--status', 'candidate,done']);
      expect(s.code).toBe(2);
      expect(s.err.join('\n')).toMatch(/status must be one of running, .*got "done"/);
      for (const bad of ['0', '-3', '1.5', 'ten', '10001']) {
        const l = await ctx.cli(['runs', 'list', '--limit', bad, '--json']);
        expect(l.code).toBe(2);
        expect(l.err.join('\n')).toContain(`limit must be an integer from 1 to 10000, got "${bad}"`);
        expect(jsonOf<{ error: { type: string } }>(l).error.type).toBe('UsageError');
      }
    });

    it('shows one run in full: provenance, gates, object failures, audit; a partial run exits 0', async () => {
      await storedRun(ctx.store, 'base');
      await promoteRun(ctx.store, 'base', { actor: 'alice', gates: GREEN });
      const failures = [{ stage: 'surfaces', object: 'BTC 2026-03-27', reason: 'fewer than 5 quotes', detail: { quotes: 3 } }];
      await storedRun(ctx.store, 'p1', { gates: RED, failures, report: { json: '{"a":1}', html: '<html></html>' } });
      const r = await ctx.cli(['runs', 'show', 'p1']);
      expect(r.code).toBe(0);
      const text = r.out.join('\n');
      for (const expected of [
        'run p1 (recalibration)',
        'status     partial',
        'baseline   base (active when the run was created)',
        'previous   none',
        'code       0.1.0+abc1234',
        'seed       20260205',
        'chains/after.csv   sha256:bb22',
        'margin/deribit-pm  1.0.0',
        'options: {"asOf":"2026-02-06T00:00:00Z"}',
        'FAIL  backtest-zone: red: 11 exceptions in 250',
        'pass  surface-arbitrage',
        'promotion needs --reason (failing: backtest-zone, complete)',
        'per-object failures: 1',
        'surfaces  BTC 2026-03-27: fewer than 5 quotes {"quotes":3}',
        'owner host-a:4242',
      ]) expect(text).toContain(expected);
      expect(text).toMatch(/report: stored \(json sha256 [0-9a-f]{64}\)/);

      const j = jsonOf<{ run: RunRecord; active: boolean; failingGates: string[]; report: { sha256: string; htmlBytes: number } }>(await ctx.cli(['runs', 'show', 'p1', '--json']));
      expect(j.run).toEqual(JSON.parse(JSON.stringify(await getRun(ctx.store, 'p1'))));
      expect(j.run.objectFailures).toEqual(failures);
      expect(j).toMatchObject({ active: false, failingGates: ['backtest-zone', 'complete'], report: { htmlBytes: 13 } });

      const base = await ctx.cli(['runs', 'show', 'base']);
      expect(base.out[0]).toBe('run base (recalibration) [active calibration]');
      expect(base.out.join('\n')).toMatch(/#1 2026-02-05T00:00:00Z promote by alice/);
    });

    it('an unknown run id exits 2 with the id (text and JSON)', async () => {
      const r = await ctx.cli(['runs', 'show', 'nope']);
      expect(r).toEqual({ code: 2, out: [], err: ['error: run "nope" not found'] });
      const j = await ctx.cli(['runs', 'show', 'nope', '--json']);
      expect(j.code).toBe(2);
      expect(jsonOf(j)).toEqual({ error: { type: 'StoreNotFoundError', message: 'run "nope" not found', code: 'not-found', entity: 'run', id: 'nope' } });
    });

    it('opening the store marks a run whose heartbeat lease expired as interrupted, and only that one', async () => {
      await createRun(ctx.store, runInput('dead'));
      ctx.clock.advance(RUN_LEASE_MS + 1);
      await createRun(ctx.store, runInput('alive'));
      const r = await ctx.cli(['runs', 'list', '--json']);
      expect(r.code).toBe(0);
      expect(r.err).toEqual([`marked 1 run(s) interrupted (no heartbeat for over ${RUN_LEASE_MS / 1000} s): dead`]);
      const runs = jsonOf<{ runs: RunRecord[] }>(r).runs;
      expect(Object.fromEntries(runs.map((x) => [x.id, x.status]))).toEqual({ dead: 'interrupted', alive: 'running' });
      expect((await listAudit(ctx.store, { action: 'interrupt' })).map((a) => a.target)).toEqual(['dead']);
      // a second open finds nothing more to mark
      expect((await ctx.cli(['runs', 'list'])).err).toEqual([]);
    });
  });
});
