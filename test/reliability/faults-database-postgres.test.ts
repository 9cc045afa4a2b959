/**
 * PostgreSQL taken away in the middle of a recalibration and given back (a TCP proxy between the job and the real
 * server resets every connection and refuses new ones). The store retries transient connection faults with bounded
 * backoff (8 s by default), retrying a transaction whole only when it certainly did not commit:
 * - back within the budget, at a stage boundary, inside a payload transaction and under the final COMMIT (the
 *   commit applied, its answer lost): the run completes with exactly its payloads;
 * - gone for longer (the real `aftershock recalibrate` in a child process): exit 1, the message names the database
 *   and the stage; the run can never be promoted.
 * In every case the active calibration, the other runs and all their stored data are byte for byte as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECALIBRATION_STAGES } from '../../src/jobs/index.ts';
import {
  getActivePointer, getRun, getRunReport, listAccountMargins, markInterruptedRuns, openStore, promoteRun, RunLifecycleError,
  type Store, type StoreRetryEvent,
} from '../../src/store/index.ts';
import { createTestDatabase, postgresAvailability, skipBackend, type TestDatabase } from '../support/db.ts';
import { startFaultProxy, type FaultProxy } from './support/faultsProxy.ts';
import { ACCOUNTS, faultsPortfolio, promotedBaseline, recalibrate, startCli, tempDir } from './support/faultsRun.ts';
import { digestOf, runIdsWith, storedState } from './support/faultsState.ts';

describe('PostgreSQL unavailable mid-run', async () => {
  const skip = await skipBackend('postgres', 'faults: database unavailable');
  let db: TestDatabase;
  let store: Store;
  let proxy: FaultProxy;
  let baselineId: string;
  let out: ReturnType<typeof tempDir>;
  let portfolio: ReturnType<typeof faultsPortfolio>;

  beforeAll(async () => {
    if (skip) return;
    out = tempDir('pg-out');
    portfolio = faultsPortfolio();
    db = await createTestDatabase('postgres');
    store = await db.open();
    baselineId = await promotedBaseline(store, portfolio.path);
    const server = new URL((await postgresAvailability()).url as string);
    proxy = await startFaultProxy(server.hostname, Number(server.port || 5432));
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    out.remove();
    portfolio.remove();
    await proxy.close();
    await db.cleanup();
  });

  it.skipIf(skip)('gone for longer than the retry budget: `aftershock recalibrate` exits 1 naming the database and the stage; nothing else changes', async () => {
    const before = await storedState(store);
    const child = startCli(['--db', proxy.urlFor(db.target), 'recalibrate', '--portfolios', portfolio.path, '--out', out.path, '--seed', '11']);
    // cut when the backtest stage starts: the job's next store call is its progress at the start of `report`
    child.onStderrLine((line) => {
      if (line.includes('"type":"stage-start"') && line.includes('"stage":"backtest"')) void proxy.cut();
    });
    const exit = await child.exited;
    expect(proxy.down, 'the proxy was cut (the child saw the backtest stage)').toBe(true);
    await proxy.restore();
    expect(exit.code, exit.stderr.slice(-800)).toBe(1);
    const message = exit.stderr.split('\n').find((l) => l.startsWith('error: ')) ?? '';
    console.log(`[faults] PostgreSQL gone for good, CLI says: ${message}`);
    expect(message).toMatch(/^error: recalibration run \S+ stopped at stage (\S+): database postgres:\/\/\S+ is unavailable \((ECONNREFUSED|ECONNRESET|Connection terminated[^)]*)\); gave up after \d+ attempt\(s\) over \d+\.\d s/);
    expect(message).toContain(`127.0.0.1:${proxy.port}`);
    const stage = /stopped at stage (\S+):/.exec(message)?.[1] as string;
    expect(RECALIBRATION_STAGES.indexOf(stage as (typeof RECALIBRATION_STAGES)[number])).toBeGreaterThanOrEqual(RECALIBRATION_STAGES.indexOf('backtest'));
    expect(message).toMatch(/the run could not be marked failed and stays running until its 60 s lease expires, then interrupted$/);

    const failedId = /run (\S+) stopped/.exec(message)?.[1] as string;
    expect((await getRun(store, failedId)).status).toBe('running');
    expect(await markInterruptedRuns(store, { leaseMs: 0 })).toEqual([failedId]);
    await expect(promoteRun(store, failedId, { actor: 'test', reason: 'try anyway', gates: [] })).rejects.toSatisfy(
      (e) => e instanceof RunLifecycleError && e.code === 'not-promotable',
    );
    expect(await storedState(store, [failedId])).toEqual(before);
    expect((await getActivePointer(store)).runId).toBe(baselineId);
  }, 90_000);

  it.skipIf(skip)('cut at a stage boundary, inside a payload transaction and under the final COMMIT, back each time within the budget: the run completes with exactly its payloads', async () => {
    const before = await storedState(store, await runIdsWith(store, ['interrupted']));
    const retries: StoreRetryEvent[] = [];
    let cutsSeen = proxy.cuts;
    let sinceCut = 0;
    // the database comes back once the job has retried twice since the cut: inside the budget, whatever the load
    const jobStore = await openStore(proxy.urlFor(db.target), {
      onRetry: (event) => {
        retries.push(event);
        if (proxy.cuts !== cutsSeen) {
          cutsSeen = proxy.cuts;
          sinceCut = 0;
        }
        if (++sinceCut >= 2 && proxy.down) void proxy.restore();
      },
    });
    try {
      const insideTransaction = proxy.cutOnClientText('insert into "account_margins"');
      const underCommit = proxy.cutOnCommitAfter('update "runs" set "status"');
      const job = await recalibrate(jobStore, portfolio.path, 12, {
        beforeStage: async (stage) => {
          if (stage === 'backtest') await proxy.cut();
        },
      });
      await insideTransaction;
      await underCommit;
      expect(proxy.cuts).toBe(4);
      expect(job.run.status).toBe('candidate');
      expect((await getRun(store, job.run.id)).status).toBe('candidate');
      const reasons = [...new Set(retries.map((r) => r.reason))];
      console.log(`[faults] PostgreSQL cut 3 times in one run: ${retries.length} retries (${reasons.join('; ')}), longest wait ${Math.max(...retries.map((r) => r.elapsedMs + r.delayMs))} ms; run ${job.run.id} ${job.run.status}`);
      expect(retries.length).toBeGreaterThanOrEqual(6);
      // each payload exactly once: the interrupted margin transaction was retried whole
      const margins = await listAccountMargins(store, job.run.id);
      expect(margins).toHaveLength(ACCOUNTS);
      expect(margins.map((m) => [m.accountId, m.initialMargin])).toEqual(
        job.output.accounts.map((a) => [a.accountId, a.after.initialMarginUsd]).sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      expect((await getRunReport(store, job.run.id))?.json).toBe(job.output.reportJson);
      const after = await storedState(store, [job.run.id, ...(await runIdsWith(store, ['interrupted']))]);
      expect(digestOf(after)).toBe(digestOf(before));
      expect(after).toEqual(before);
      // complete, hence promotable
      const promoted = await promoteRun(store, job.run.id, { actor: 'test', gates: job.gates, reason: 'recovered run' });
      expect(promoted.previousActiveRunId).toBe(baselineId);
    } finally {
      await jobStore.close();
    }
  }, 90_000);
});
