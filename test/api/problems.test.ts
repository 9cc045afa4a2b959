/**
 * Errors as application/problem+json: schema validation of malformed bodies, queries and params (422 naming the
 * field), unparsable bodies (400), wrong media types (415), the body limit (413), the per-key rate limit (429), a
 * database failure (500 whose body says nothing about SQL or files), and request logs that never contain a key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { bearer, createApiFixture, type ApiFixture } from './support/fixture.ts';

const LEAKS = /stack|select |sqlite|no such table|\/tmp\/|\/work\/|node_modules|\.ts\b|at [A-Za-z.]+ \(/i;

let f: ApiFixture;
let app: FastifyInstance;

beforeAll(async () => {
  f = await createApiFixture();
  app = await f.app();
});
afterAll(async () => {
  await f?.cleanup();
});

function problemOf(r: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.body).not.toMatch(LEAKS);
  return JSON.parse(r.body) as { type: string; title: string; status: number; detail: string; instance: string; requestId: string; errors?: { in: string; field: string; reason: string }[] };
}

describe('schema validation', () => {
  const whatIf = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: bearer(f.keys.retail), payload: payload as object });

  it.each([
    { name: 'missing positions', payload: {}, field: 'positions' },
    { name: 'empty positions', payload: { positions: [] }, field: 'positions' },
    { name: 'quantity as a string (no coercion)', payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: '1' }] }, field: 'positions[0].quantity' },
    { name: 'missing instrument', payload: { positions: [{ quantity: 1 }] }, field: 'positions[0].instrument' },
    { name: 'unknown property in a position', payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1, price: 3 }] }, field: 'positions[0].price' },
    { name: 'unknown top-level property', payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }], portfolio: 'x' }, field: 'portfolio' },
    { name: 'quantity out of range', payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1e300 }] }, field: 'positions[0].quantity' },
    { name: 'too many positions', payload: { positions: Array.from({ length: 1001 }, () => ({ instrument: 'BTC-PERPETUAL', quantity: 1 })) }, field: 'positions' },
    { name: 'worst not an integer', payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }], worst: 2.5 }, field: 'worst' },
    { name: 'body is an array', payload: [1, 2], field: '' },
  ])('$name: 422 naming "$field"', async ({ payload, field }) => {
    const r = await whatIf(payload);
    expect(r.statusCode).toBe(422);
    const p = problemOf(r);
    expect(p).toMatchObject({ type: 'urn:aftershock:problem:validation', title: 'Invalid request', status: 422, instance: '/v1/margin/what-if' });
    expect(p.errors!.map((e) => e.field)).toContain(field);
    expect(p.errors!.every((e) => e.in === 'body')).toBe(true);
    expect(p.detail.startsWith('body')).toBe(true);
  });

  it('validates query strings and path parameters too', async () => {
    const q = await app.inject({ method: 'GET', url: '/v1/runs?limit=abc', headers: bearer(f.keys.analyst) });
    expect(q.statusCode).toBe(422);
    expect(problemOf(q).errors).toEqual([expect.objectContaining({ in: 'querystring', field: 'limit' })]);
    const extra = await app.inject({ method: 'GET', url: '/v1/correlation?format=csv', headers: bearer(f.keys.analyst) });
    expect(problemOf(extra).errors).toEqual([expect.objectContaining({ in: 'querystring', field: 'format' })]);
    const path = await app.inject({ method: 'GET', url: `/v1/surfaces/${'X'.repeat(40)}`, headers: bearer(f.keys.analyst) });
    expect(path.statusCode).toBe(422);
    expect(problemOf(path).errors).toEqual([expect.objectContaining({ in: 'params', field: 'underlying' })]);
  });
});

describe('body parsing and limits', () => {
  it('400 for JSON that does not parse or an empty JSON body, 415 for another media type', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: { ...bearer(f.keys.retail), 'content-type': 'application/json' }, payload: '{"positions": [' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad)).toMatchObject({ detail: 'the request body is not valid JSON' });
    const empty = await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: { ...bearer(f.keys.retail), 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    problemOf(empty);
    const text = await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: { ...bearer(f.keys.retail), 'content-type': 'text/plain' }, payload: 'positions' });
    expect(text.statusCode).toBe(415);
    problemOf(text);
  });

  it('413 above the 1 MiB body limit', async () => {
    const big = JSON.stringify({ positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }], pad: 'x'.repeat(1024 * 1024) });
    const r = await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: { ...bearer(f.keys.retail), 'content-type': 'application/json' }, payload: big });
    expect(r.statusCode).toBe(413);
    expect(problemOf(r).type).toBe('urn:aftershock:problem:payload-too-large');
  });

  it('400 problem for a malformed URL (raised before routing)', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/accounts/%E0%A4%A/margin', headers: bearer(f.keys.admin) });
    expect(r.statusCode).toBe(400);
    expect(problemOf(r)).toMatchObject({ type: 'urn:aftershock:problem:malformed-request', detail: 'the request URL is malformed' });
  });

  it('404 problem for an unknown route, even under /v1 without a key', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/nothing-here?token=abc' });
    expect(r.statusCode).toBe(404);
    expect(problemOf(r)).toMatchObject({ instance: '/v1/nothing-here' });
  });
});

describe('rate limit', () => {
  it('429 problem with Retry-After once a key has used its budget; other keys are unaffected', async () => {
    const limited = await f.app({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    const get = (key: string) => limited.inject({ method: 'GET', url: '/v1/correlation', headers: bearer(key) });
    for (let i = 0; i < 3; i++) expect((await get(f.keys.retail)).statusCode).toBe(200);
    const r = await get(f.keys.retail);
    expect(r.statusCode).toBe(429);
    expect(problemOf(r)).toMatchObject({ type: 'urn:aftershock:problem:rate-limited', status: 429 });
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(f.keys.mm)).statusCode).toBe(200);
    const metrics = await limited.inject({ method: 'GET', url: '/metrics', headers: bearer(f.keys.analyst) });
    expect(metrics.body).toMatch(/^aftershock_rate_limited_total 1$/m);
  });
});

describe('internal errors', () => {
  it('a failing query is a 500 problem with a generic detail; the error goes to the log only', async () => {
    const lines: string[] = [];
    const logged = await f.app({ logger: { level: 'info', stream: { write: (l) => lines.push(l) } } });
    await sql`drop table run_reports`.execute(f.store.db);
    const r = await logged.inject({ method: 'GET', url: '/v1/runs/run-A/report', headers: bearer(f.keys.analyst) });
    expect(r.statusCode).toBe(500);
    const p = problemOf(r);
    expect(p).toMatchObject({ type: 'urn:aftershock:problem:internal', title: 'Internal error', status: 500 });
    expect(p.detail).toMatch(/requestId/);
    const errorLine = lines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.level === 50);
    expect(errorLine?.err?.message).toMatch(/run_reports/); // the operator sees the cause
    expect(errorLine?.reqId).toBe(p.requestId);
  });
});

describe('request logs', () => {
  it('carry method, path and key id but never a key, a secret or the query string', async () => {
    const lines: string[] = [];
    const logged = await f.app({ logger: { level: 'info', stream: { write: (l) => lines.push(l) } } });
    await logged.inject({ method: 'GET', url: '/v1/accounts/ACC-R1/margin?x=1', headers: bearer(f.keys.retail) });
    await logged.inject({ method: 'POST', url: '/v1/margin/what-if', headers: bearer(f.keys.admin), payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] } });
    await logged.inject({ method: 'GET', url: '/v1/correlation', headers: { authorization: `Bearer ${f.keys.analyst.slice(0, -2)}zz` } });
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const key of Object.values(f.keys)) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.split('.')[1]!); // the secret part alone
    }
    expect(text).not.toMatch(/authorization|Bearer/i);
    expect(text).not.toContain('x=1');
    const incoming = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.req);
    expect(incoming[0]!.req).toEqual({ method: 'GET', path: '/v1/accounts/ACC-R1/margin', remoteAddress: '127.0.0.1' });
    const completed = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'request completed');
    expect(completed[0]!.keyId).toMatch(/^[0-9a-f]{16}$/);
  });
});
