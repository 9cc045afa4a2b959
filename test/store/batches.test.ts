/**
 * Stress batches in the store (migration 0003) on SQLite and PostgreSQL: shard completion writes results and marks
 * the shard done in one transaction, exactly once (a second completion of the same shard, e.g. a retry after a crash,
 * leaves the results and totals unchanged even if it carries different numbers); the batch is done with its last
 * shard; totals are the exact sums of the rows (checked against sums computed here); concurrent completions of one
 * shard apply once.
 */
import { describe, expect, it } from 'vitest';
import {
  batchTotals, completeShard, createBatch, failBatch, getBatch, listBatchResults, listBatches, listBatchShards, startShard,
  StoreDataError, StoreNotFoundError, type BatchResultInput,
} from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { finishedRun, useTestStore } from './helpers.ts';

function results(from: number, to: number, scale = 1): BatchResultInput[] {
  const out: BatchResultInput[] = [];
  for (let i = from; i < to; i++) {
    const failed = i % 7 === 3;
    out.push({
      accountId: `A${String(i).padStart(4, '0')}`, desk: i % 2 === 0 ? 'mm' : 'retail',
      initialMargin: failed ? null : (1000 + i * 10.25) * scale, maintenanceMargin: failed ? null : (750 + i * 7.6875) * scale,
      collateralValue: failed ? null : i % 3 === 0 ? 500 : null,
      worstScenarioId: failed ? null : `S${i % 5}`, worstPnl: failed ? null : -(i + 0.5), failure: failed ? 'BTC-X is not a row' : null,
    });
  }
  return out;
}

function expectedIm(rows: readonly BatchResultInput[]): number {
  return rows.reduce((s, r) => s + (r.initialMargin ?? 0), 0);
}

