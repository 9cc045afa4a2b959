/**
 * Scale-out on PostgreSQL (skipped, saying so, without one; `.ci/run` starts one): `aftershock worker` child
 * processes on pg-boss drain a batch with totals equal to the in-process computation of every shard; a worker
 * SIGKILLed in the middle of a shard (after computing, before completing) leaves the shard to be retried by another
 * worker once its job expires, and the totals are exact (no account counted twice, none missing); a cron schedule
 * fires once per tick (one batch per minute) with three worker processes running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeShard, createStressBatch, enqueueBatch, startBoss, type BossSettings } from '../../../src/jobs/batch/index.ts';
import {
  batchTotals, getBatch, listBatches, listBatchResults, listBatchShards, type BatchRecord, type BatchResultInput, type Store,
} from '../../../src/store/index.ts';
import { adminQuery, createTestDatabase, postgresAvailability, skipBackend, type TestDatabase } from '../../support/db.ts';
import { activeCalibration, ROOT, smallPortfolio } from './helpers.ts';

const BIN = join(ROOT, 'bin/aftershock.js');
const CHILD = join(ROOT, 'test/jobs/batch/workerChild.ts');

/** 3000 accounts: the first 600 fixture accounts five times over, with distinct ids. */
function bigPortfolio(): string {
  const doc = JSON.parse(readFileSync(smallPortfolio(600), 'utf8')) as { accounts: { id: string }[] };
  const accounts = [0, 1, 2, 3, 4].flatMap((k) => doc.accounts.map((a) => ({ ...a, id: `${a.id}-${k}` })));
  const path = join(mkdtempSync(join(tmpdir(), 'aftershock-batch-')), 'accounts-3000.json');
  writeFileSync(path, JSON.stringify({ ...doc, accounts }));
  return path;
}

const children: ChildProcess[] = [];

