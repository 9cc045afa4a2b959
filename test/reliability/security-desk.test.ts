/**
 * Security (issue 10): a desk key against every route that takes an account id, a run id, a batch id or a
 * portfolio. Another desk's account answers exactly like a missing one (status, headers, body but for the id and
 * request id) on the margin read, HEAD and the what-if; desk keys see no lists (runs, batches, schedules, metrics),
 * no run or batch report (both carry every desk's accounts), cannot start stress tests naming accounts, and read
 * the active run's market data only. Analyst keys see every desk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expectProblem } from './support/securityChecks.ts';
import { ROUTE_CASES, urlOf } from './support/securityRoutes.ts';
import { bearer, createSecurityWorld, DESK_ACCOUNTS, type SecurityWorld } from './support/securityWorld.ts';

let w: SecurityWorld;
let app: FastifyInstance;

beforeAll(async () => {
  w = await createSecurityWorld('sqlite');
  app = await w.app();
}, 60_000);
afterAll(async () => {
  await w?.cleanup();
});

const DESKS = ['retail', 'mm'] as const;
const ALL_ACCOUNTS = Object.values(DESK_ACCOUNTS).flat();

/** A missing account id of the same length as `id` (so Content-Length cannot tell them apart). */
function missingLike(id: string): string {
  return `${id.slice(0, -1)}${id.endsWith('Z') ? 'Y' : 'Z'}`.replace(/^ACC-/, 'ACX-');
}

/** The parts of a response that must not tell a foreign account from a missing one. */
function shape(r: LightMyRequestResponse, id: string): unknown {
  const headers = { ...r.headers };
  delete headers['date'];
  const body = r.body === '' ? '' : (JSON.parse(r.body) as Record<string, unknown>);
  if (typeof body === 'object') delete body['requestId'];
  return { status: r.statusCode, headers, body: JSON.stringify(body).split(id).join('<id>') };
}

describe('account margins: own desk 200, any other account indistinguishable from a missing one', () => {
  it.each(DESKS)('%s key over every account, GET and HEAD', async (desk) => {
    const key = desk === 'retail' ? w.keys.retail : w.keys.mm;
    let foreign = 0;
    for (const id of ALL_ACCOUNTS) {
      const mine = (DESK_ACCOUNTS[desk] ?? []).includes(id);
      for (const method of ['GET', 'HEAD'] as const) {
        const r = await app.inject({ method, url: `/v1/accounts/${id}/margin`, headers: bearer(key) });
        if (mine) {
          expect(r.statusCode, `${desk} ${method} ${id}`).toBe(200);
          if (method === 'GET') expect(r.json()).toMatchObject({ accountId: id, desk });
          continue;
        }
        const missing = missingLike(id);
        const m = await app.inject({ method, url: `/v1/accounts/${missing}/margin`, headers: bearer(key) });
        expect(shape(r, id), `${desk} ${method} ${id} vs ${missing}`).toEqual(shape(m, missing));
        if (method === 'GET') expectProblem(r, 404, `${desk} ${id}`);
        foreign++;
      }
    }
    expect(foreign).toBeGreaterThanOrEqual(8);
  });

  it('look-alike ids of another desk\'s account are 404 too (case, suffixes, encodings)', async () => {
    for (const id of ['acc-m1', 'ACC-M1%00', 'ACC-M1%20', 'ACC-M1.', 'ACC-M1%2e', '%41CC-M1', 'ACC-M1;', 'ACC-M1?x=1']) {
      const r = await app.inject({ method: 'GET', url: `/v1/accounts/${id}/margin`, headers: bearer(w.keys.retail) });
      expect([404, 422], `${id}: ${r.statusCode}`).toContain(r.statusCode);
      expect(r.body, id).not.toMatch(/initialMarginUsd|"desk"/);
    }
  });
});

describe('what-if on an account', () => {
  it.each(DESKS)('%s key: own accounts answer, others exactly like missing ones', async (desk) => {
    const key = desk === 'retail' ? w.keys.retail : w.keys.mm;
    const positions = [{ instrument: 'BTC-PERPETUAL', quantity: 1 }];
    for (const id of ALL_ACCOUNTS) {
      const r = await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: bearer(key), payload: { accountId: id, positions } });
      if ((DESK_ACCOUNTS[desk] ?? []).includes(id)) {
        expect(r.statusCode).toBe(200);
        expect((r.json() as { account: { desk: string } }).account.desk).toBe(desk);
        continue;
      }
      const missing = missingLike(id);
      const m = await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: bearer(key), payload: { accountId: missing, positions } });
      expectProblem(r, 404, `${desk} what-if ${id}`);
      expect(shape(r, id)).toEqual(shape(m, missing));
    }
  });
});

describe('everything else that names accounts, runs, batches or portfolios', () => {
  it('desk keys: stress tests, runs, reports, batches, schedules and metrics are 403 with no data', async () => {
    const probes: [string, string, unknown?][] = [
      ['POST', '/v1/stress-tests', { accountIds: ['ACC-M1'] }],
      ['POST', '/v1/stress-tests', { accountIds: ['ACC-R1'] }],
      ['POST', '/v1/stress-tests', { portfolios: [{ id: 'ACC-M1', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] }] }],
      ['POST', '/v1/stress-batches', { portfolios: 'desk-book' }],
      ['GET', '/v1/stress-batches'], ['GET', `/v1/stress-batches/${w.batchId}`], ['GET', `/v1/stress-batches/${w.batchId}/report`],
      ['GET', '/v1/runs'], ['GET', '/v1/runs/run-A'], ['GET', '/v1/runs/run-A/report'], ['GET', '/v1/runs/run-A/report?format=html'],
      ['GET', '/v1/schedules'], ['GET', '/metrics'], ['GET', '/v1/surfaces/BTC?run=run-B'],
    ];
    for (const desk of DESKS) {
      const key = desk === 'retail' ? w.keys.retail : w.keys.mm;
      for (const [method, url, payload] of probes) {
        const r = await app.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) });
        expectProblem(r, 403, `${desk} ${method} ${url}`);
        expect(r.body).not.toMatch(/ACC-[RMV]\d"|initialMargin/);
      }
    }
    expect(w.batchStarts).toEqual([]);
  });

  it('desk keys read the active run\'s market data, which names no account', async () => {
    for (const c of ROUTE_CASES.filter((x) => x.minRole === 'desk' && x.method === 'GET' && x.url !== '/v1/accounts/:id/margin')) {
      const r = await app.inject({ method: 'GET', url: urlOf(c), headers: bearer(w.keys.retail) });
      expect(r.statusCode, c.url).toBe(200);
      expect(r.json()).toMatchObject({ runId: 'run-A' });
      expect(r.body, c.url).not.toMatch(/ACC-/);
    }
  });

  it('analyst keys see every desk: stress tests, batch report', async () => {
    const st = await app.inject({ method: 'POST', url: '/v1/stress-tests', headers: bearer(w.keys.analyst), payload: { accountIds: ALL_ACCOUNTS } });
    expect(st.statusCode).toBe(200);
    expect((st.json() as { results: { status: string }[] }).results.every((x) => x.status === 'ok')).toBe(true);
    const report = await app.inject({ method: 'GET', url: `/v1/stress-batches/${w.batchId}/report`, headers: bearer(w.keys.analyst) });
    expect(report.statusCode).toBe(200);
    expect(report.body).toMatch(/retail/);
    expect(report.body).toMatch(/"mm"/);
  });
});