describe.each(BACKENDS)('stress batches on %s', async (backend) => {
  const skip = await skipBackend(backend, 'store batches');
  const ctx = useTestStore(backend);

  it.skipIf(skip)('creates shards, completes them once each, and is done with the last one', async () => {
    const { store } = ctx;
    await finishedRun(store, 'run-1');
    const batch = await createBatch(store, { id: 'b1', runId: 'run-1', shardSize: 10, accountCount: 25, source: { portfolios: '/x.json' } });
    expect(batch).toMatchObject({ status: 'running', shardCount: 3, shardSize: 10, accountCount: 25, scheduleId: null, source: { portfolios: '/x.json' } });
    expect((await listBatchShards(store, 'b1')).map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);

    const started = await startShard(store, 'b1', 0, 'w1');
    expect(started).toMatchObject({ status: 'running', attempts: 1, worker: 'w1' });
    expect(await completeShard(store, 'b1', 0, 'w1', results(0, 10))).toEqual({ applied: true, batchDone: false });
    expect(await completeShard(store, 'b1', 1, 'w2', results(10, 20))).toEqual({ applied: true, batchDone: false });
    const before = await batchTotals(store, 'b1');
    // the same shard again, with other numbers (a retry after a crash): nothing changes
    expect(await completeShard(store, 'b1', 1, 'w3', results(10, 20, 2))).toEqual({ applied: false, batchDone: false });
    expect(await startShard(store, 'b1', 1, 'w3')).toMatchObject({ status: 'done', attempts: 0, worker: 'w2' });
    expect(await batchTotals(store, 'b1')).toEqual(before);
    expect((await getBatch(store, 'b1')).status).toBe('running');

    expect(await completeShard(store, 'b1', 2, 'w1', results(20, 25))).toEqual({ applied: true, batchDone: true });
    const done = await getBatch(store, 'b1');
    expect(done.status).toBe('done');
    expect(done.finishedAt).not.toBeNull();

    const all = results(0, 25);
    const t = await batchTotals(store, 'b1');
    expect(t.accounts).toBe(25);
    expect(t.failed).toBe(all.filter((r) => r.failure !== null).length);
    expect(t.margined).toBe(25 - t.failed);
    expect(t.initialMargin).toBeCloseTo(expectedIm(all), 6);
    expect(t.maintenanceMargin).toBeCloseTo(all.reduce((s, r) => s + (r.maintenanceMargin ?? 0), 0), 6);
    const withColl = all.filter((r) => r.collateralValue !== null);
    expect(t.accountsWithCollateral).toBe(withColl.length);
    expect(t.shortfall).toBeCloseTo(withColl.reduce((s, r) => s + Math.max(0, (r.initialMargin ?? 0) - (r.collateralValue ?? 0)), 0), 6);
    expect(t.byDesk.map((d) => d.desk)).toEqual(['mm', 'retail']);
    expect(t.byDesk.reduce((s, d) => s + d.accounts, 0)).toBe(25);
    // completing a shard of a done batch again changes nothing
    expect(await completeShard(store, 'b1', 0, 'w9', results(0, 10, 3))).toEqual({ applied: false, batchDone: true });
    expect(await batchTotals(store, 'b1')).toEqual(t);

    const top = await listBatchResults(store, 'b1', { order: 'im-desc', limit: 3 });
    const ranked = all.filter((r) => r.initialMargin !== null).sort((a, b) => (b.initialMargin ?? 0) - (a.initialMargin ?? 0));
    expect(top.map((r) => r.accountId)).toEqual(ranked.slice(0, 3).map((r) => r.accountId));
    expect(top[0]?.initialMargin).toBe(ranked[0]?.initialMargin);
    const failed = await listBatchResults(store, 'b1', { failedOnly: true });
    expect(failed.map((r) => r.accountId)).toEqual(all.filter((r) => r.failure !== null).map((r) => r.accountId));
    expect(failed[0]).toMatchObject({ initialMargin: null, failure: 'BTC-X is not a row', shardIndex: 0 });
  });

  it.skipIf(skip)('concurrent completions of one shard apply exactly once', async () => {
    const { store } = ctx;
    await finishedRun(store, 'run-1');
    await createBatch(store, { id: 'b2', runId: 'run-1', shardSize: 50, accountCount: 50, source: {} });
    const other = await ctx.open();
    const outcomes = await Promise.all([
      completeShard(store, 'b2', 0, 'w1', results(0, 50)),
      completeShard(other, 'b2', 0, 'w2', results(0, 50, 2)),
      completeShard(store, 'b2', 0, 'w3', results(0, 50, 3)),
    ]);
    expect(outcomes.filter((o) => o.applied)).toHaveLength(1);
    const winner = outcomes.findIndex((o) => o.applied);
    const t = await batchTotals(store, 'b2');
    expect(t.accounts).toBe(50);
    expect(t.initialMargin).toBeCloseTo(expectedIm(results(0, 50, winner + 1)), 6);
    expect((await getBatch(store, 'b2')).status).toBe('done');
  });

  it.skipIf(skip)('lists by schedule newest first; refuses bad input with the field named; fails a batch', async () => {
    const { store, clock } = ctx;
    await finishedRun(store, 'run-1');
    await createBatch(store, { id: 'b-old', scheduleId: 's1', runId: 'run-1', shardSize: 5, accountCount: 5, source: {} });
    clock.advance(1000);
    await createBatch(store, { id: 'b-new', scheduleId: 's1', runId: 'run-1', shardSize: 5, accountCount: 5, source: {} });
    await createBatch(store, { id: 'b-other', runId: 'run-1', shardSize: 5, accountCount: 0, source: {} });
    expect((await listBatches(store, { scheduleId: 's1' })).map((b) => b.id)).toEqual(['b-new', 'b-old']);
    expect((await getBatch(store, 'b-other')).status).toBe('done'); // no accounts: nothing to wait for
    await expect(createBatch(store, { runId: 'nope', shardSize: 5, accountCount: 5, source: {} })).rejects.toThrow(StoreNotFoundError);
    await expect(createBatch(store, { runId: 'run-1', shardSize: 0, accountCount: 5, source: {} })).rejects.toThrow(/shardSize/);
    await expect(completeShard(store, 'b-old', 7, 'w', [])).rejects.toThrow(StoreNotFoundError);
    const bad = [{ ...results(0, 1)[0]!, initialMargin: Number.NaN }];
    await expect(completeShard(store, 'b-old', 0, 'w', bad)).rejects.toThrow(StoreDataError);
    expect(await batchTotals(store, 'b-old')).toMatchObject({ accounts: 0 });
    expect(await failBatch(store, 'b-old', 'portfolio file missing')).toBe(true);
    expect(await getBatch(store, 'b-old')).toMatchObject({ status: 'failed', error: 'portfolio file missing' });
    expect(await failBatch(store, 'b-old', 'again')).toBe(false);
  });
});
