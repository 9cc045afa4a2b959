/**
 * Stress batches through the API on the two-run fixture (run A active, SQLite: shards run in the server's process):
 * POST /v1/stress-batches answers 202 at once and the batch completes in the background; every account's batch IM
 * equals the API's own what-if IM of its positions (an independent code path: the calibration holder's engine), the
 * totals equal the sum of those, an account holding an unknown instrument is a failure result; list, status and
 * report; malformed bodies are 422 naming the field; `stress-batch` schedules are validated and stored with the
 * resolved file; no launcher is a 503.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createBatchLauncher } from '../../src/jobs/batch/launcher.ts';
import { getSchedule } from '../../src/store/index.ts';
import { bearer, createApiFixture, type ApiFixture } from './support/fixture.ts';
import { TEST_ACCOUNTS } from './support/seed.ts';

let f: ApiFixture;
let app: FastifyInstance;
let portfoliosDir: string;

/** The fixture accounts plus one holding an instrument outside the calibration, in file order. */
const BOOK = [
  ...TEST_ACCOUNTS.map((a) => ({ id: a.id, desk: a.desk, positions: a.positions })),
  { id: 'ACC-X1', desk: 'retail', positions: [{ instrument: 'SOL-PERPETUAL', quantity: 3 }] },
];

beforeAll(async () => {
  f = await createApiFixture();
  portfoliosDir = join(f.dir, 'portfolios');
  mkdirSync(portfoliosDir);
  writeFileSync(join(portfoliosDir, 'book.json'), JSON.stringify({ format: 'aftershock.portfolios', version: 1, accounts: BOOK }));
  writeFileSync(join(portfoliosDir, 'broken.json'), '{"not": "a portfolio"');
  app = await f.app({ batches: createBatchLauncher({ store: f.store, portfoliosDir }) });
}, 60_000);
afterAll(async () => {
  await f?.cleanup();
});

async function inject(method: 'GET' | 'POST', url: string, key: string, payload?: unknown) {
  const r = await app.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: r.statusCode, headers: r.headers, body: r.json() as Record<string, unknown> & { errors?: { field: string; reason: string }[] } };
}

/** Polls the batch until it is no longer running (each poll yields to the background shards). */
async function settled(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 2000; i++) {
    const r = await inject('GET', `/v1/stress-batches/${id}`, f.keys.analyst);
    expect(r.status).toBe(200);
    if (r.body['status'] !== 'running') return r.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`batch ${id} still running`);
}

