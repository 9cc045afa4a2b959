import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  createRun, getActivePointer, getActiveRun, getRun, listAccountMargins, listAudit, listRuns, markInterruptedRuns, promoteRun,
  putAccountMargins, putIncident, RunLifecycleError, StoreBusyError, withTransaction,
} from '../../src/store/index.ts';
import type { AccountMarginInput, PromotionGate, Store } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { T0, finishedRun, runInput, useTestStore } from './helpers.ts';

const GATES: PromotionGate[] = [{ name: 'finite-margins', passed: true }];
const CHILD = fileURLToPath(new URL('./crashChild.ts', import.meta.url));

/** Everything a promotion touches, to compare before and after a failure. */
async function snapshot(store: Store): Promise<unknown> {
  return {
    runs: (await listRuns(store)).map((r) => [r.id, r.status, r.previousActiveRunId, r.promotedAt, r.supersededAt]),
    pointer: await getActivePointer(store),
    audit: await listAudit(store),
  };
}

async function activeRows(store: Store): Promise<string[]> {
  return (await listRuns(store, { status: 'active' })).map((r) => r.id);
}

describe.each(BACKENDS)('concurrency and crashes on %s', async (backend) => {
  const skip = await skipBackend(backend, 'store concurrency');
  describe.skipIf(skip)(backend, () => {
    const ctx = useTestStore(backend);

    it('two concurrent promotions on two connections: exactly one wins, five rounds', async () => {
      const other = await ctx.open();
      for (let round = 0; round < 5; round++) {
        const a = `a${round}`;
        const b = `b${round}`;
        await finishedRun(ctx.store, a);
        await finishedRun(ctx.store, b); // same baseline as a
        const before = (await getActivePointer(ctx.store)).generation;
        const results = await Promise.allSettled([
          promoteRun(ctx.store, a, { actor: 'alice', gates: GATES }),
          promoteRun(other, b, { actor: 'bob', gates: GATES }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(RunLifecycleError);
        expect((lost[0]?.reason as RunLifecycleError).code).toBe('conflict');
        const winner = results[0]?.status === 'fulfilled' ? a : b;
        expect(await activeRows(ctx.store)).toEqual([winner]);
        expect(await getActivePointer(other)).toMatchObject({ runId: winner, generation: before + 1 });
      }
      expect(await listAudit(ctx.store, { action: 'promote' })).toHaveLength(5);
    });

    it('the same run promoted twice at once: one promotion, the other refused as not promotable', async () => {
      const other = await ctx.open();
      await finishedRun(ctx.store, 'r1');
      const results = await Promise.allSettled([
        promoteRun(ctx.store, 'r1', { actor: 'alice', gates: GATES }),
        promoteRun(other, 'r1', { actor: 'bob', gates: GATES }),
      ]);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(lost).toHaveLength(1);
      expect((lost[0]?.reason as RunLifecycleError).code).toBe('not-promotable');
      expect(await listAudit(ctx.store, { action: 'promote' })).toHaveLength(1);
      expect(await getActivePointer(ctx.store)).toMatchObject({ runId: 'r1', generation: 1 });
    });

    it("without the in-process queue the database's own lock decides: still exactly one winner", async () => {
      // SQLite: BEGIN IMMEDIATE on two connections of one process; the second waits out the busy timeout, and the
      // store's retry either gives up (StoreBusyError) or runs it again after the first committed (then `conflict`)
      const s1 = await ctx.open({ inProcessWriteLock: false, busyTimeoutMs: 50 });
      const s2 = await ctx.open({ inProcessWriteLock: false, busyTimeoutMs: 50 });
      await finishedRun(ctx.store, 'a');
      await finishedRun(ctx.store, 'b');
      const results = await Promise.allSettled([
        promoteRun(s1, 'a', { actor: 'alice', gates: GATES }),
        promoteRun(s2, 'b', { actor: 'bob', gates: GATES }),
      ]);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(lost).toHaveLength(1);
      const reason = lost[0]?.reason as Error;
      expect(reason instanceof StoreBusyError || (reason instanceof RunLifecycleError && reason.code === 'conflict')).toBe(true);
      expect(await activeRows(ctx.store)).toHaveLength(1);
      expect(await listAudit(ctx.store, { action: 'promote' })).toHaveLength(1);
    });

    it('a transaction that throws midway leaves everything as it was', async () => {
      await finishedRun(ctx.store, 'r1');
      await promoteRun(ctx.store, 'r1', { actor: 'alice', gates: GATES });
      await finishedRun(ctx.store, 'r2');
      const before = await snapshot(ctx.store);
      const crash = withTransaction(ctx.store, async (tx) => {
        await tx.updateTable('runs').set({ status: 'superseded' }).where('id', '=', 'r1').execute();
        await tx.updateTable('runs').set({ status: 'active' }).where('id', '=', 'r2').execute();
        await tx.insertInto('incidents').values({ id: 'i', title: 't', kind: 'outage', severity: 1, started_at: 0, ended_at: null, patched_at: null, document: '{}', created_at: 0 }).execute();
        throw new Error('simulated crash between writes');
      });
      await expect(crash).rejects.toThrow('simulated crash between writes');
      expect(await snapshot(ctx.store)).toEqual(before);
      expect(await ctx.store.db.selectFrom('incidents').selectAll().execute()).toEqual([]);
    });

    it('a promotion failing at its last write (the audit insert) is rolled back whole', async () => {
      await finishedRun(ctx.store, 'r1');
      await promoteRun(ctx.store, 'r1', { actor: 'alice', gates: GATES });
      await finishedRun(ctx.store, 'r2');
      if (backend === 'sqlite') {
        await sql`create trigger crash_audit before insert on audit_log begin select raise(abort, 'simulated crash at audit'); end`.execute(ctx.store.db);
      } else {
        await sql.raw(`create function crash_audit() returns trigger language plpgsql as $$ begin raise exception 'simulated crash at audit'; end $$`).execute(ctx.store.db);
        await sql`create trigger crash_audit before insert on audit_log for each row execute function crash_audit()`.execute(ctx.store.db);
      }
      const before = await snapshot(ctx.store);
      await expect(promoteRun(ctx.store, 'r2', { actor: 'bob', gates: GATES })).rejects.toThrow(/simulated crash at audit/);
      expect(await snapshot(ctx.store)).toEqual(before);
      expect((await getActiveRun(ctx.store))?.id).toBe('r1');
      await sql.raw(backend === 'sqlite' ? 'drop trigger crash_audit' : 'drop trigger crash_audit on audit_log').execute(ctx.store.db);
      expect((await promoteRun(ctx.store, 'r2', { actor: 'bob', gates: GATES })).previousActiveRunId).toBe('r1');
    });

    it('a bulk write failing in its third chunk stores no row', async () => {
      await createRun(ctx.store, runInput('r1'));
      const rows: AccountMarginInput[] = [];
      for (let i = 0; i < 1200; i++) rows.push({ accountId: `a${i}`, desk: 'd', currency: 'USD', initialMargin: 1, maintenanceMargin: 1, collateralValue: 2 });
      rows.push({ ...(rows[3] as AccountMarginInput) }); // duplicate key in chunk 3
      await expect(putAccountMargins(ctx.store, 'r1', rows)).rejects.toThrow();
      expect(await listAccountMargins(ctx.store, 'r1')).toEqual([]);
    });

    it('SIGKILL in the middle of a promotion: the active calibration and all runs are as before', async () => {
      await finishedRun(ctx.store, 'r1');
      await promoteRun(ctx.store, 'r1', { actor: 'alice', gates: GATES });
      await finishedRun(ctx.store, 'r2');
      await putIncident(ctx.store, { id: 'i1', title: 't', kind: 'outage', severity: 2, startedAt: T0, document: {} });
      const before = await snapshot(ctx.store);
      const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ctx.db.target, 'mid-promotion', 'r2'], { encoding: 'utf8', timeout: 60_000 });
      expect(child.stdout).toContain('reached mid-promotion');
      expect(child.signal).toBe('SIGKILL');
      await ctx.store.close();
      const reopened = await ctx.open();
      expect(await snapshot(reopened)).toEqual(before);
      expect((await getActiveRun(reopened))?.id).toBe('r1');
      // and the store works normally afterwards
      expect((await promoteRun(reopened, 'r2', { actor: 'bob', gates: GATES })).previousActiveRunId).toBe('r1');
    });

    it('SIGKILL during a job: the run stays running until its lease expires, then is marked interrupted', async () => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ctx.db.target, 'mid-job', 'job-1'], { encoding: 'utf8', timeout: 60_000 });
      expect(child.stdout).toContain('reached mid-job');
      expect(child.signal).toBe('SIGKILL');
      const run = await getRun(ctx.store, 'job-1');
      expect(run).toMatchObject({ status: 'running', stage: 'revaluation', progress: 0.4 });
      ctx.clock.set((run.heartbeatAt as number) + 30_000);
      expect(await markInterruptedRuns(ctx.store, { leaseMs: 60_000 })).toEqual([]);
      ctx.clock.set((run.heartbeatAt as number) + 60_001);
      expect(await markInterruptedRuns(ctx.store, { leaseMs: 60_000 })).toEqual(['job-1']);
      expect((await getRun(ctx.store, 'job-1')).status).toBe('interrupted');
    });
  });
});
