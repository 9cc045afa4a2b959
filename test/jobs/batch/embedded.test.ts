/**
 * Embedded stress batches (SQLite and PostgreSQL): on the fixture accounts under an active calibration made by the
 * real recalibration job on 200 of them, every account's batch result equals the run's own scenarioMargin of its
 * positions (an independent call per account, not the batch code path), accounts holding instruments that are not
 * rows of the run's matrix are failure results, the totals equal the sums of those references, re-running a shard
 * changes nothing, and the report compares a scheduled batch with the previous one of its schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { batchReport, processShard, runStressBatch, startEmbeddedScheduler, BatchInputError, STRESS_BATCH_JOB } from '../../../src/jobs/batch/index.ts';
import { compileScenarioMargin, scenarioMargin, type Account } from '../../../src/risk/index.ts';
import {
  batchTotals, createSchedule, deleteSchedule, getSchedule, getPnlMatrix, getRunMarginModel, listBatches, listBatchResults, listBatchShards,
  type BatchRecord, type Store,
} from '../../../src/store/index.ts';
import { BACKENDS, createTestDatabase, skipBackend, type TestDatabase } from '../../support/db.ts';
import { activeCalibration, smallPortfolio } from './helpers.ts';

const portfolio = smallPortfolio(600);
const accounts = (JSON.parse(readFileSync(portfolio, 'utf8')) as { accounts: Account[] }).accounts;

describe.each(BACKENDS)('embedded stress batch on %s', async (backend) => {
  const skip = await skipBackend(backend, 'embedded stress batch');
  let db: TestDatabase;
  let store: Store;
  let runId: string;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase(backend);
    store = await db.open();
    runId = await activeCalibration(store, 200);
  }, 240_000);
  afterAll(async () => {
    if (!skip) await db.cleanup();
  });

  it.skipIf(skip)('margins every account exactly as scenarioMargin does; unknown instruments are failure results', async () => {
    const shards: number[] = [];
    const batch = await runStressBatch(store, { portfolios: portfolio, shardSize: 128 }, { onShard: (d) => shards.push(d) });
    expect(batch).toMatchObject({ status: 'done', runId, shardCount: 5, accountCount: 600 });
    expect(shards).toEqual([1, 2, 3, 4, 5]);
    const model = compileScenarioMargin(await getRunMarginModel(store, runId));
    const matrix = (await getPnlMatrix(store, runId))!;
    const cols = matrix.scenarioIds.length;
    const results = new Map((await listBatchResults(store, batch.id)).map((r) => [r.accountId, r]));
    expect(results.size).toBe(600);
    let im = 0;
    let failed = 0;
    for (const a of accounts) {
      const r = results.get(a.id)!;
      let ref: ReturnType<typeof scenarioMargin> | null = null;
      try {
        ref = scenarioMargin(model, matrix.data, cols, a.positions);
      } catch {
        ref = null;
      }
      if (ref === null) {
        failed++;
        expect(r.failure).toMatch(/is not an instrument of the calibration's scenario matrix/);
        expect(r.initialMargin).toBeNull();
        continue;
      }
      expect(r.failure).toBeNull();
      expect(r.initialMargin).toBe(ref.initialMarginUsd);
      expect(r.maintenanceMargin).toBe(ref.maintenanceMarginUsd);
      im += ref.initialMarginUsd;
      // worst scenario: the lowest entry of the account's own P&L vector
      const pnl = new Float64Array(cols);
      for (const p of a.positions) {
        const row = matrix.instrumentIds.indexOf(p.instrument);
        for (let j = 0; j < cols; j++) pnl[j] = pnl[j]! + p.quantity * matrix.data[row * cols + j]!;
      }
      if (a.positions.length > 0) expect(r.worstPnl).toBeCloseTo(Math.min(...pnl), 6);
    }
    expect(failed).toBeGreaterThan(0); // the run's matrix holds the instruments of 200 accounts only
    expect(failed).toBeLessThan(600);
    const totals = await batchTotals(store, batch.id);
    expect(totals).toMatchObject({ accounts: 600, failed, margined: 600 - failed });
    expect(totals.initialMargin).toBeCloseTo(im, 4);
    // a shard re-run (a retry) is skipped and changes nothing
    expect(await processShard(store, batch.id, 2, 'again')).toEqual({ applied: false, batchDone: true });
    expect(await batchTotals(store, batch.id)).toEqual(totals);
    expect((await listBatchShards(store, batch.id)).every((s) => s.status === 'done' && s.attempts === 1)).toBe(true);
  });

  it.skipIf(skip)('reports worst accounts, failures and the change from the previous batch of the same schedule', async () => {
    const first = await runStressBatch(store, { portfolios: portfolio, shardSize: 5000, scheduleId: 'eod' });
    const second = await runStressBatch(store, { portfolios: portfolio, shardSize: 300, scheduleId: 'eod' });
    const r1 = await batchReport(store, first.id, { top: 5 });
    expect(r1.previous).toBeNull();
    const r2 = await batchReport(store, second.id, { top: 5 });
    expect(r2.previous?.batchId).toBe(first.id);
    expect(r2.previous?.initialMarginChangeUsd).toBeCloseTo(0, 6); // same run, same accounts: no change
    expect(r2.worstAccounts).toHaveLength(5);
    const ims = r2.worstAccounts.map((a) => a.initialMarginUsd as number);
    expect([...ims].sort((a, b) => b - a)).toEqual(ims);
    const top = (await listBatchResults(store, second.id, { order: 'im-desc', limit: 1 }))[0]!;
    expect(r2.worstAccounts[0]?.initialMarginUsd).toBe(top.initialMargin);
    expect(r2.failures.length).toBe(r2.totals.failed);
    for (const s of r2.shortfalls) expect(s.shortfallUsd).toBeCloseTo((s.initialMarginUsd as number) - (s.collateralUsd as number), 6);
  });

  it.skipIf(skip)('the embedded croner scheduler runs a schedule\'s batches in-process and follows removals', async () => {
    await createSchedule(store, { id: 'each-second', cron: '* * * * * *', jobKind: STRESS_BATCH_JOB, payload: { portfolios: portfolio, shardSize: 300 } });
    await createSchedule(store, { id: 'off', cron: '* * * * * *', jobKind: STRESS_BATCH_JOB, payload: { portfolios: portfolio }, enabled: false });
    await createSchedule(store, { id: 'other-job', cron: '* * * * * *', jobKind: 'recalibrate', payload: {} });
    const finished: BatchRecord[] = [];
    const errors: unknown[] = [];
    const scheduler = await startEmbeddedScheduler(store, { refreshSeconds: 0, onBatch: (b) => finished.push(b), onError: (e) => errors.push(e) });
    try {
      expect(scheduler.scheduled()).toEqual(['each-second']);
      const until = Date.now() + 30_000;
      while (finished.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(finished.length).toBeGreaterThanOrEqual(2);
      await deleteSchedule(store, 'each-second');
      await scheduler.refresh();
      expect(scheduler.scheduled()).toEqual([]);
    } finally {
      scheduler.stop();
    }
    expect(errors).toEqual([]);
    for (const b of finished) expect(b).toMatchObject({ status: 'done', scheduleId: 'each-second', accountCount: 600, shardCount: 2 });
    const tagged = await listBatches(store, { scheduleId: 'each-second' });
    expect(tagged.length).toBeGreaterThanOrEqual(finished.length);
    expect((await listBatches(store, { scheduleId: 'off' }))).toEqual([]);
    expect((await getSchedule(store, 'off')).lastFiredAt).toBeNull();
  });

  it.skipIf(skip)('refuses a batch without an active calibration, and a bad shard size, naming the field', async () => {
    await expect(runStressBatch(store, { portfolios: portfolio, shardSize: 0 })).rejects.toThrow(/shardSize/);
    await expect(runStressBatch(store, { portfolios: '/nonexistent/accounts.json' })).rejects.toThrow(BatchInputError);
    const fresh = await createTestDatabase(backend);
    try {
      await expect(runStressBatch(await fresh.open(), { portfolios: portfolio })).rejects.toThrow(/runId: there is no active calibration/);
    } finally {
      await fresh.cleanup();
    }
  });
});
