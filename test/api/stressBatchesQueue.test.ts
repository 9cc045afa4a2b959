/**
 * Stress batches through the API on PostgreSQL (queue mode): POST /v1/stress-batches creates the batch under the
 * active calibration (made by the real recalibration job) and enqueues one pg-boss job per shard without computing
 * any; GET shows its progress 0/n; POST of a `stress-batch` schedule mirrors it to pg-boss at once and DELETE
 * unmirrors it. Skipped with a printed reason without PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/index.ts';
import { createBatchLauncher, scheduleQueueName, SHARD_QUEUE } from '../../src/jobs/batch/index.ts';
import { createApiKey, listBatchResults, type Store } from '../../src/store/index.ts';
import { adminQuery, createTestDatabase, postgresAvailability, skipBackend, type TestDatabase } from '../support/db.ts';
import { activeCalibration, smallPortfolio } from '../jobs/batch/helpers.ts';
import { bearer } from './support/fixture.ts';

describe('stress batches on PostgreSQL (queue mode)', async () => {
  const skip = await skipBackend('postgres', 'API stress batches on PostgreSQL');
  const bossSchema = `boss_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let key: string;
  let dir: string;
  let batches: ReturnType<typeof createBatchLauncher>;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase('postgres');
    store = await db.open();
    await activeCalibration(store, 200);
    key = (await createApiKey(store, { role: 'analyst', actor: 'test' })).key;
    dir = mkdtempSync(join(tmpdir(), 'aftershock-api-queue-'));
    mkdirSync(join(dir, 'portfolios'));
    copyFileSync(smallPortfolio(230), join(dir, 'portfolios', 'book.json'));
    batches = createBatchLauncher({ store, portfoliosDir: join(dir, 'portfolios'), boss: { url: db.target, schema: bossSchema } });
    app = await buildApp({ store, pollIntervalMs: 0, rateLimit: false, batches });
  }, 240_000);
  afterAll(async () => {
    if (skip) return;
    await app?.close();
    await batches?.close(); // passed in: the app does not close it
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
    const { url } = await postgresAvailability();
    if (url !== undefined) await adminQuery(url, `drop schema if exists ${bossSchema} cascade`);
  });

  async function withBoss<T>(f: (boss: PgBoss) => Promise<T>): Promise<T> {
    const boss = new PgBoss({ connectionString: db.target, schema: bossSchema, schedule: false, supervise: false });
    await boss.start();
    try {
      return await f(boss);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  }

  it.skipIf(skip)('POST enqueues one job per shard and computes none; GET shows 0 of them done', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/stress-batches', headers: bearer(key), payload: { portfolios: 'book', shardSize: 50 } });
    expect(r.statusCode, r.body).toBe(202);
    const { batchId, mode } = r.json() as { batchId: string; mode: string };
    expect(mode).toBe('queue');
    const jobs = await withBoss((boss) => boss.fetch<{ batchId: string; shardIndex: number }>(SHARD_QUEUE, { batchSize: 100 }));
    expect(jobs.map((j) => j.data.shardIndex).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(jobs.map((j) => j.data.batchId))).toEqual(new Set([batchId]));
    expect(await listBatchResults(store, batchId)).toEqual([]);
    const s = await app.inject({ method: 'GET', url: `/v1/stress-batches/${batchId}`, headers: bearer(key) });
    expect(s.json()).toMatchObject({ status: 'running', accountCount: 230, progress: { done: 0, total: 5 }, totals: { accounts: 0 } });
  }, 60_000);

  it.skipIf(skip)('a stress-batch schedule is mirrored to pg-boss when created and unmirrored when deleted', async () => {
    const c = await app.inject({ method: 'POST', url: '/v1/schedules', headers: bearer(key), payload: { id: 'hourly', cron: '0 * * * *', jobKind: 'stress-batch', payload: { portfolios: 'book' } } });
    expect(c.statusCode, c.body).toBe(201);
    const after = await withBoss((boss) => boss.getSchedules());
    expect(after.map((x) => [x.name, x.cron])).toContainEqual([scheduleQueueName('hourly'), '0 * * * *']);
    const d = await app.inject({ method: 'DELETE', url: '/v1/schedules/hourly', headers: bearer(key) });
    expect(d.statusCode).toBe(204);
    expect((await withBoss((boss) => boss.getSchedules())).map((x) => x.name)).not.toContain(scheduleQueueName('hourly'));
  }, 60_000);
});
