/**
 * The authorisation matrix: every route x every caller (no key, a malformed header, an unknown key, a revoked key,
 * desk keys of two desks, analyst, admin) answers the designed status: 401 without a valid key, 403 for a role
 * without the permission, 404 for another desk's account (like a missing one), and the route's success status
 * otherwise. Every refusal is application/problem+json and leaks no internals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RunLauncher } from '../../src/api/index.ts';
import type { BatchLauncher } from '../../src/jobs/batch/launcher.ts';
import { createApiKey, createBatch, createRun, revokeApiKey } from '../../src/store/index.ts';
import { createApiFixture, type ApiFixture } from './support/fixture.ts';

type Caller = 'none' | 'malformed' | 'unknown' | 'revoked' | 'retail' | 'mm' | 'analyst' | 'admin';
const CALLERS: readonly Caller[] = ['none', 'malformed', 'unknown', 'revoked', 'retail', 'mm', 'analyst', 'admin'];

interface Case {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly payload?: unknown;
  /** Status for the callers with a valid key (the others always get 401 unless the route is public). */
  readonly expect: Readonly<Record<'retail' | 'mm' | 'analyst' | 'admin', number>>;
  readonly public?: boolean;
}

const all = (s: number) => ({ retail: s, mm: s, analyst: s, admin: s });
const analystUp = (s: number) => ({ retail: 403, mm: 403, analyst: s, admin: s });
const adminOnly = (s: number) => ({ retail: 403, mm: 403, analyst: 403, admin: s });

/** In this order: the promotion (admin) happens before the rollback (admin). */
const CASES: readonly Case[] = [
  { name: 'health', method: 'GET', url: '/health', expect: all(200), public: true },
  { name: 'docs', method: 'GET', url: '/docs/json', expect: all(200), public: true },
  { name: 'own-desk account', method: 'GET', url: '/v1/accounts/ACC-R1/margin', expect: { retail: 200, mm: 404, analyst: 200, admin: 200 } },
  { name: 'other-desk account', method: 'GET', url: '/v1/accounts/ACC-M1/margin', expect: { retail: 404, mm: 200, analyst: 200, admin: 200 } },
  { name: 'missing account', method: 'GET', url: '/v1/accounts/ACC-NONE/margin', expect: all(404) },
  { name: 'what-if', method: 'POST', url: '/v1/margin/what-if', payload: { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] }, expect: all(200) },
  { name: 'what-if on an account', method: 'POST', url: '/v1/margin/what-if', payload: { accountId: 'ACC-R1', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] }, expect: { retail: 200, mm: 404, analyst: 200, admin: 200 } },
  { name: 'surface', method: 'GET', url: '/v1/surfaces/BTC', expect: all(200) },
  { name: 'surface of another run', method: 'GET', url: '/v1/surfaces/BTC?run=run-B', expect: analystUp(200) },
  { name: 'correlation', method: 'GET', url: '/v1/correlation', expect: all(200) },
  { name: 'scenarios', method: 'GET', url: '/v1/scenarios', expect: all(200) },
  { name: 'list runs', method: 'GET', url: '/v1/runs', expect: analystUp(200) },
  { name: 'run status', method: 'GET', url: '/v1/runs/run-A', expect: analystUp(200) },
  { name: 'run report', method: 'GET', url: '/v1/runs/run-A/report', expect: analystUp(200) },
  { name: 'start run', method: 'POST', url: '/v1/runs', payload: { incident: '2026-02-05-drawdown' }, expect: analystUp(202) },
  { name: 'stress test', method: 'POST', url: '/v1/stress-tests', payload: { accountIds: ['ACC-R1', 'ACC-M1'] }, expect: analystUp(200) },
  { name: 'start stress batch', method: 'POST', url: '/v1/stress-batches', payload: { portfolios: 'fixture-accounts', shardSize: 10 }, expect: analystUp(202) },
  { name: 'list stress batches', method: 'GET', url: '/v1/stress-batches', expect: analystUp(200) },
  { name: 'stress batch status', method: 'GET', url: '/v1/stress-batches/batch-1', expect: analystUp(200) },
  { name: 'stress batch report', method: 'GET', url: '/v1/stress-batches/batch-1/report', expect: analystUp(200) },
  { name: 'missing stress batch', method: 'GET', url: '/v1/stress-batches/no-such-batch', expect: analystUp(404) },
  { name: 'list schedules', method: 'GET', url: '/v1/schedules', expect: analystUp(200) },
  { name: 'create schedule', method: 'POST', url: '/v1/schedules', payload: { cron: '0 3 * * *', jobKind: 'stress' }, expect: analystUp(201) },
  { name: 'create batch schedule', method: 'POST', url: '/v1/schedules', payload: { cron: '0 18 * * *', jobKind: 'stress-batch', payload: { portfolios: 'fixture-accounts' } }, expect: analystUp(201) },
  { name: 'delete schedule', method: 'DELETE', url: '/v1/schedules/no-such-schedule', expect: analystUp(404) },
  { name: 'metrics', method: 'GET', url: '/metrics', expect: analystUp(200) },
  { name: 'promote', method: 'POST', url: '/v1/runs/run-B/promote', payload: { reason: 'matrix' }, expect: adminOnly(200) },
  { name: 'rollback', method: 'POST', url: '/v1/rollback', payload: {}, expect: adminOnly(200) },
];