describe('POST /v1/stress-batches (in-process on SQLite)', () => {
  let batchId: string;

  it('answers 202 with the batch id and a location; the batch completes in the background', async () => {
    const r = await inject('POST', '/v1/stress-batches', f.keys.analyst, { portfolios: 'book', shardSize: 3 });
    expect(r.status).toBe(202);
    batchId = r.body['batchId'] as string;
    expect(r.body).toMatchObject({ status: 'running', mode: 'in-process', location: `/v1/stress-batches/${batchId}` });
    expect(r.headers['location']).toBe(`/v1/stress-batches/${batchId}`);
    const done = await settled(batchId);
    expect(done).toMatchObject({ id: batchId, status: 'done', runId: 'run-A', accountCount: BOOK.length, shardSize: 3, scheduleId: null, error: null });
    expect(done['progress']).toEqual({ done: Math.ceil(BOOK.length / 3), total: Math.ceil(BOOK.length / 3) });
  });

  it("margins every account as the what-if route does; totals are their sums; the unknown instrument is a failure", async () => {
    const report = await inject('GET', `/v1/stress-batches/${batchId}/report?top=100`, f.keys.admin);
    expect(report.status).toBe(200);
    const worst = report.body['worstAccounts'] as { accountId: string; initialMarginUsd: number; maintenanceMarginUsd: number }[];
    expect(worst.map((w) => w.accountId).sort()).toEqual(TEST_ACCOUNTS.map((a) => a.id).sort());
    let im = 0;
    let mm = 0;
    for (const a of TEST_ACCOUNTS) {
      const ref = await inject('POST', '/v1/margin/what-if', f.keys.analyst, { positions: a.positions });
      expect(ref.status, a.id).toBe(200);
      const line = worst.find((w) => w.accountId === a.id)!;
      expect(line.initialMarginUsd, a.id).toBeCloseTo(ref.body['initialMarginUsd'] as number, 6);
      expect(line.maintenanceMarginUsd, a.id).toBeCloseTo(ref.body['maintenanceMarginUsd'] as number, 6);
      im += ref.body['initialMarginUsd'] as number;
      mm += ref.body['maintenanceMarginUsd'] as number;
    }
    expect(im).toBeGreaterThan(0);
    for (let i = 1; i < worst.length; i++) expect(worst[i - 1]!.initialMarginUsd).toBeGreaterThanOrEqual(worst[i]!.initialMarginUsd);
    expect(report.body['failures']).toEqual([{ accountId: 'ACC-X1', desk: 'retail', reason: expect.stringMatching(/SOL-PERPETUAL/) }]);
    const status = await inject('GET', `/v1/stress-batches/${batchId}`, f.keys.analyst);
    const totals = status.body['totals'] as Record<string, number>;
    expect(totals['accounts']).toBe(BOOK.length);
    expect(totals['margined']).toBe(TEST_ACCOUNTS.length);
    expect(totals['failed']).toBe(1);
    expect(totals['initialMarginUsd']).toBeCloseTo(im, 4);
    expect(totals['maintenanceMarginUsd']).toBeCloseTo(mm, 4);
  });

  it('lists batches newest first with their progress; unknown ids are 404', async () => {
    const second = await inject('POST', '/v1/stress-batches', f.keys.admin, { portfolios: 'book' });
    expect(second.status).toBe(202);
    await settled(second.body['batchId'] as string);
    const list = await inject('GET', '/v1/stress-batches?limit=10', f.keys.analyst);
    expect(list.status).toBe(200);
    const batches = list.body['batches'] as { id: string; progress: { done: number; total: number }; shardSize: number }[];
    expect(batches.map((b) => b.id)).toContain(batchId);
    const mine = batches.find((b) => b.id === second.body['batchId'])!;
    expect(mine).toMatchObject({ shardSize: 5000, progress: { done: 1, total: 1 } });
    const one = await inject('GET', '/v1/stress-batches?limit=1', f.keys.analyst);
    expect((one.body['batches'] as unknown[]).length).toBe(1);
    expect((await inject('GET', '/v1/stress-batches/no-such-batch', f.keys.analyst)).status).toBe(404);
    expect((await inject('GET', '/v1/stress-batches/no-such-batch/report', f.keys.analyst)).status).toBe(404);
  });

  it('refuses desk keys (403)', async () => {
    expect((await inject('POST', '/v1/stress-batches', f.keys.retail, { portfolios: 'book' })).status).toBe(403);
    expect((await inject('GET', `/v1/stress-batches/${batchId}`, f.keys.mm)).status).toBe(403);
    expect((await inject('GET', '/v1/stress-batches', f.keys.retail)).status).toBe(403);
  });

  it.each([
    { name: 'missing portfolios', payload: {}, field: 'portfolios' },
    { name: 'a path with a separator', payload: { portfolios: 'sub/book' }, field: 'portfolios' },
    { name: 'a path with ..', payload: { portfolios: '..' }, field: 'portfolios' },
    { name: 'a parent path', payload: { portfolios: '../../package' }, field: 'portfolios' },
    { name: 'an absolute path', payload: { portfolios: '/etc/passwd' }, field: 'portfolios' },
    { name: 'an unknown name', payload: { portfolios: 'no-such-book' }, field: 'portfolios' },
    { name: 'not a portfolio file', payload: { portfolios: 'broken' }, field: 'portfolios' },
    { name: 'shardSize 0', payload: { portfolios: 'book', shardSize: 0 }, field: 'shardSize' },
    { name: 'shardSize as a string', payload: { portfolios: 'book', shardSize: '5' }, field: 'shardSize' },
    { name: 'shardSize fractional', payload: { portfolios: 'book', shardSize: 2.5 }, field: 'shardSize' },
    { name: 'an unknown property', payload: { portfolios: 'book', accounts: 3 }, field: 'accounts' },
  ])('$name: 422 naming $field, no server path in the answer', async ({ payload, field }) => {
    const r = await inject('POST', '/v1/stress-batches', f.keys.analyst, payload);
    expect(r.status).toBe(422);
    expect(r.body.errors?.map((e) => e.field)).toContain(field);
    expect(JSON.stringify(r.body)).not.toMatch(/\/tmp\/|\/work\/|aftershock-api-/);
  });

  it('answers 503 when the server has no batch launcher', async () => {
    const bare = await f.app({ batches: null });
    const r = await bare.inject({ method: 'POST', url: '/v1/stress-batches', headers: bearer(f.keys.analyst), payload: { portfolios: 'book' } });
    expect(r.statusCode).toBe(503);
  });
});

describe('POST /v1/schedules of a stress-batch', () => {
  it('stores the resolved portfolio file and the shard size', async () => {
    const r = await inject('POST', '/v1/schedules', f.keys.analyst, { id: 'eod-book', cron: '0 18 * * *', jobKind: 'stress-batch', payload: { portfolios: 'book', shardSize: 4 } });
    expect(r.status).toBe(201);
    const stored = await getSchedule(f.store, 'eod-book');
    expect(stored.payload).toEqual({ portfolios: join(portfoliosDir, 'book.json'), shardSize: 4 });
    expect(stored.jobKind).toBe('stress-batch');
  });

  it.each([
    { name: 'no payload', payload: undefined, field: 'payload.portfolios' },
    { name: 'a path', payload: { portfolios: '../book' }, field: 'payload.portfolios' },
    { name: 'an unknown name', payload: { portfolios: 'nope' }, field: 'payload.portfolios' },
    { name: 'a bad shard size', payload: { portfolios: 'book', shardSize: -1 }, field: 'payload.shardSize' },
    { name: 'an unknown payload property', payload: { portfolios: 'book', cron: 'x' }, field: 'payload.cron' },
  ])('$name: 422 naming $field', async ({ payload, field }) => {
    const r = await inject('POST', '/v1/schedules', f.keys.analyst, { cron: '0 18 * * *', jobKind: 'stress-batch', ...(payload === undefined ? {} : { payload }) });
    expect(r.status).toBe(422);
    expect(r.body.errors?.map((e) => e.field)).toContain(field);
  });
});