/** Starts a child and resolves once a stdout line matches `ready`; collects its stdout lines. */
function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        if (ready.test(l)) resolve({ child, lines });
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before ready: ${stderr.slice(-2000)}`)));
  });
}

function worker(target: string, bossSchema: string, id: string, extra: string[] = []): Promise<{ child: ChildProcess; lines: string[] }> {
  return startChild([BIN, '--db', target, 'worker', '--worker-id', id, '--poll', '0.5', '--schedule-sync-seconds', '1',
    '--maintenance-seconds', '1', '--expire-seconds', '3', '--retry-delay', '1', ...extra], { AFTERSHOCK_BOSS_SCHEMA: bossSchema }, /ready/);
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  await exited;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The totals computed here, shard by shard, without workers: the reference. */
async function referenceTotals(store: Store, batch: BatchRecord): Promise<{ accounts: number; failed: number; im: number; results: BatchResultInput[] }> {
  const results: BatchResultInput[] = [];
  for (let i = 0; i < batch.shardCount; i++) results.push(...(await computeShard(store, batch, i)));
  return {
    accounts: results.length, failed: results.filter((r) => r.failure !== null).length,
    im: results.reduce((s, r) => s + (r.initialMargin ?? 0), 0), results,
  };
}

async function expectExact(store: Store, batch: BatchRecord): Promise<void> {
  const ref = await referenceTotals(store, batch);
  const totals = await batchTotals(store, batch.id);
  expect(totals.accounts).toBe(ref.accounts);
  expect(totals.failed).toBe(ref.failed);
  expect(totals.initialMargin).toBeCloseTo(ref.im, 4);
  const stored = new Map((await listBatchResults(store, batch.id)).map((r) => [r.accountId, r.initialMargin]));
  for (const r of ref.results) expect(stored.get(r.accountId)).toBe(r.initialMargin);
}

describe('scale-out on PostgreSQL', async () => {
  const skip = await skipBackend('postgres', 'stress-batch scale-out');
  let db: TestDatabase;
  let store: Store;
  let portfolio: string;
  const bossSchemas: string[] = [];
  const bossSchema = (tag: string): string => {
    const s = `${db.schema}_${tag}`;
    bossSchemas.push(s);
    return s;
  };
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase('postgres');
    store = await db.open();
    await activeCalibration(store, 200);
    portfolio = bigPortfolio();
  }, 240_000);
  afterAll(async () => {
    await Promise.all(children.map((c) => stop(c, 'SIGKILL')));
    if (skip) return;
    const { url } = await postgresAvailability();
    for (const s of bossSchemas) await adminQuery(url!, `drop schema if exists ${s} cascade`).catch(() => undefined);
    await db.cleanup();
  });

  it.skipIf(skip)('two worker processes drain a batch; totals exact; every shard completed once', async () => {
    const schema = bossSchema('drain');
    const settings: BossSettings = { url: db.target, schema, expireInSeconds: 60, producerOnly: true };
    const [a, b] = await Promise.all([worker(db.target, schema, 'w-a'), worker(db.target, schema, 'w-b')]);
    const boss = await startBoss(settings);
    const batch = await createStressBatch(store, { portfolios: portfolio, shardSize: 100 });
    expect(batch.shardCount).toBe(30);
    await enqueueBatch(boss, batch, settings);
    await boss.stop({ graceful: false, wait: true });
    const done = await waitFor('the batch to finish', async () => ((await getBatch(store, batch.id)).status === 'done' ? true : null), 120_000);
    expect(done).toBe(true);
    const shards = await listBatchShards(store, batch.id);
    expect(shards.every((s) => s.status === 'done' && s.attempts === 1)).toBe(true);
    const byWorker = new Map<string, number>();
    for (const s of shards) byWorker.set(s.worker!, (byWorker.get(s.worker!) ?? 0) + 1);
    console.info(`[scale-out] shards per worker: ${JSON.stringify(Object.fromEntries(byWorker))}`);
    expect([...byWorker.keys()].every((w) => w === 'w-a' || w === 'w-b')).toBe(true);
    await expectExact(store, batch);
    await Promise.all([stop(a.child), stop(b.child)]);
    expect(a.child.exitCode).toBe(0);
    expect(b.child.exitCode).toBe(0);
  }, 180_000);

  it.skipIf(skip)('a worker SIGKILLed mid-shard: the shard is retried by another worker and counted once', async () => {
    const schema = bossSchema('kill');
    const settings: BossSettings = { url: db.target, schema, expireInSeconds: 3, retryDelaySeconds: 1, producerOnly: true };
    const stalling = await startChild(['--import', 'tsx', CHILD, db.target, schema, 'w-doomed'], {}, /^READY$/);
    const boss = await startBoss(settings);
    const batch = await createStressBatch(store, { portfolios: portfolio, shardSize: 500 });
    await enqueueBatch(boss, batch, settings);
    await boss.stop({ graceful: false, wait: true });
    const stall = await waitFor('the doomed worker to stall in a shard', async () => stalling.lines.find((l) => l.startsWith('STALL ')), 60_000);
    const shardIndex = Number(stall.split(' ')[2]);
    expect((await listBatchShards(store, batch.id))[shardIndex]).toMatchObject({ status: 'running', attempts: 1, worker: 'w-doomed' });
    await stop(stalling.child, 'SIGKILL');
    const survivor = await worker(db.target, schema, 'w-survivor');
    await waitFor('the batch to finish', async () => ((await getBatch(store, batch.id)).status === 'done' ? true : null), 120_000);
    const shards = await listBatchShards(store, batch.id);
    expect(shards[shardIndex]).toMatchObject({ status: 'done', attempts: 2, worker: 'w-survivor' });
    expect(shards.every((s) => s.status === 'done' && s.worker === 'w-survivor')).toBe(true);
    await expectExact(store, batch);
    await stop(survivor.child);
  }, 180_000);

  it.skipIf(skip)('a cron schedule fires once per tick with three worker processes running', async () => {
    const schema = bossSchema('cron');
    const env = { AFTERSHOCK_BOSS_SCHEMA: schema };
    const add = await startChild([BIN, '--db', db.target, '--json', 'schedule', 'add', '--id', 'every-minute', '--cron', '* * * * *',
      '--portfolios', portfolio, '--shard-size', '1000'], env, /"schedule"/);
    await new Promise<void>((r) => (add.child.exitCode !== null ? r() : add.child.once('exit', () => r())));
    expect(add.child.exitCode).toBe(0);
    const started = Date.now();
    const workers = await Promise.all(['c1', 'c2', 'c3'].map((id) => worker(db.target, schema, id, ['--cron-monitor-seconds', '1'])));
    // run until two ticks have produced batches, then a little past the second to catch a duplicate
    await waitFor('two ticks', async () => (await listBatches(store, { scheduleId: 'every-minute' })).length >= 2, 150_000);
    await new Promise((r) => setTimeout(r, 8000));
    await Promise.all(workers.map((w) => stop(w.child)));
    const stopped = Date.now();
    const batches = await listBatches(store, { scheduleId: 'every-minute' });
    // each batch is `<schedule>@<pg-boss tick job id>`; the tick is the minute pg-boss's cron monitor created that job
    // (a batch's own createdAt is when a worker took the tick, which under load can fall in the next minute)
    const boss = await startBoss({ url: db.target, schema, producerOnly: true });
    let tickMinutes: number[];
    try {
      tickMinutes = await Promise.all(batches.map(async (b) => {
        const jobId = b.id.slice('every-minute@'.length);
        expect(b.id.startsWith('every-minute@')).toBe(true);
        const job = await boss.getJobById<unknown>('aftershock-schedule-every-minute', jobId, { includeArchive: true });
        expect(job, `tick job ${jobId}`).not.toBeNull();
        return Math.floor(new Date((job as { createdOn: Date }).createdOn).getTime() / 60_000);
      }));
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    console.info(`[scale-out] ${batches.length} scheduled batches for ticks in minutes ${tickMinutes.join(', ')} (batches created in minutes ${batches.map((b) => Math.floor(b.createdAt / 60_000)).join(', ')})`);
    expect(new Set(tickMinutes).size).toBe(batches.length); // never two batches for one tick
    const spanned = Math.floor(stopped / 60_000) - Math.floor(started / 60_000) + 1;
    expect(batches.length).toBeGreaterThanOrEqual(spanned - 1);
    expect(batches.length).toBeLessThanOrEqual(spanned);
    for (const b of batches) expect((await getBatch(store, b.id)).status).toBe('done');
  }, 240_000);
});
