/**
 * The read routes on the two-run fixture (run A active): account margins with their attribution, what-if margins
 * (equal to the stored margin for the account's own book; a hedge adds to the stored book), stress tests, and the
 * market reads. Stored values come from test/api/support/seed.ts; the worst scenarios are checked against the P&L
 * vector summed and sorted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import { AccountMarginSchema } from '../../src/api/schemas/accounts.ts';
import { bearer, createApiFixture, type ApiFixture } from './support/fixture.ts';
import { TEST_ACCOUNTS } from './support/seed.ts';

let f: ApiFixture;
let app: FastifyInstance;

beforeAll(async () => {
  f = await createApiFixture({
    runA: {
      attributionOverride: {
        'ACC-R3': null, // no attribution stored
        'ACC-R4': { worst: 'legacy document without a format' },
        'ACC-V2': { format: 1, positions: 'not an array' },
      },
    },
  });
  app = await f.app();
});
afterAll(async () => {
  await f?.cleanup();
});

async function get(url: string, key: string) {
  const r = await app.inject({ method: 'GET', url, headers: bearer(key) });
  return { status: r.statusCode, body: r.json() as Record<string, unknown>, headers: r.headers, text: r.body };
}
async function post(url: string, key: string, payload: unknown) {
  const r = await app.inject({ method: 'POST', url, headers: bearer(key), payload: payload as object });
  return { status: r.statusCode, body: r.json() as Record<string, unknown>, text: r.body };
}

describe('GET /v1/accounts/{id}/margin', () => {
  it('answers the stored margins, collateral, excess and attribution of the active run', async () => {
    const stored = f.runA.margins.get('ACC-M1')!;
    const r = await get('/v1/accounts/ACC-M1/margin', f.keys.mm);
    expect(r.status).toBe(200);
    const b = r.body as Record<string, any>;
    expect(b).toMatchObject({
      accountId: 'ACC-M1', desk: 'mm', runId: 'run-A', generation: 1, currency: 'USD',
      initialMarginUsd: stored.initialMargin,
      maintenanceMarginUsd: stored.maintenanceMargin,
      collateralValueUsd: stored.collateralValue,
      excessUsd: stored.collateralValue - stored.initialMargin,
      deficitUsd: 0,
      attributionFormat: 1,
    });
    const a = stored.attribution as Record<string, any>;
    expect(b.preIncident).toEqual(a.preIncident);
    expect(b.change).toEqual(a.change);
    expect(b.worstScenario).toEqual(a.worstScenario);
    expect(b.drivers).toEqual(a.drivers);
    expect(b.components).toEqual(a.components);
    expect(b.positions).toEqual(TEST_ACCOUNTS.find((x) => x.id === 'ACC-M1')!.positions);
    expect(b.maintenanceMarginUsd).toBeCloseTo(0.75 * b.initialMarginUsd, 9);
    // the body is pre-serialised (not by fastify's schema serializer): it must still match the documented schema
    expect([...Value.Errors(AccountMarginSchema, b)]).toEqual([]);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('reports a deficit as a negative excess and a positive deficit', async () => {
    const stored = f.runA.margins.get('ACC-R2')!;
    expect(stored.initialMargin).toBeGreaterThan(stored.collateralValue); // the seed makes ACC-R2 under-collateralised
    const r = await get('/v1/accounts/ACC-R2/margin', f.keys.retail);
    expect(r.body['excessUsd']).toBeLessThan(0);
    expect(r.body['deficitUsd']).toBe(stored.initialMargin - stored.collateralValue);
    expect(r.body['marginCallUsd']).toBe(stored.initialMargin - stored.collateralValue);
  });

  it('serves null attribution fields for a missing or pre-format attribution', async () => {
    for (const id of ['ACC-R3', 'ACC-R4']) {
      const r = await get(`/v1/accounts/${id}/margin`, f.keys.retail);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ attributionFormat: null, preIncident: null, change: null, worstScenario: null, components: null, marginCallUsd: null, drivers: [], positions: [] });
      expect(r.body['initialMarginUsd']).toBe(f.runA.margins.get(id)!.initialMargin);
    }
  });

  it('answers a malformed stored attribution with a generic 500 problem', async () => {
    const r = await get('/v1/accounts/ACC-V2/margin', f.keys.analyst);
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body['detail']).not.toMatch(/positions|array/);
    expect(r.body['type']).toBe('urn:aftershock:problem:internal');
  });

  it('gives a desk key the same 404 for another desk\'s account as for a missing one', async () => {
    const foreign = await get('/v1/accounts/ACC-M1/margin', f.keys.retail);
    const missing = await get('/v1/accounts/ACC-NOPE/margin', f.keys.retail);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (b: Record<string, unknown>, id: string) => JSON.stringify({ ...b, requestId: '', instance: String(b['instance']).replace(id, '#'), detail: String(b['detail']).replace(id, '#') });
    expect(strip(foreign.body, 'ACC-M1')).toBe(strip(missing.body, 'ACC-NOPE'));
    expect((await get('/v1/accounts/ACC-M1/margin', f.keys.analyst)).status).toBe(200);
  });
});

describe('POST /v1/margin/what-if', () => {
  it("equals the stored initial and maintenance margin for each account's own book", async () => {
    for (const acc of TEST_ACCOUNTS.filter((a) => !['ACC-R3', 'ACC-R4', 'ACC-V2'].includes(a.id))) {
      const r = await post('/v1/margin/what-if', f.keys.analyst, { positions: acc.positions });
      expect(r.status, acc.id).toBe(200);
      const stored = f.runA.margins.get(acc.id)!;
      expect(r.body['initialMarginUsd'], acc.id).toBe(stored.initialMargin);
      expect(r.body['maintenanceMarginUsd'], acc.id).toBe(stored.maintenanceMargin);
      expect(r.body).toMatchObject({ runId: 'run-A', generation: 1, scenarioCount: f.runA.scenarioIds.length, account: null });
    }
  });

  it('lists the worst scenarios of the hand-summed P&L vector, worst first', async () => {
    const positions = [{ instrument: 'BTC-PERPETUAL', quantity: 2 }, { instrument: 'ETH-27MAR26-1800-P', quantity: -5 }];
    const r = await post('/v1/margin/what-if', f.keys.retail, { positions, worst: 7 });
    const { matrix, scenarioIds, model } = f.runA;
    const cols = scenarioIds.length;
    const pnl = scenarioIds.map((_, j) => positions.reduce((s, p) => s + p.quantity * (matrix[model.rowOf.get(p.instrument)! * cols + j] as number), 0));
    const expected = pnl.map((v, j) => ({ id: scenarioIds[j], pnlUsd: v })).sort((a, b) => a.pnlUsd - b.pnlUsd).slice(0, 7);
    const got = r.body['worstScenarios'] as { id: string; pnlUsd: number }[];
    expect(got.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    got.forEach((s, i) => expect(s.pnlUsd).toBeCloseTo(expected[i]!.pnlUsd, 6));
    expect(r.body['exposures']).toEqual([
      { underlying: 'BTC', exposureUsd: 2 * 70_000 },
      { underlying: 'ETH', exposureUsd: -5 * -600 },
    ]);
  });

  it('adds posted positions to a stored book: a full offset gives zero margin and the difference to the stored one', async () => {
    const acc = TEST_ACCOUNTS.find((a) => a.id === 'ACC-M2')!;
    const stored = f.runA.margins.get('ACC-M2')!;
    const hedge = acc.positions.map((p) => ({ instrument: p.instrument, quantity: -p.quantity }));
    const r = await post('/v1/margin/what-if', f.keys.mm, { accountId: 'ACC-M2', positions: hedge });
    expect(r.status).toBe(200);
    expect(r.body['initialMarginUsd']).toBe(0);
    expect(r.body['account']).toEqual({
      accountId: 'ACC-M2', desk: 'mm', storedPositions: acc.positions.length,
      current: { initialMarginUsd: stored.initialMargin, maintenanceMarginUsd: stored.maintenanceMargin, collateralValueUsd: stored.collateralValue, excessUsd: stored.collateralValue - stored.initialMargin },
      difference: { initialMarginUsd: -stored.initialMargin, maintenanceMarginUsd: -stored.maintenanceMargin },
      excessAfterUsd: stored.collateralValue,
    });
    // a partial hedge: the same as posting the combined book without accountId
    const extra = [{ instrument: 'BTC-27MAR26-60000-P', quantity: 1 }];
    const hedged = await post('/v1/margin/what-if', f.keys.mm, { accountId: 'ACC-M2', positions: extra });
    const combined = await post('/v1/margin/what-if', f.keys.mm, { positions: [...extra, ...acc.positions] });
    expect(hedged.body['initialMarginUsd']).toBe(combined.body['initialMarginUsd']);
  });

  it('scopes accountId like the account route and names bad positions', async () => {
    const foreign = await post('/v1/margin/what-if', f.keys.retail, { accountId: 'ACC-M2', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] });
    expect(foreign.status).toBe(404);
    const noBook = await post('/v1/margin/what-if', f.keys.retail, { accountId: 'ACC-R3', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] });
    expect(noBook.status).toBe(422);
    expect(noBook.body['detail']).toMatch(/^body\.accountId: /);
    const unknown = await post('/v1/margin/what-if', f.keys.retail, { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }, { instrument: 'SOL-PERPETUAL', quantity: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body['errors']).toEqual([{ in: 'body', field: 'positions[1].instrument', reason: expect.stringMatching(/not an instrument/) }]);
  });
});

describe('POST /v1/stress-tests', () => {
  it('margins posted portfolios and stored accounts, failures as results', async () => {
    const r = await post('/v1/stress-tests', f.keys.analyst, {
      portfolios: [
        { id: 'p1', positions: TEST_ACCOUNTS.find((a) => a.id === 'ACC-M1')!.positions },
        { id: 'bad', positions: [{ instrument: 'DOGE', quantity: 1 }] },
      ],
      accountIds: ['ACC-V1', 'ACC-NOPE', 'ACC-R3'],
      worst: 3,
    });
    expect(r.status).toBe(200);
    const results = r.body['results'] as Record<string, any>[];
    expect(results.map((x) => [x.id, x.source, x.status])).toEqual([
      ['p1', 'posted', 'ok'], ['bad', 'posted', 'failed'], ['ACC-V1', 'account', 'ok'], ['ACC-NOPE', 'account', 'failed'], ['ACC-R3', 'account', 'failed'],
    ]);
    expect(results[0]!.initialMarginUsd).toBe(f.runA.margins.get('ACC-M1')!.initialMargin);
    expect(results[2]!.initialMarginUsd).toBe(f.runA.margins.get('ACC-V1')!.initialMargin);
    expect(results[0]!.worstScenarios).toHaveLength(3);
    expect(results[1]!.error).toEqual({ field: 'portfolios[1].positions[0].instrument', reason: expect.any(String) });
    expect(r.body['failed']).toBe(3);
    const empty = await post('/v1/stress-tests', f.keys.analyst, {});
    expect(empty.status).toBe(422);
  });
});

describe('market reads', () => {
  it('surfaces, correlation and scenario sets of the active run, or of ?run= for analysts', async () => {
    const s = await get('/v1/surfaces/BTC', f.keys.retail);
    expect(s.body).toMatchObject({ runId: 'run-A', generation: 1, underlying: 'BTC', model: 'svi', parameters: { scale: 1 } });
    expect((await get('/v1/surfaces/SOL', f.keys.retail)).status).toBe(404);
    const sb = await get('/v1/surfaces/ETH?run=run-B', f.keys.analyst);
    expect(sb.body).toMatchObject({ runId: 'run-B', generation: null, parameters: { scale: 1.5 } });
    expect((await get('/v1/surfaces/ETH?run=run-B', f.keys.retail)).status).toBe(403);
    expect((await get('/v1/surfaces/ETH?run=run-Z', f.keys.analyst)).status).toBe(404);
    const c = await get('/v1/correlation', f.keys.retail);
    expect(c.body).toMatchObject({ runId: 'run-A', assets: ['BTC', 'ETH', 'USDC'], matrix: [[1, 0.8, 0], [0.8, 1, 0], [0, 0, 1]] });
    const sc = await get('/v1/scenarios', f.keys.retail);
    expect(sc.body['sets']).toEqual([{ setId: 'fhs', kind: 'filtered-historical', scenarioCount: 400, definition: { ids: f.runA.scenarioIds.slice(0, 3), horizonDays: 1, scale: 1 } }]);
  });
});
