/**
 * The SQLite store locked by another process (an exclusive transaction held) for longer than the busy timeout in
 * the middle of a recalibration, then released. Each attempt waits out the busy timeout; the store retries with
 * bounded backoff (8 s by default), a transaction whole:
 * - released within the budget (at a stage boundary, before the report's transaction and before finishing): the
 *   run completes with exactly its payloads;
 * - held past the budget: the job stops with a RecalibrationStoreError naming the run, the stage and the file; the
 *   run is never promotable.
 * Either way the active calibration, the other runs and all their stored data are byte for byte as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecalibrationStoreError } from '../../src/jobs/recalibrate/job.ts';
import {
  getActivePointer, getRun, getRunReport, listAccountMargins, markInterruptedRuns, promoteRun, RunLifecycleError, StoreBusyError,
  type Store, type StoreRetryEvent,
} from '../../src/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { ACCOUNTS, faultsPortfolio, promotedBaseline, recalibrate, startLocker, type Locker } from './support/faultsRun.ts';
import { runIdsWith, storedState } from './support/faultsState.ts';

describe('SQLite locked by another process mid-run', () => {
  let db: TestDatabase;
  let store: Store;
  let locker: Locker;
  let baselineId: string;
  const portfolio = faultsPortfolio();

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    store = await db.open();
    baselineId = await promotedBaseline(store, portfolio.path);
    locker = startLocker(db.target);
  }, 120_000);
  afterAll(async () => {
    await locker.close();
    await db.cleanup();
    portfolio.remove();
  });

  it('held past the retry budget: the job stops naming the run, the stage and the file; nothing else changes', async () => {
    const before = await storedState(store);
    const jobStore = await db.open({ busyTimeoutMs: 200, retry: { budgetMs: 1000 } });
    let error: unknown;
    try {
      await recalibrate(jobStore, portfolio.path, 21, {
        beforeStage: async (stage) => {
          if (stage === 'margin') await locker.lock();
        },
      });
    } catch (e) {
      error = e;
    } finally {
      await locker.release();
    }
    expect(error).toBeInstanceOf(RecalibrationStoreError);
    const e = error as RecalibrationStoreError;
    console.log(`[faults] SQLite locked for good: ${e.message}`);
    expect(e.stage).toBe('margin');
    expect(e.cause).toBeInstanceOf(StoreBusyError);
    expect(e.markedFailed).toBe(false);
    expect(e.message).toBe(
      `recalibration run ${e.runId} stopped at stage margin: database ${jobStore.target} is locked by another writer; ` +
        'the run could not be marked failed and stays running until its 60 s lease expires, then interrupted',
    );
    const failedId = e.runId as string;
    expect((await getRun(store, failedId)).status).toBe('running');
    expect(await markInterruptedRuns(store, { leaseMs: 0 })).toEqual([failedId]);
    await expect(promoteRun(store, failedId, { actor: 'test', reason: 'try anyway', gates: [] })).rejects.toSatisfy(
      (x) => x instanceof RunLifecycleError && x.code === 'not-promotable',
    );
    expect(await storedState(store, [failedId])).toEqual(before);
    expect((await getActivePointer(store)).runId).toBe(baselineId);
  }, 60_000);

  it('held past the busy timeout three times, released within the budget: the run completes with exactly its payloads', async () => {
    const skip = await runIdsWith(store, ['interrupted']);
    const before = await storedState(store, skip);
    const retries: StoreRetryEvent[] = [];
    let sinceLock = 0;
    const jobStore = await db.open({
      busyTimeoutMs: 200,
      onRetry: (event) => {
        retries.push(event);
        // released once the job has waited out the busy timeout twice
        if (++sinceLock >= 2 && locker.locked) void locker.release();
      },
    });
    const job = await recalibrate(jobStore, portfolio.path, 22, {
      beforeStage: async (stage) => {
        if (stage === 'backtest' || stage === 'store:report' || stage === 'finish') {
          sinceLock = 0;
          await locker.lock();
        }
      },
    });
    console.log(`[faults] SQLite locked 3 times in one run: ${retries.length} retries (${[...new Set(retries.map((r) => r.reason))].join('; ')}); run ${job.run.id} ${job.run.status}`);
    expect(retries.length).toBeGreaterThanOrEqual(6);
    expect(job.run.status).toBe('candidate');
    const margins = await listAccountMargins(store, job.run.id);
    expect(margins).toHaveLength(ACCOUNTS);
    expect((await getRunReport(store, job.run.id))?.json).toBe(job.output.reportJson);
    expect(await storedState(store, [...skip, job.run.id])).toEqual(before);
    const promoted = await promoteRun(store, job.run.id, { actor: 'test', gates: job.gates, reason: 'recovered run' });
    expect(promoted.previousActiveRunId).toBe(baselineId);
  }, 60_000);
});
