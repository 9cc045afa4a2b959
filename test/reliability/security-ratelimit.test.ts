/**
 * Security (issue 10): the per-key rate limit under bursts, on a real server on 127.0.0.1 (budget 20 requests per
 * 1.5 s window for the test). A burst of 60 concurrent requests from one key: exactly the budget succeeds, the rest
 * are 429 application/problem+json with Retry-After; another key in the same burst keeps its own full budget; after
 * the window the key is served again. The budget is per key, not per route or connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/index.ts';
import { expectProblem } from './support/securityChecks.ts';
import { sleep } from './support/securityHttp.ts';
import { bearer, createSecurityWorld, type SecurityWorld } from './support/securityWorld.ts';

const BUDGET = 20;
const WINDOW_MS = 1500;

let w: SecurityWorld;
let server: RunningServer;

beforeAll(async () => {
  w = await createSecurityWorld('sqlite');
  server = await startServer({
    store: w.store, port: 0, handleSignals: false, closeStore: false, pollIntervalMs: 0,
    rateLimit: { max: BUDGET, timeWindowMs: WINDOW_MS }, launcher: w.launcher, batches: w.batches,
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await w?.cleanup();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

async function get(path: string, key: string): Promise<Answer> {
  const r = await fetch(`${server.url}${path}`, { headers: bearer(key) });
  return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
}

/** Waits until a fresh window has certainly begun for every key. */
const nextWindow = () => sleep(WINDOW_MS + 300);

describe('rate limit under bursts', () => {
  it('a burst of 60 from one key: exactly the budget served, the rest 429 problems with Retry-After', async () => {
    await nextWindow();
    const paths = ['/v1/accounts/ACC-R1/margin', '/v1/surfaces/BTC', '/v1/correlation'];
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => get(paths[i % 3] as string, w.keys.retail)));
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    console.info(`burst of 60 (budget ${BUDGET}): ${ok.length} served, ${limited.length} limited, others ${answers.length - ok.length - limited.length}`);
    expect(ok.length).toBe(BUDGET);
    expect(limited.length).toBe(60 - BUDGET);
    for (const a of limited) {
      const p = expectProblem({ statusCode: a.status, headers: a.headers, body: a.body }, 429, 'limited');
      expect(String(p['detail'])).toMatch(/per key/);
      expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(a.headers['retry-after'])).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000));
      expect(a.body).not.toMatch(/ACC-R1"|initialMargin/);
    }
  });

  it('another key in the same burst keeps its own full budget; the limited key is served after the window', async () => {
    await nextWindow();
    const burst = await Promise.all([
      ...Array.from({ length: 40 }, () => get('/v1/accounts/ACC-R1/margin', w.keys.retail)),
      ...Array.from({ length: BUDGET }, () => get('/v1/accounts/ACC-M1/margin', w.keys.mm)),
    ]);
    const retail = burst.slice(0, 40).map((a) => a.status);
    const mm = burst.slice(40).map((a) => a.status);
    expect(retail.filter((s) => s === 200).length).toBe(BUDGET);
    expect(retail.filter((s) => s === 429).length).toBe(40 - BUDGET);
    expect(mm).toEqual(Array(BUDGET).fill(200));
    expect((await get('/v1/accounts/ACC-R1/margin', w.keys.retail)).status).toBe(429);
    await nextWindow();
    expect((await get('/v1/accounts/ACC-R1/margin', w.keys.retail)).status).toBe(200);
  });

  it('write routes share the same budget: a burst of what-ifs cannot exceed it either', async () => {
    await nextWindow();
    const post = async (): Promise<number> => {
      const r = await fetch(`${server.url}/v1/margin/what-if`, {
        method: 'POST', headers: { ...bearer(w.keys.mm), 'content-type': 'application/json' },
        body: JSON.stringify({ positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] }),
      });
      await r.arrayBuffer();
      return r.status;
    };
    const statuses = await Promise.all(Array.from({ length: 50 }, post));
    expect(statuses.filter((s) => s === 200).length).toBe(BUDGET);
    expect(statuses.filter((s) => s === 429).length).toBe(50 - BUDGET);
  });
});
