/**
 * The store itself full while a run stores its payloads: on the job's own SQLite connection `PRAGMA max_page_count`
 * caps the file at its current size when the store stage starts (a real SQLITE_FULL "database or disk is full" on
 * the first payload) or just before the report is stored (after every other payload). The run ends `failed` with a
 * reason naming the stage and the database, is never listed as a candidate or promotable, the active calibration and
 * every other run's data are byte for byte unchanged, and the next run, with space again, succeeds.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecalibrationStoreError } from '../../src/jobs/recalibrate/job.ts';
import {
  getActivePointer, getRun, getRunReport, listAccountMargins, listRuns, promoteRun, RunLifecycleError, StoreFullError, type Store,
} from '../../src/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { ACCOUNTS, faultsPortfolio, promotedBaseline, recalibrate } from './support/faultsRun.ts';
import { storedState } from './support/faultsState.ts';

/** Caps the database of `store` (this connection only) at its current number of pages. */
async function fillUp(store: Store): Promise<number> {
  const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(store.db)).rows[0]?.page_count);
  await sql.raw(`pragma max_page_count = ${pages}`).execute(store.db);
  return pages;
}

describe('the SQLite store full during the store stage', () => {
  let db: TestDatabase;
  let store: Store;
  let baselineId: string;
  const failed: string[] = [];
  const portfolio = faultsPortfolio();

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    store = await db.open();
    baselineId = await promotedBaseline(store, portfolio.path);
  }, 120_000);
  afterAll(async () => {
    await db.cleanup();
    portfolio.remove();
  });

  it.each([
    ['store', 'the first payload'],
    ['store:report', 'the report, after every other payload'],
  ])('full at %s (%s): the run ends failed with the reason, nothing else changes', async (stage) => {
    const before = await storedState(store, failed);
    const jobStore = await db.open();
    let pages = 0;
    let error: unknown;
    try {
      await recalibrate(jobStore, portfolio.path, stage === 'store' ? 31 : 32, {
        beforeStage: async (s) => {
          if (s === stage) pages = await fillUp(jobStore);
        },
      });
    } catch (e) {
      error = e;
    } finally {
      await jobStore.close();
    }
    expect(pages).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(RecalibrationStoreError);
    const e = error as RecalibrationStoreError;
    console.log(`[faults] store full at ${stage} (capped at ${pages} pages): ${e.message}`);
    expect(e.cause).toBeInstanceOf(StoreFullError);
    expect(e.stage).toBe(stage);
    expect(e.markedFailed).toBe(true);
    expect(e.message).toBe(
      `recalibration run ${e.runId} stopped at stage ${stage}: database ${jobStore.target} is full ` +
        '(SQLITE_FULL: database or disk is full): the write was rolled back; the run is marked failed',
    );
    const runId = e.runId as string;
    failed.push(runId);
    const run = await getRun(store, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`stopped at stage ${stage}: ${(e.cause as Error).message}`);
    expect((await listRuns(store, { status: ['candidate', 'partial', 'running'] })).map((r) => r.id)).not.toContain(runId);
    expect(await getRunReport(store, runId)).toBeNull();
    if (stage === 'store') expect(await listAccountMargins(store, runId)).toEqual([]);
    await expect(promoteRun(store, runId, { actor: 'test', reason: 'try anyway', gates: [] })).rejects.toSatisfy(
      (x) => x instanceof RunLifecycleError && x.code === 'not-promotable',
    );
    expect(await storedState(store, failed)).toEqual(before);
    expect((await getActivePointer(store)).runId).toBe(baselineId);
  }, 60_000);

  it('with space again, the next run succeeds', async () => {
    const before = await storedState(store, failed);
    const job = await recalibrate(store, portfolio.path, 33);
    expect(job.run.status).toBe('candidate');
    expect(await listAccountMargins(store, job.run.id)).toHaveLength(ACCOUNTS);
    expect(await storedState(store, [...failed, job.run.id])).toEqual(before);
  }, 60_000);
});
