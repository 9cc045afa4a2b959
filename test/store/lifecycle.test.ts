import { describe, expect, it } from 'vitest';
import {
  createRun, finishRun, getActivePointer, getActiveRun, getRun, heartbeatRun, listAudit, listRuns, markInterruptedRuns,
  promoteRun, putSurfaces, rollbackCalibration, RunLifecycleError, StoreDataError, updateRunProgress,
} from '../../src/store/index.ts';
import type { PromotionGate, Store } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { T0, finishedRun, runInput, useTestStore } from './helpers.ts';

const GREEN: PromotionGate[] = [
  { name: 'backtest-zone', passed: true, detail: 'green' },
  { name: 'surface-arbitrage', passed: true },
  { name: 'finite-margins', passed: true },
];
const RED: PromotionGate[] = [{ name: 'backtest-zone', passed: false, detail: 'red: 11 exceptions in 250' }, { name: 'finite-margins', passed: true }];

async function statuses(store: Store): Promise<Record<string, string>> {
  const runs = await listRuns(store);
  return Object.fromEntries(runs.map((r) => [r.id, r.status]).sort());
}

/** Expect `promise` to reject with a RunLifecycleError of `code`. */
async function refused(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RunLifecycleError);
  expect((err as RunLifecycleError).code).toBe(code);
}