/** Text that must never appear in a problem body. */
const LEAKS = /stack|select |sqlite|\/tmp\/|\/work\/|node_modules|\.ts\b|ak_[0-9a-f]{16}/i;

let f: ApiFixture;
let app: FastifyInstance;
const headers: Partial<Record<Caller, Record<string, string>>> = {};

beforeAll(async () => {
  f = await createApiFixture();
  const launcher: RunLauncher = {
    start: async () => ({ runId: (await createRun(f.store, { inputHashes: {}, modelVersions: {}, codeVersion: 'test', seed: 1 })).id }),
  };
  // batches of no accounts (done at once): the matrix checks who may start one, not the batch itself
  const batches: BatchLauncher = {
    mode: 'in-process',
    resolvePortfolios: (name) => `/portfolios/${name}.json`,
    start: async () => createBatch(f.store, { runId: 'run-A', shardSize: 1, accountCount: 0, source: { portfolios: '/none.json' } }),
    mirror: async () => false,
    close: async () => undefined,
  };
  await createBatch(f.store, { id: 'batch-1', runId: 'run-A', shardSize: 1, accountCount: 0, source: { portfolios: '/none.json' } });
  app = await f.app({ launcher, batches });
  const revoked = await createApiKey(f.store, { role: 'admin', actor: 'test' });
  await revokeApiKey(f.store, revoked.record.id, { actor: 'test' });
  const key = (k: string) => ({ authorization: `Bearer ${k}` });
  Object.assign(headers, {
    none: {},
    malformed: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    unknown: key(`ak_0123456789abcdef.${'A'.repeat(43)}`),
    revoked: key(revoked.key),
    retail: key(f.keys.retail),
    mm: key(f.keys.mm),
    analyst: key(f.keys.analyst),
    admin: key(f.keys.admin),
  });
});
afterAll(async () => {
  await f?.cleanup();
});

describe('authorisation matrix', () => {
  it('answers every route x caller as designed', async () => {
    const table: string[] = [];
    const mismatches: string[] = [];
    for (const c of CASES) {
      const row: string[] = [];
      for (const caller of CALLERS) {
        const want = c.public ? 200 : caller in c.expect ? c.expect[caller as keyof Case['expect']] : 401;
        const r = await app.inject({ method: c.method, url: c.url, headers: headers[caller]!, ...(c.payload === undefined ? {} : { payload: c.payload as object }) });
        row.push(String(r.statusCode));
        if (r.statusCode !== want) mismatches.push(`${c.name} as ${caller}: got ${r.statusCode}, want ${want}: ${r.body.slice(0, 200)}`);
        if (r.statusCode >= 400) {
          expect(r.headers['content-type'], `${c.name} as ${caller}`).toMatch(/^application\/problem\+json/);
          const p = r.json() as Record<string, unknown>;
          expect(Object.keys(p).sort()).toEqual(expect.arrayContaining(['detail', 'instance', 'status', 'title', 'type']));
          expect(p['status']).toBe(r.statusCode);
          expect(r.body, `${c.name} as ${caller}`).not.toMatch(LEAKS);
          if (r.statusCode === 401) expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
        }
      }
      table.push(`${c.name.padEnd(24)} ${row.join(' ')}`);
    }
    console.info(`route x caller (${CALLERS.join(' ')}):\n${table.join('\n')}`);
    expect(mismatches).toEqual([]);
  });

  it('verified keys are cached: the matrix cost one scrypt per distinct token', async () => {
    // 6 distinct well-formed tokens were presented (unknown, revoked, retail, mm, analyst, admin); the malformed header never reaches the store
    expect(app.aftershock.keys.verifications).toBe(6);
  });
});
