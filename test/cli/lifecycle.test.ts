/**
 * `aftershock promote` and `aftershock rollback` against a real store (SQLite, and PostgreSQL when reachable):
 * promotion with passing gates, refusal (exit 2, failing gates listed, nothing changed) without --reason when a
 * gate fails or the run is partial or recorded no gates, override with --reason recorded in the audit log as
 * `cli:<user>@<host>`, rollback re-activating the previous run, and every refusal's exit code and message.
 */
import { describe, expect, it } from 'vitest';
import { cliActor } from '../../src/cli/actor.ts';
import { createRun, getActivePointer, getRun, listAudit, listRuns, promoteRun } from '../../src/store/index.ts';
import type { Store } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { runInput } from '../store/helpers.ts';
import { GREEN, jsonOf, RED, storedRun, useCliDatabase } from './helpers.ts';

async function statuses(store: Store): Promise<Record<string, string>> {
  return Object.fromEntries((await listRuns(store)).map((r) => [r.id, r.status]));
}

describe.each(BACKENDS)('aftershock promote / rollback on %s', async (backend) => {
  const skip = await skipBackend(backend, 'cli lifecycle');
  describe.skipIf(skip)(backend, () => {
    const ctx = useCliDatabase(backend);

    it('promotes a run whose gates pass, as cli:<user>@<host>, and reports it', async () => {
      await storedRun(ctx.store, 'r1');
      const r = await ctx.cli(['promote', 'r1']);
      expect(r.code).toBe(0);
      expect(r.err).toEqual([]);
      expect(r.out).toEqual(['promoted r1: now the active calibration (previous: none)', `  audit #1 by ${cliActor()}`]);
      expect(cliActor()).toMatch(/^cli:[^@]+@.+$/);
      expect((await getActivePointer(ctx.store)).runId).toBe('r1');
      const [entry] = await listAudit(ctx.store, { action: 'promote' });
      expect(entry).toMatchObject({ actor: cliActor(), target: 'r1', reason: null, details: { gates: GREEN, failedGates: [] } });
    });

    it('refuses a failing gate without --reason (exit 2, gates listed, nothing changed), then overrides it with --reason', async () => {
      await storedRun(ctx.store, 'r1');
      await promoteRun(ctx.store, 'r1', { actor: 'setup', gates: GREEN });
      await storedRun(ctx.store, 'red', { gates: RED });
      const before = await statuses(ctx.store);

      const refused = await ctx.cli(['promote', 'red']);
      expect(refused.code).toBe(2);
      expect(refused.out).toEqual([]);
      expect(refused.err).toEqual([
        'error: run red is not promoted: 1 gate(s) fail',
        '  backtest-zone: red: 11 exceptions in 250',
        'promote it anyway with --reason <text> (recorded in the audit log)',
      ]);
      const blank = await ctx.cli(['promote', 'red', '--reason', '   ', '--json']);
      expect(blank.code).toBe(2);
      expect(jsonOf(blank)).toEqual({
        error: {
          type: 'CliInputError', message: expect.stringContaining('run red is not promoted') as unknown, code: 'gates-failed', runId: 'red',
          failingGates: [{ name: 'backtest-zone', passed: false, detail: 'red: 11 exceptions in 250' }],
        },
      });
      expect(await statuses(ctx.store)).toEqual(before);
      expect(await listAudit(ctx.store, { action: 'promote' })).toHaveLength(1);

      const forced = await ctx.cli(['--json', 'promote', 'red', '--reason', 'red zone driven by the incident window itself']);
      expect(forced.code).toBe(0);
      expect(jsonOf(forced)).toMatchObject({
        promoted: 'red', previousActiveRunId: 'r1', generation: 2, actor: cliActor(), reason: 'red zone driven by the incident window itself',
        overriddenGates: ['backtest-zone'], gates: RED,
      });
      expect(await statuses(ctx.store)).toEqual({ r1: 'superseded', red: 'active' });
      const audit = await listAudit(ctx.store, { target: 'red', action: 'promote' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: cliActor(), reason: 'red zone driven by the incident window itself',
        details: { previousActiveRunId: 'r1', gates: RED, failedGates: ['backtest-zone'], generation: 2 },
      });
    });

    it('a partial run and a run that recorded no gates need --reason too', async () => {
      await storedRun(ctx.store, 'partial', { failures: [{ stage: 'margin', object: 'acct-7', reason: 'unknown instrument' }] });
      const p = await ctx.cli(['promote', 'partial']);
      expect(p.code).toBe(2);
      expect(p.err).toContain('  complete: 1 per-object failure(s)');
      await storedRun(ctx.store, 'nogates', { gates: null });
      const n = await ctx.cli(['promote', 'nogates']);
      expect(n.code).toBe(2);
      expect(n.err).toContain('  gates-recorded: the run recorded no promotion gates (summary.gates)');
      expect((await getActivePointer(ctx.store)).runId).toBeNull();
      const ok = await ctx.cli(['promote', 'partial', '--reason', 'acct-7 handled manually']);
      expect(ok.code).toBe(0);
      expect(ok.out[1]).toBe('  gates overridden: complete (reason: acct-7 handled manually)');
    });

    it('rollback re-activates the previous run and records who and why', async () => {
      await storedRun(ctx.store, 'r1');
      expect((await ctx.cli(['promote', 'r1'])).code).toBe(0);
      await storedRun(ctx.store, 'r2');
      expect((await ctx.cli(['promote', 'r2'])).code).toBe(0);
      expect(await getRun(ctx.store, 'r2')).toMatchObject({ status: 'active', previousActiveRunId: 'r1' });

      const r = await ctx.cli(['rollback', '--reason', 'desk reports wrong margins']);
      expect(r.code).toBe(0);
      expect(r.out[0]).toBe('rolled back r2: r1 is the active calibration again');
      expect(await statuses(ctx.store)).toEqual({ r1: 'active', r2: 'rolled-back' });
      expect((await getActivePointer(ctx.store)).runId).toBe('r1');
      const [entry] = await listAudit(ctx.store, { action: 'rollback' });
      expect(entry).toMatchObject({ actor: cliActor(), target: 'r1', reason: 'desk reports wrong margins', details: { rolledBackRunId: 'r2' } });

      // r1 superseded nothing: a second rollback is refused and changes nothing
      const again = await ctx.cli(['rollback', '--json']);
      expect(again.code).toBe(2);
      expect(jsonOf(again)).toMatchObject({ error: { type: 'RunLifecycleError', code: 'no-previous', runId: 'r1' } });
      expect(await statuses(ctx.store)).toEqual({ r1: 'active', r2: 'rolled-back' });
    });

    it('refusals exit 2 with the reason: unknown run, unpromotable run, nothing active, stale baseline', async () => {
      const unknown = await ctx.cli(['promote', 'nope']);
      expect(unknown).toEqual({ code: 2, out: [], err: ['error: run "nope" not found'] });

      await createRun(ctx.store, runInput('running'));
      const running = await ctx.cli(['promote', 'running', '--reason', 'x']);
      expect(running.code).toBe(2);
      expect(running.err).toEqual(['error: run running is running: only a finished candidate or partial run can be promoted']);

      const none = await ctx.cli(['rollback']);
      expect(none).toEqual({ code: 2, out: [], err: ['error: there is no active calibration to roll back'] });

      // a candidate compared against no active run is refused once another run became active meanwhile
      await storedRun(ctx.store, 'a');
      await storedRun(ctx.store, 'b');
      expect((await ctx.cli(['promote', 'a'])).code).toBe(0);
      const stale = await ctx.cli(['promote', 'b', '--json']);
      expect(stale.code).toBe(2);
      expect(jsonOf(stale)).toMatchObject({ error: { code: 'conflict', runId: 'b' } });
      expect(stale.err[0]).toMatch(/the active calibration is a, expected none/);

      const usage = await ctx.cli(['promote']);
      expect(usage.code).toBe(2);
      expect(usage.err.join('\n')).toMatch(/missing required argument 'runId'/);
    });
  });
});
