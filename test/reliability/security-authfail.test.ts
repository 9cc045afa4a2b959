/**
 * Security (issue 10): the per-address budget of FAILED authentications (src/api/authFailureBudget.ts). The key
 * check runs before the per-key rate limit, and each distinct well-formed unknown token costs one scrypt
 * verification, so without a budget one address could keep the CPU hashing. Here (budget 5 per 60 s, manual
 * clock, every store verification counted by a wrapped verifier): after 5 failures from one address, any request
 * from it without an already-verified key is a 429 problem with Retry-After and reaches no verifier, sequentially
 * and in a concurrent burst; a desk key verified before is still served from that address (also after its 30 s
 * cache trust lapsed); another address is unaffected; the budget is back after the window; a burst of one new valid
 * key costs one charge, refunded. Also on a real server over TCP, and the defaults and the address grouping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiRuntime, DEFAULT_RATE_LIMIT, startServer, type BuildAppOptions } from '../../src/api/index.ts';
import { AuthFailureBudget, clientKeyOf, DEFAULT_AUTH_FAILURE_LIMIT } from '../../src/api/authFailureBudget.ts';
import { verifyApiKey, type Store } from '../../src/store/index.ts';
import { expectProblem } from './support/securityChecks.ts';
import { bearer, createSecurityWorld, type SecurityWorld } from './support/securityWorld.ts';

const BUDGET = 5;
const WINDOW_MS = 60_000;
const ATTACKER = '203.0.113.7';
const NEIGHBOUR = '198.51.100.9';

let w: SecurityWorld;
beforeAll(async () => {
  w = await createSecurityWorld('sqlite');
}, 60_000);
afterAll(async () => {
  await w?.cleanup();
});

/** A well-formed key that no store holds (its id is `n`): verifying it costs a real scrypt. */
const unknownKey = (n: number): string => `ak_${n.toString(16).padStart(16, '0')}.${'B'.repeat(43)}`;

/** An app with the failure budget on (per-key rate limit off), a manual clock, and every store verification counted. */
async function budgetedApp(overrides: Partial<BuildAppOptions> = {}): Promise<{ app: FastifyInstance; verified: string[]; clock: { now: number } }> {
  const clock = { now: Date.UTC(2026, 10, 25, 12) };
  const verified: string[] = [];
  const app = await w.app({
    clock: () => clock.now,
    authFailureLimit: { max: BUDGET, timeWindowMs: WINDOW_MS },
    verifyKey: (store: Store, token: string) => {
      verified.push(token);
      return verifyApiKey(store, token);
    },
    ...overrides,
  });
  return { app, verified, clock };
}

function get(app: FastifyInstance, remoteAddress: string, headers: Record<string, string>, url = '/v1/runs') {
  return app.inject({ method: 'GET', url, headers, remoteAddress });
}

function expectThrottled(r: { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string }, what: string, retryAfter: number): void {
  const p = expectProblem(r, 429, what);
  expect(p['type'], what).toBe('urn:aftershock:problem:rate-limited');
  expect(String(p['detail']), what).toMatch(/too many failed authentications from this address/);
  expect(Number(r.headers['retry-after']), what).toBe(retryAfter);
  expect(r.headers['www-authenticate'], what).toBeUndefined();
}

