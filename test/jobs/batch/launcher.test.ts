/**
 * The batch launcher the API uses (SQLite, in-process): portfolio NAMES only (separators, '..', unknown names are
 * BatchInputError('portfolios')); `start` resolves with the batch still running and completes it in the background;
 * `close` stops a background batch between shards (left running, resumable: runBatchShards finishes it with every
 * account counted once); a PostgreSQL store without pg-boss settings is refused before any batch is created.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchInputError, createBatchLauncher, runBatchShards } from '../../../src/jobs/batch/index.ts';
import { getBatch, listBatches, listBatchResults, listBatchShards, type Store } from '../../../src/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { activeCalibration, smallPortfolio } from './helpers.ts';

let db: TestDatabase;
let store: Store;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  store = await db.open();
  await activeCalibration(store, 200);
  dir = join(db.target, '..', 'portfolios');
  mkdirSync(dir, { recursive: true });
  copyFileSync(smallPortfolio(120), join(dir, 'book.json'));
}, 240_000);
afterAll(async () => {
  await db?.cleanup();
});

async function settled(id: string) {
  for (let i = 0; i < 5000; i++) {
    const b = await getBatch(store, id);
    if (b.status !== 'running') return b;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`batch ${id} still running`);
}

describe('createBatchLauncher (SQLite)', () => {
  it('resolves names only', () => {
    const l = createBatchLauncher({ store, portfoliosDir: dir });
    expect(l.mode).toBe('in-process');
    expect(l.resolvePortfolios('book')).toBe(join(dir, 'book.json'));
    for (const bad of ['../book', 'a/b', 'a\\b', '..', '.hidden', '/etc/passwd', 'nope', '']) {
      expect(() => l.resolvePortfolios(bad), bad).toThrow(BatchInputError);
      try {
        l.resolvePortfolios(bad);
      } catch (e) {
        expect((e as BatchInputError).field).toBe('portfolios');
      }
    }
  });

  it('start returns at once; the batch completes in the background with every account', async () => {
    const done: string[] = [];
    const l = createBatchLauncher({ store, portfoliosDir: dir, onBatch: (b) => done.push(b.id) });
    const batch = await l.start({ portfolios: 'book', shardSize: 40 });
    expect(batch).toMatchObject({ status: 'running', shardCount: 3, accountCount: 120 });
    expect((await settled(batch.id)).status).toBe('done');
    expect((await listBatchResults(store, batch.id)).length).toBe(120);
    await l.close();
    expect(done).toEqual([batch.id]);
  });

  it('close stops between shards; the batch resumes without counting an account twice', async () => {
    const l = createBatchLauncher({ store, portfoliosDir: dir });
    const batch = await l.start({ portfolios: 'book', shardSize: 2 });
    await l.close();
    const stopped = await getBatch(store, batch.id);
    expect(stopped.status).toBe('running');
    const doneShards = (await listBatchShards(store, batch.id)).filter((s) => s.status === 'done').length;
    expect(doneShards).toBeLessThanOrEqual(1);
    const finished = await runBatchShards(store, stopped);
    expect(finished.status).toBe('done');
    const results = await listBatchResults(store, batch.id);
    expect(results.length).toBe(120);
    expect(new Set(results.map((r) => r.accountId)).size).toBe(120);
  });

  it('a PostgreSQL store without pg-boss settings is refused before a batch is created', async () => {
    const before = (await listBatches(store)).length;
    const pgLike = { ...store, dialect: 'postgres' } as Store;
    const l = createBatchLauncher({ store: pgLike, portfoliosDir: dir });
    expect(l.mode).toBe('queue');
    await expect(l.start({ portfolios: 'book' })).rejects.toMatchObject({ name: 'BatchInputError', field: 'db' });
    expect(await l.mirror()).toBe(false);
    expect((await listBatches(store)).length).toBe(before);
    await l.close();
  });
});
