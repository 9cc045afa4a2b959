/**
 * `aftershock schedule run --portfolios <file> [--shard-size n]`, in-process through the CLI's `run`: on SQLite the
 * batch runs in the command with one progress line per shard and totals equal to the store's SQL sums (the
 * per-account margins themselves are checked against scenarioMargin in embedded.test.ts); on PostgreSQL the command
 * only creates and enqueues the batch (one pg-boss job per shard, no shard computed) and `schedule batches` shows
 * its progress. A missing file, a bad shard size and a store without an active calibration are exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PgBoss from 'pg-boss';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { run } from '../../../src/cli/main.ts';
import { SHARD_QUEUE } from '../../../src/jobs/batch/index.ts';
import { batchTotals, getBatch, listBatchResults, listBatchShards, type Store } from '../../../src/store/index.ts';
import { adminQuery, createTestDatabase, postgresAvailability, skipBackend, type TestDatabase } from '../../support/db.ts';
import { activeCalibration, smallPortfolio } from './helpers.ts';

async function cli(args: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const portfolio = smallPortfolio(250);

describe('schedule run on SQLite (in-process)', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    store = await db.open();
  }, 60_000);
  afterAll(async () => {
    await db?.cleanup();
  });

  it('refuses a store without an active calibration, a missing file and a bad shard size (exit 2)', async () => {
    const none = await cli(['--db', db.target, 'schedule', 'run', '--portfolios', portfolio]);
    expect(none.code).toBe(2);
    expect(none.err.join('\n')).toMatch(/active calibration/);
    const missing = await cli(['--db', db.target, 'schedule', 'run', '--portfolios', join(portfolio, '..', 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toMatch(/--portfolios: no such file/);
    expect((await cli(['--db', db.target, 'schedule', 'run', '--portfolios', portfolio, '--shard-size', '0'])).code).toBe(2);
  });

  it('runs the batch with a line per shard; totals are the store sums; `schedule batches` shows it done', async () => {
    const runId = await activeCalibration(store, 200);
    const r = await cli(['--db', db.target, 'schedule', 'run', '--portfolios', portfolio, '--shard-size', '100']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.err).toEqual(['  shard 1/3 done', '  shard 2/3 done', '  shard 3/3 done']);
    const id = /^batch (\S+): 250 accounts in 3 shard\(s\) of 100 under run (\S+)$/.exec(r.out[0]!);
    expect(id, r.out[0]).not.toBeNull();
    expect(id![2]).toBe(runId);
    const batchId = id![1]!;
    const batch = await getBatch(store, batchId);
    expect(batch).toMatchObject({ status: 'done', shardCount: 3, accountCount: 250, runId });
    const results = await listBatchResults(store, batchId);
    expect(results.length).toBe(250);
    const margined = results.filter((x) => x.initialMargin !== null);
    expect(r.out[1]).toBe(`batch ${batchId}: done, 250 accounts (${margined.length} margined, ${250 - margined.length} failed)`);

    const json = await cli(['--db', db.target, '--json', 'schedule', 'run', '--portfolios', portfolio, '--shard-size', '125']);
    expect(json.code).toBe(0);
    expect(json.err.map((l) => JSON.parse(l) as { done: number; total: number }).map((e) => `${e.done}/${e.total}`)).toEqual(['1/2', '2/2']);
    const doc = JSON.parse(json.out[0]!) as { batch: { id: string; status: string }; mode: string; totals: { initialMargin: number; accounts: number } };
    expect(doc).toMatchObject({ mode: 'in-process', batch: { status: 'done' } });
    // the same accounts under the same run: the same sum, however they are sharded (a sum here, not the SQL one)
    const im = margined.reduce((s, x) => s + (x.initialMargin as number), 0);
    expect(doc.totals.initialMargin).toBeCloseTo(im, 4);
    expect((await batchTotals(store, batchId)).initialMargin).toBeCloseTo(im, 4);

    const list = await cli(['--db', db.target, 'schedule', 'batches']);
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toMatch(new RegExp(`${batchId}\\s+-\\s+${runId}\\s+done\\s+3/3\\s+250`));
    expect(list.out.at(-1)).toBe('2 batch(es)');
  }, 240_000);
});

describe('schedule run on PostgreSQL (enqueued)', async () => {
  const skip = await skipBackend('postgres', 'schedule run');
  let db: TestDatabase;
  let store: Store;
  const bossSchema = `boss_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase('postgres');
    store = await db.open();
    await activeCalibration(store, 200);
  }, 240_000);
  afterAll(async () => {
    if (skip) return;
    await db.cleanup();
    const { url } = await postgresAvailability();
    if (url !== undefined) await adminQuery(url, `drop schema if exists ${bossSchema} cascade`);
  });

  it.skipIf(skip)('creates the batch and enqueues one job per shard; nothing is computed by the command', async () => {
    const r = await cli(['--db', db.target, '--json', 'schedule', 'run', '--portfolios', portfolio, '--shard-size', '60', '--boss-schema', bossSchema]);
    expect(r.code, r.err.join('\n')).toBe(0);
    const doc = JSON.parse(r.out[0]!) as { batch: { id: string; shardCount: number }; mode: string; enqueued: number };
    expect(doc).toMatchObject({ mode: 'queue', enqueued: 5, batch: { shardCount: 5 } });
    expect((await listBatchShards(store, doc.batch.id)).map((s) => s.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(await listBatchResults(store, doc.batch.id)).toEqual([]);
    const boss = new PgBoss({ connectionString: db.target, schema: bossSchema, schedule: false, supervise: false });
    await boss.start();
    try {
      const jobs = await boss.fetch<{ batchId: string; shardIndex: number }>(SHARD_QUEUE, { batchSize: 100 });
      expect(jobs.map((j) => j.data.shardIndex).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(new Set(jobs.map((j) => j.data.batchId))).toEqual(new Set([doc.batch.id]));
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const list = await cli(['--db', db.target, 'schedule', 'batches']);
    expect(list.out.join('\n')).toMatch(new RegExp(`${doc.batch.id}\\s+-\\s+\\S+\\s+running\\s+0/5\\s+250`));
  }, 120_000);
});