describe('a burst of bad tokens from one address', () => {
  it('after the budget, 429 without any verification; a key verified before is still served; others unaffected; reset after the window', async () => {
    const { app, verified, clock } = await budgetedApp();
    // the desk behind the same NAT address used its key before the attack
    expect((await get(app, ATTACKER, bearer(w.keys.retail), '/v1/accounts/ACC-R1/margin')).statusCode).toBe(200);
    expect(verified).toHaveLength(1);
    const start = clock.now;

    for (let i = 0; i < BUDGET; i++) {
      const r = await get(app, ATTACKER, bearer(unknownKey(i)));
      expectProblem(r, 401, `bad token ${i}`);
      clock.now += 1000;
    }
    expect(verified).toHaveLength(1 + BUDGET); // each distinct unknown token cost one store verification (one scrypt)

    // over budget: unknown, missing, malformed and revoked credentials alike, and no verifier call for any of them
    const refused: [string, Record<string, string>][] = [
      ...Array.from({ length: 20 }, (_, i): [string, Record<string, string>] => [`bad token ${BUDGET + i}`, bearer(unknownKey(BUDGET + i))]),
      ['no Authorization', {}],
      ['Basic credentials', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['a revoked key', bearer(w.keys.revoked)],
    ];
    for (const [what, headers] of refused) expectThrottled(await get(app, ATTACKER, headers), what, Math.ceil((start + WINDOW_MS - clock.now) / 1000));
    expect(verified).toHaveLength(1 + BUDGET);
    expect(app.aftershock.keys.verifications).toBe(1 + BUDGET);
    console.info(`${BUDGET} failures then ${refused.length} refused without verification; store verifications ${verified.length}`);

    // the desk's key is served from the attacker's address: a cache hit, no verification
    expect((await get(app, ATTACKER, bearer(w.keys.retail), '/v1/accounts/ACC-R1/margin')).statusCode).toBe(200);
    expect(verified).toHaveLength(1 + BUDGET);
    // ... also once its 30 s cache trust has lapsed (verified again: one store call, not refused)
    clock.now = start + 31_000;
    expect((await get(app, ATTACKER, bearer(w.keys.retail), '/v1/accounts/ACC-R1/margin')).statusCode).toBe(200);
    expect(verified).toHaveLength(2 + BUDGET);
    // a valid key this server has never verified is still served from the attacker's address: its key id is active
    // (one indexed read, no KDF), so it is checked and charged to its key id's own budget, then refunded
    expect((await get(app, ATTACKER, bearer(w.keys.analyst))).statusCode).toBe(200);
    expect(verified).toHaveLength(3 + BUDGET);
    // public routes ignore the budget
    expect((await app.inject({ method: 'GET', url: '/health', remoteAddress: ATTACKER })).statusCode).toBe(200);

    // another address keeps its own budget
    expectProblem(await get(app, NEIGHBOUR, bearer(unknownKey(999))), 401, 'another address');
    expect((await get(app, NEIGHBOUR, bearer(w.keys.analyst))).statusCode).toBe(200); // cached since just above
    expect(verified).toHaveLength(4 + BUDGET);

    // the window ends 60 s after the first failure: the attacker's address gets a fresh budget
    clock.now = start + WINDOW_MS - 1;
    expectThrottled(await get(app, ATTACKER, bearer(unknownKey(500))), 'last ms of the window', 1);
    clock.now = start + WINDOW_MS;
    expectProblem(await get(app, ATTACKER, bearer(unknownKey(501))), 401, 'after the window');
    expect(verified).toHaveLength(5 + BUDGET);
    expect(app.aftershock.authFailures?.failures(ATTACKER)).toBe(1);

    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(w.keys.analyst), remoteAddress: NEIGHBOUR });
    expect(metrics.body).toMatch(new RegExp(`^aftershock_auth_failures_total\\{reason="throttled"\\} ${refused.length + 1}$`, 'm'));
  });

  it('over the address budget, guessing the secret of an active key id is bounded by that key id\'s own budget', async () => {
    const { app, verified, clock } = await budgetedApp();
    for (let i = 0; i < BUDGET; i++) expectProblem(await get(app, ATTACKER, bearer(unknownKey(i))), 401, `bad token ${i}`);
    expect(verified).toHaveLength(BUDGET);
    const id = /^ak_([0-9a-f]{16})\./.exec(w.keys.analyst)?.[1];
    expect(id).toBeDefined();
    const guess = (n: number): string => `ak_${id}.${String(n).padStart(43, 'A')}`;
    // each guess is checked (a KDF) until the key id's budget is spent, then refused without one
    for (let i = 0; i < BUDGET; i++) expectProblem(await get(app, ATTACKER, bearer(guess(i))), 401, `guess ${i}`);
    expect(verified).toHaveLength(2 * BUDGET);
    const r = await get(app, ATTACKER, bearer(guess(BUDGET)));
    expect(r.statusCode).toBe(429);
    expect(JSON.parse(r.body).detail).toMatch(/with this key id/);
    expect(verified).toHaveLength(2 * BUDGET);
    // made-up key ids stay refused without a KDF; the key id budget resets with its window
    expectThrottled(await get(app, ATTACKER, bearer(unknownKey(777))), 'made-up id', Math.ceil(WINDOW_MS / 1000));
    expect(verified).toHaveLength(2 * BUDGET);
    clock.now += WINDOW_MS;
    expect((await get(app, ATTACKER, bearer(w.keys.analyst))).statusCode).toBe(200);
  });

  it('a concurrent burst of 50 distinct bad tokens: exactly the budget verified, the rest 429', async () => {
    const { app, verified } = await budgetedApp();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => get(app, ATTACKER, bearer(unknownKey(10_000 + i)))));
    const statuses = answers.map((r) => r.statusCode);
    console.info(`concurrent burst of 50 bad tokens (budget ${BUDGET}): ${statuses.filter((s) => s === 401).length} x 401, ${statuses.filter((s) => s === 429).length} x 429, ${verified.length} verifications`);
    expect(statuses.filter((s) => s === 401)).toHaveLength(BUDGET);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - BUDGET);
    expect(verified).toHaveLength(BUDGET);
  });

  it('a concurrent burst of one NEW valid key costs one verification and no budget', async () => {
    const { app, verified } = await budgetedApp();
    const statuses = (await Promise.all(Array.from({ length: 30 }, () => get(app, ATTACKER, bearer(w.keys.mm), '/v1/accounts/ACC-M1/margin')))).map((r) => r.statusCode);
    expect(statuses).toEqual(Array(30).fill(200));
    expect(verified).toEqual([w.keys.mm]);
    expect(app.aftershock.authFailures?.failures(ATTACKER)).toBe(0);
    // and the same burst of one BAD token: one verification, every request counted as a failure once it failed
    const bad = (await Promise.all(Array.from({ length: 3 }, () => get(app, NEIGHBOUR, bearer(unknownKey(77)))))).map((r) => r.statusCode);
    expect(bad).toEqual([401, 401, 401]);
    expect(verified).toHaveLength(2);
    expect(app.aftershock.authFailures?.failures(NEIGHBOUR)).toBe(3);
  });

  it('a store failure during verification is not charged to the caller', async () => {
    const { app } = await budgetedApp({
      verifyKey: () => Promise.reject(new Error('database unavailable')),
    });
    const r = await get(app, ATTACKER, bearer(unknownKey(1)));
    expectProblem(r, 500, 'store failure');
    expect(app.aftershock.authFailures?.failures(ATTACKER)).toBe(0);
  });
});