describe.each(BACKENDS)('calibration lifecycle on %s', async (backend) => {
  const skip = await skipBackend(backend, 'calibration lifecycle');
  describe.skipIf(skip)(backend, () => {
    const ctx = useTestStore(backend);

    it('a run is created running with its provenance, reports progress, and finishes as a candidate', async () => {
      const run = await createRun(ctx.store, runInput('r1', { seed: 'incident-2026-02-05', owner: 'host-a:4242', options: { asOf: 'x' } }));
      expect(run).toMatchObject({
        id: 'r1', kind: 'recalibration', status: 'running', progress: 0, stage: null, createdAt: T0, startedAt: T0, heartbeatAt: T0,
        finishedAt: null, owner: 'host-a:4242', seed: 'incident-2026-02-05', codeVersion: '0.1.0+abc1234', baselineRunId: null,
        inputHashes: { 'chains/before.csv': 'sha256:aa11', 'chains/after.csv': 'sha256:bb22' }, options: { asOf: 'x' },
      });
      expect((await createRun(ctx.store, runInput('r-num'))).seed).toBe(20260205); // number seeds stay numbers
      ctx.clock.advance(1500);
      await updateRunProgress(ctx.store, 'r1', { stage: 'surfaces', progress: 0.25 });
      expect(await getRun(ctx.store, 'r1')).toMatchObject({ stage: 'surfaces', progress: 0.25, heartbeatAt: T0 + 1500 });
      await expect(updateRunProgress(ctx.store, 'r1', { stage: 'surfaces', progress: 1.5 })).rejects.toThrow(StoreDataError);
      ctx.clock.advance(500);
      const done = await finishRun(ctx.store, 'r1', { status: 'candidate', summary: { outputHash: 'sha256:cc33' } });
      expect(done).toMatchObject({ status: 'candidate', progress: 1, finishedAt: T0 + 2000, summary: { outputHash: 'sha256:cc33' }, objectFailures: [] });
      await refused(updateRunProgress(ctx.store, 'r1', { stage: 'late', progress: 1 }), 'not-running');
      await refused(finishRun(ctx.store, 'r1', { status: 'candidate' }), 'not-running');
    });

    it('finishRun keeps statuses consistent: failed needs an error, partial needs failures, candidate has none', async () => {
      await createRun(ctx.store, runInput('r1'));
      await refused(finishRun(ctx.store, 'r1', { status: 'failed' }), 'invalid-transition');
      await refused(finishRun(ctx.store, 'r1', { status: 'partial' }), 'invalid-transition');
      await refused(finishRun(ctx.store, 'r1', { status: 'candidate', objectFailures: [{ stage: 's', object: 'o', reason: 'r' }] }), 'invalid-transition');
      const failure = { stage: 'surfaces', object: 'BTC 2026-03-27', reason: 'fewer than 5 quotes', detail: { quotes: 3 } };
      const partial = await finishRun(ctx.store, 'r1', { status: 'partial', objectFailures: [failure] });
      expect(partial.objectFailures).toEqual([failure]);
      await createRun(ctx.store, runInput('r2'));
      expect(await finishRun(ctx.store, 'r2', { status: 'failed', error: 'chains file missing' })).toMatchObject({ status: 'failed', error: 'chains file missing', progress: 0 });
    });

    it('promotion: exactly one active run; the previous becomes superseded and is linked; audit entries', async () => {
      await finishedRun(ctx.store, 'r1');
      ctx.clock.advance(10);
      const first = await promoteRun(ctx.store, 'r1', { actor: 'alice', gates: GREEN });
      expect(first).toMatchObject({ previousActiveRunId: null, generation: 1 });
      expect(first.active).toMatchObject({ id: 'r1', status: 'active', promotedAt: T0 + 10, previousActiveRunId: null });
      expect((await getActiveRun(ctx.store))?.id).toBe('r1');

      await finishedRun(ctx.store, 'r2'); // baseline r1
      expect((await getRun(ctx.store, 'r2')).baselineRunId).toBe('r1');
      ctx.clock.advance(10);
      const second = await promoteRun(ctx.store, 'r2', { actor: 'bob', gates: GREEN, reason: 'post-incident calibration' });
      expect(second).toMatchObject({ previousActiveRunId: 'r1', generation: 2 });
      expect(await statuses(ctx.store)).toEqual({ r1: 'superseded', r2: 'active' });
      expect(await getRun(ctx.store, 'r1')).toMatchObject({ supersededAt: T0 + 20 });
      expect(await getRun(ctx.store, 'r2')).toMatchObject({ previousActiveRunId: 'r1', promotedAt: T0 + 20 });
      expect(await getActivePointer(ctx.store)).toEqual({ runId: 'r2', generation: 2, changedAt: T0 + 20 });

      const audit = await listAudit(ctx.store, { action: 'promote' });
      expect(audit.map((e) => [e.actor, e.target, e.reason, e.seq])).toEqual([['alice', 'r1', null, first.auditSeq], ['bob', 'r2', 'post-incident calibration', second.auditSeq]]);
      expect(audit[1]?.details).toEqual({ previousActiveRunId: 'r1', gates: GREEN, failedGates: [], generation: 2 });
    });

    it('rollback re-activates the previous calibration, audit-logged; again walks back; then refuses', async () => {
      await refused(rollbackCalibration(ctx.store, { actor: 'ops' }), 'no-active');
      for (const id of ['r1', 'r2', 'r3']) {
        await finishedRun(ctx.store, id);
        await promoteRun(ctx.store, id, { actor: 'alice', gates: GREEN });
      }
      ctx.clock.advance(100);
      const back = await rollbackCalibration(ctx.store, { actor: 'carol', reason: 'margins doubled on desk options' });
      expect(back).toMatchObject({ previousActiveRunId: 'r3', generation: 4 });
      expect(back.active).toMatchObject({ id: 'r2', status: 'active', promotedAt: T0 + 100 });
      expect(await statuses(ctx.store)).toEqual({ r1: 'superseded', r2: 'active', r3: 'rolled-back' });
      const entry = (await listAudit(ctx.store, { action: 'rollback' }))[0];
      expect(entry).toMatchObject({ actor: 'carol', target: 'r2', reason: 'margins doubled on desk options', details: { rolledBackRunId: 'r3', generation: 4 } });

      await refused(rollbackCalibration(ctx.store, { actor: 'carol', expectedActiveRunId: 'r3' }), 'conflict');
      await rollbackCalibration(ctx.store, { actor: 'carol', expectedActiveRunId: 'r2' });
      expect(await statuses(ctx.store)).toEqual({ r1: 'active', r2: 'rolled-back', r3: 'rolled-back' });
      await refused(rollbackCalibration(ctx.store, { actor: 'carol' }), 'no-previous');
      expect((await getActiveRun(ctx.store))?.id).toBe('r1');
      // a rolled-back run is not a candidate any more
      await refused(promoteRun(ctx.store, 'r3', { actor: 'alice', gates: GREEN, expectedActiveRunId: 'r1' }), 'not-promotable');
    });

    it('refused promotions change nothing: running, failed, interrupted, failing gates or partial without reason, stale baseline', async () => {
      await createRun(ctx.store, runInput('running'));
      await refused(promoteRun(ctx.store, 'running', { actor: 'a', gates: GREEN }), 'not-promotable');
      await createRun(ctx.store, runInput('failed'));
      await finishRun(ctx.store, 'failed', { status: 'failed', error: 'boom' });
      await refused(promoteRun(ctx.store, 'failed', { actor: 'a', gates: GREEN }), 'not-promotable');
      await finishedRun(ctx.store, 'red');
      await refused(promoteRun(ctx.store, 'red', { actor: 'a', gates: RED }), 'gates-failed');
      await refused(promoteRun(ctx.store, 'red', { actor: 'a', gates: RED, reason: '   ' }), 'gates-failed');
      await finishedRun(ctx.store, 'partial', [{ stage: 'margin', object: 'acct-7', reason: 'unknown instrument' }]);
      await refused(promoteRun(ctx.store, 'partial', { actor: 'a', gates: GREEN }), 'gates-failed');
      expect(await getActivePointer(ctx.store)).toMatchObject({ runId: null, generation: 0 });
      expect(await listAudit(ctx.store)).toEqual([]);

      const forced = await promoteRun(ctx.store, 'red', { actor: 'a', gates: RED, reason: 'red zone driven by the incident window itself' });
      expect((await listAudit(ctx.store, { action: 'promote' }))[0]).toMatchObject({
        target: 'red', reason: 'red zone driven by the incident window itself', details: { failedGates: ['backtest-zone'] },
      });
      expect(forced.active.status).toBe('active');
      // 'partial' was created while nothing was active: its baseline is stale now
      await refused(promoteRun(ctx.store, 'partial', { actor: 'a', gates: GREEN, reason: 'acct-7 handled manually' }), 'conflict');
      const ok = await promoteRun(ctx.store, 'partial', { actor: 'a', gates: GREEN, reason: 'acct-7 handled manually', expectedActiveRunId: 'red' });
      expect(ok.previousActiveRunId).toBe('red');
      expect((await listAudit(ctx.store, { target: 'partial' }))[0]?.details).toMatchObject({ failedGates: ['complete'] });
      expect(await statuses(ctx.store)).toEqual({ failed: 'failed', partial: 'active', red: 'superseded', running: 'running' });
      await expect(promoteRun(ctx.store, 'nope', { actor: 'a', gates: GREEN })).rejects.toThrow(/run "nope" not found/);
    });

    it('runs left running by a dead process are marked interrupted after the lease; live ones are not', async () => {
      await createRun(ctx.store, runInput('dead'));
      await createRun(ctx.store, runInput('alive'));
      await finishedRun(ctx.store, 'done');
      ctx.clock.advance(50_000);
      await heartbeatRun(ctx.store, 'alive');
      ctx.clock.advance(40_000); // dead: 90 s without heartbeat, alive: 40 s
      expect(await markInterruptedRuns(ctx.store, { leaseMs: 60_000 })).toEqual(['dead']);
      expect(await statuses(ctx.store)).toEqual({ alive: 'running', dead: 'interrupted', done: 'candidate' });
      const dead = await getRun(ctx.store, 'dead');
      expect(dead).toMatchObject({ finishedAt: T0 + 90_000 });
      expect(dead.error).toMatch(/^interrupted: no heartbeat since 2026-02-05T00:00:00.000Z \(lease 60000 ms\)$/);
      expect((await listAudit(ctx.store, { action: 'interrupt' })).map((e) => [e.actor, e.target])).toEqual([['system', 'dead']]);
      // the dead job cannot come back: progress, payloads and promotion are refused
      await refused(updateRunProgress(ctx.store, 'dead', { stage: 'margin', progress: 0.9 }), 'not-running');
      await refused(putSurfaces(ctx.store, 'dead', [{ underlying: 'BTC', model: 'svi', parameters: {} }]), 'not-running');
      await refused(promoteRun(ctx.store, 'dead', { actor: 'a', gates: GREEN }), 'not-promotable');
      expect(await markInterruptedRuns(ctx.store, { leaseMs: 60_000 })).toEqual([]);
    });
  });
});
