/**
 * Fuzzed request bodies through POST /v1/margin/what-if and POST /v1/stress-tests (issue 10, part 1): arbitrary JSON
 * values, valid bodies with a field replaced by arbitrary JSON / huge numbers / NaN-like strings, raw text that is
 * not JSON (NaN, Infinity, truncated, mis-encoded), deep nesting and 2 MB bodies. Every answer is < 500; every
 * error is application/problem+json without a stack trace or internal detail; bodies that are not a valid request
 * are 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { bearer, createApiFixture, type ApiFixture } from '../api/support/fixture.ts';

const LEAKS = /stack|select |sqlite|no such table|\/tmp\/|\/work\/|node_modules|\.ts\b|at [A-Za-z.<>]+ \(/i;
const SEED = 20261125;

let f: ApiFixture;
let app: FastifyInstance;

beforeAll(async () => {
  f = await createApiFixture();
  app = await f.app();
}, 60_000);
afterAll(async () => {
  await f?.cleanup();
});

interface Route {
  readonly url: string;
  readonly key: () => string;
  readonly valid: Record<string, unknown>;
}
const ROUTES: Route[] = [
  { url: '/v1/margin/what-if', key: () => f.keys.retail, valid: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] } },
  { url: '/v1/stress-tests', key: () => f.keys.analyst, valid: { accountIds: ['ACC-R1', 'ACC-M1'] } },
];

/** Sends `body` (raw text) as application/json and checks the invariants; returns the status. */
async function send(route: Route, body: string): Promise<number> {
  const r = await app.inject({ method: 'POST', url: route.url, headers: { ...bearer(route.key()), 'content-type': 'application/json' }, payload: body });
  expect(r.statusCode, r.body.slice(0, 500)).toBeLessThan(500);
  if (r.statusCode >= 400) {
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.slice(0, 20_000)).not.toMatch(LEAKS);
    const p = JSON.parse(r.body) as { status: number; title: string };
    expect(p.status).toBe(r.statusCode);
    expect(typeof p.title).toBe('string');
  }
  return r.statusCode;
}

const WEIRD: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('NaN', 'Infinity', '-Infinity', '1e309', '', null, true, [], {}, -1, 0, 1e308, -1e308, 5e-324,
    '\u0000', '\ufffd', '<script>', "' OR 1=1 --", '../../etc/passwd', 'x'.repeat(5000)),
  fc.jsonValue({ maxDepth: 3 }),
);

describe.each(ROUTES)('POST $url with fuzzed bodies', (route) => {
  it('the valid body is accepted (the fuzz starts from a working request)', async () => {
    expect(await send(route, JSON.stringify(route.valid))).toBeLessThan(300);
  });

  it('arbitrary JSON values: 4xx problem+json', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (v) => {
      const status = await send(route, JSON.stringify(v));
      expect(status).toBeGreaterThanOrEqual(400);
    }), { seed: SEED, numRuns: 150 });
  }, 60_000);

  it('a valid body with one field replaced: never 5xx, errors are problems', async () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]): void => {
      if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
        const key = Array.isArray(v) ? Number(k) : k;
        paths.push([...p, key]);
        walk(x, [...p, key]);
      }
    };
    walk(route.valid, []);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), WEIRD, async (path, value) => {
      const body = structuredClone(route.valid) as Record<string | number, unknown>;
      const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, body);
      parent[path[path.length - 1] as string | number] = value;
      await send(route, JSON.stringify(body));
    }), { seed: SEED + 1, numRuns: 150 });
  }, 60_000);

  it('text that is not JSON, deep nesting and 2 MB bodies: 4xx problem+json', async () => {
    const valid = JSON.stringify(route.valid);
    const text = fc.oneof(
      fc.constantFrom('NaN', 'Infinity', '-Infinity', 'undefined', '{"positions": NaN}', '{"accountIds": [Infinity]}', '',
        '{', '[' .repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
        '[' + '1,'.repeat(1_000_000) + '1]', JSON.stringify({ positions: 'x'.repeat(2 * 1024 * 1024) }),
        '{"__proto__": {"isAdmin": true}, "positions": []}', '{"constructor": {"prototype": {"x": 1}}}',
        Buffer.from(valid, 'utf16le').toString('utf8'), '\ufeff' + valid.slice(0, -1)),
      fc.nat({ max: valid.length - 2 }).map((n) => valid.slice(0, n)),
      fc.string({ unit: 'binary', maxLength: 300 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
    );
    await fc.assert(fc.asyncProperty(text, async (body) => {
      const status = await send(route, body);
      expect(status).toBeGreaterThanOrEqual(400);
    }), { seed: SEED + 2, numRuns: 80 });
  }, 120_000);
});