describe('on a real server (127.0.0.1)', () => {
  it('30 concurrent bad tokens over TCP: 5 verified, 25 refused 429; a key verified before is still served', async () => {
    const verified: string[] = [];
    const server = await startServer({
      store: w.store, port: 0, handleSignals: false, closeStore: false, pollIntervalMs: 0, launcher: w.launcher, batches: w.batches,
      authFailureLimit: { max: BUDGET, timeWindowMs: WINDOW_MS },
      verifyKey: (store, token) => {
        verified.push(token);
        return verifyApiKey(store, token);
      },
    });
    try {
      const fetchStatus = async (key: string, path = '/v1/runs'): Promise<{ status: number; retryAfter: string | null; type: string | null }> => {
        const r = await fetch(`${server.url}${path}`, { headers: bearer(key) });
        await r.arrayBuffer();
        return { status: r.status, retryAfter: r.headers.get('retry-after'), type: r.headers.get('content-type') };
      };
      expect((await fetchStatus(w.keys.retail, '/v1/accounts/ACC-R1/margin')).status).toBe(200);
      const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => fetchStatus(unknownKey(20_000 + i))));
      expect(burst.filter((a) => a.status === 401)).toHaveLength(BUDGET);
      const limited = burst.filter((a) => a.status === 429);
      expect(limited).toHaveLength(30 - BUDGET);
      for (const a of limited) {
        expect(a.type).toMatch(/^application\/problem\+json/);
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
        expect(Number(a.retryAfter)).toBeLessThanOrEqual(WINDOW_MS / 1000);
      }
      expect(verified).toHaveLength(1 + BUDGET);
      expect((await fetchStatus(w.keys.retail, '/v1/accounts/ACC-R1/margin')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('configuration', () => {
  it('defaults: 20 per minute with the rate limit, none without it; explicit settings win; bad ones are refused', () => {
    const base = { store: w.store, batches: null, pollIntervalMs: 0 } as const;
    expect(DEFAULT_AUTH_FAILURE_LIMIT).toEqual({ max: 20, timeWindowMs: 60_000 });
    const byDefault = createApiRuntime(base);
    expect(byDefault.rateLimit).toEqual(DEFAULT_RATE_LIMIT);
    expect([byDefault.authFailures?.max, byDefault.authFailures?.timeWindowMs]).toEqual([20, 60_000]);
    expect(createApiRuntime({ ...base, rateLimit: false }).authFailures).toBeNull();
    expect(createApiRuntime({ ...base, authFailureLimit: false }).authFailures).toBeNull();
    expect(createApiRuntime({ ...base, rateLimit: false, authFailureLimit: { max: 3, timeWindowMs: 1000 } }).authFailures?.max).toBe(3);
    expect(() => createApiRuntime({ ...base, authFailureLimit: { max: 0, timeWindowMs: 1000 } })).toThrow(/authFailureLimit\.max/);
    expect(() => createApiRuntime({ ...base, authFailureLimit: { max: 5, timeWindowMs: 0.5 } })).toThrow(/authFailureLimit\.timeWindowMs/);
  });

  it('clients are keyed by IPv4 address, IPv4-mapped IPv6 as IPv4, other IPv6 by /64; memory is bounded', () => {
    expect(clientKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('2001:DB8:0000:0001:ffff:ffff:ffff:fffe%eth0')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf('not an address')).toBe('not an address');
    let now = 0;
    const budget = new AuthFailureBudget({ max: 2, timeWindowMs: 1000 }, { clock: () => now, maxClients: 3 });
    expect(budget.charge('2001:db8:0:1::a').admitted).toBe(true);
    expect(budget.charge('2001:db8:0:1::b').admitted).toBe(true);
    expect(budget.charge('2001:db8:0:1:ffff::c')).toEqual({ admitted: false, retryAfterMs: 1000 }); // same /64: one budget
    expect(budget.charge('2001:db8:0:2::a').admitted).toBe(true); // the next /64 is another client
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) budget.charge(ip);
    expect(budget.size).toBe(3); // least recently charged evicted
    now = 999;
    expect(budget.charge('10.0.0.4').admitted).toBe(true);
    expect(budget.charge('10.0.0.4')).toEqual({ admitted: false, retryAfterMs: 1 });
    now = 1000;
    expect(budget.charge('10.0.0.4').admitted).toBe(true);
  });
});
