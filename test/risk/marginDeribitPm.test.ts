import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import { ModelValidationError } from '../../src/scenarios/index.ts';
import {
  deribitPortfolioMargin, validateDeribitPmParams, MarginInputError, type DeribitPmInput, type DeribitPmResult,
} from '../../src/risk/margin/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

interface Vectors { standard: number[]; extended: number[] }
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const examples = readJsonFixture<Json>('fixtures/reference/margin/deribit-pme-simulate-examples.json');
const reference = readJsonFixture<Json>('fixtures/reference/margin/deribit_pm_reference.json');
const model = readJsonFixture<Json>('models/margin/deribit-pm/1.0.0.json');

/** max |a - b| over two vectors of the same length (fails on a length mismatch). */
function maxDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
}

function expectVectors(actual: Vectors, expected: Vectors, tol: number): void {
  expect(maxDiff(actual.standard, expected.standard)).toBeLessThanOrEqual(tol);
  expect(maxDiff(actual.extended, expected.extended)).toBeLessThanOrEqual(tol);
}

const positionsOf = (p: Record<string, number>) => Object.entries(p).map(([instrument, quantity]) => ({ instrument, quantity }));

describe('Deribit portfolio margin: the venue published pme/simulate example (BTC, OpenAPI, June 2024)', () => {
  const ex = examples['btc_openapi_2024'];
  const details = ex.margins.btc.initial_margin_details;
  const result = deribitPortfolioMargin({
    currency: 'BTC', indexPrice: ex.index_price.btc_usd, asOf: ex.model_params.general.timestamp,
    positions: positionsOf(ex.portfolio.position), params: ex.model_params,
    additionalMargins: { spotMargin: details.spot_margin, mmpMargin: details.mmp_margin, openOrdersMargin: details.open_orders_margin },
  });

  it('per-instrument risk vectors (BTC-PERPETUAL 0.314538364 as test/scenarios/venueGrid.test.ts, BTC-28JUN24) to 1e-12', () => {
    for (const name of ['BTC-PERPETUAL', 'BTC-28JUN24']) {
      expectVectors(result.vectors[name] as Vectors, ex.initial_risk_vectors[name], 1e-12);
    }
    // the same numbers as the scenario layer's test of the grid (first bucket, last bucket)
    expect(result.vectors['BTC-PERPETUAL']!.standard[0]).toBeCloseTo(-0.05991206933333334, 15);
    expect(result.vectors['BTC-PERPETUAL']!.standard[26]).toBeCloseTo(0.043384601931034494, 15);
  });

  it('aggregated vector btc_btc (gains x pnl_offset 0, extended dampened to 0) to 1e-12', () => {
    expectVectors(result.keys['btc_btc']!.aggregated, ex.aggregated_risk_vectors.btc_btc, 1e-12);
    expectVectors(result.aggregated, ex.aggregated_risk_vectors.btc_btc, 1e-12);
  });

  it('worst case, its bucket, delta shock, roll shock and correlation contingency', () => {
    const rm = details.risk_matrix_margin_details;
    expect(Math.abs(result.worstCase - rm.worst_case)).toBeLessThanOrEqual(1e-15);
    expect(result.worstCaseBucket).toMatchObject({ ...rm.worst_case_bucket, key: 'btc_btc' });
    expect(result.deltaShock).toBe(rm.delta_shock);
    expect(Math.abs(result.rollShock - rm.roll_shock)).toBeLessThanOrEqual(1e-15);
    expect(result.correlationContingency).toBe(rm.correlation_contingency);
  });

  it('risk-matrix margin, MM = 0.8 x RMM and IM = RMM + spot + mmp + open orders to 1e-9 (the venue rounds worst_case to 9 dp)', () => {
    expect(Math.abs(result.riskMatrixMargin - details.risk_matrix_margin)).toBeLessThanOrEqual(1e-9);
    // the published RMM is exactly round(worst_case, 9) + roll_shock: the 4e-10 gap is the venue's rounding
    expect(Number(result.worstCase.toFixed(9)) + result.rollShock).toBeCloseTo(details.risk_matrix_margin, 15);
    expect(Math.abs(result.maintenanceMargin - ex.margins.btc.maintenance_margin)).toBeLessThanOrEqual(1e-9);
    expect(result.maintenanceMargin).toBe(0.8 * result.riskMatrixMargin);
    expect(Math.abs(result.initialMargin - ex.margins.btc.initial_margin)).toBeLessThanOrEqual(1e-9);
  });

  it('USD figures are the coin figures x the BTC index', () => {
    expect(result.settlementPriceUsd).toBe(65666.19);
    expect(result.usd.initialMargin).toBe(result.initialMargin * 65666.19);
    expect(result.usd.worstCase).toBe(result.worstCase * 65666.19);
  });
});

describe('Deribit portfolio margin: a published live capture (ETH, 2026, pnl_offset 0.6)', () => {
  const ex = examples['eth_capture_2026'];
  const rm = ex.margins.eth.initial_margin_details.risk_matrix_margin_details;
  const result = deribitPortfolioMargin({
    currency: 'ETH', indexPrice: ex.index_price.eth_usd, asOf: ex.model_params.general.timestamp,
    positions: positionsOf(ex.portfolio.position), params: ex.model_params,
  });

  it('instrument, pre-aggregated and aggregated vectors to 1e-12 (gains x 0.6; extended gains and losses dampened to 0)', () => {
    expectVectors(result.vectors['ETH-PERPETUAL'] as Vectors, ex.initial_risk_vectors['ETH-PERPETUAL'], 1e-12);
    expectVectors(result.keys['eth_eth']!.preAggregated, ex.pre_aggregated_risk_vectors.eth_eth, 1e-12);
    expectVectors(result.keys['eth_eth']!.aggregated, ex.aggregated_risk_vectors.eth_eth, 1e-12);
  });

  it('worst case at standard index 25 (bucket 9, right), roll shock 0.005 |delta|, RMM and MM to 1e-9', () => {
    expect(Math.abs(result.worstCase - rm.worst_case)).toBeLessThanOrEqual(1e-15);
    expect(result.worstCaseBucket).toMatchObject(rm.worst_case_bucket);
    expect(Math.abs(result.rollShock - rm.roll_shock)).toBeLessThanOrEqual(1e-15);
    expect(result.deltaShock).toBe(0);
    expect(Math.abs(result.riskMatrixMargin - ex.margins.eth.initial_margin_details.risk_matrix_margin)).toBeLessThanOrEqual(1e-9);
    expect(Number(result.worstCase.toFixed(9)) + result.rollShock).toBeCloseTo(ex.margins.eth.initial_margin_details.risk_matrix_margin, 15);
    expect(Math.abs(result.maintenanceMargin - ex.margins.eth.maintenance_margin)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(result.initialMargin - ex.margins.eth.initial_margin)).toBeLessThanOrEqual(1e-9);
  });
});

describe('Deribit portfolio margin: hand-built books against the independent mpmath reference', () => {
  const books = reference['books'] as Json[];

  it('the reference covers perpetual, future, inverse and linear options, dampener, delta shock, pnl offset', () => {
    expect(books.map((b) => b.id)).toEqual(['perp-and-future', 'options-mixed', 'short-puts-dampened', 'delta-shock', 'eth-pnl-offset', 'usdc-linear']);
    const byId = Object.fromEntries(books.map((b) => [b.id, b.expected]));
    expect(byId['delta-shock'].deltaShock).toBeGreaterThan(0);
    expect(byId['short-puts-dampened'].keys.btc_btc.aggregated.extended[0]).toBeLessThan(0); // dampened, not zeroed
  });

  for (const book of books) {
    it(`${book.id}: vectors, aggregation and every margin component`, () => {
      const e = book.expected;
      const result = deribitPortfolioMargin({
        currency: book.currency, indexPrice: book.indexPrice, asOf: book.asOf, positions: book.positions, marks: book.marks,
        params: model, ...(book.additionalMargins === undefined ? {} : { additionalMargins: book.additionalMargins }),
      });
      const scale = (v: Vectors) => Math.max(1, ...v.standard.map(Math.abs), ...v.extended.map(Math.abs));
      for (const [name, v] of Object.entries(e.vectors as Record<string, Vectors>)) {
        expectVectors(result.vectors[name] as Vectors, v, 1e-12 * scale(v));
      }
      for (const [key, k] of Object.entries(e.keys as Record<string, Json>)) {
        const got = result.keys[key]!;
        expectVectors(got.preAggregated, k.preAggregated, 1e-12 * scale(k.preAggregated));
        expectVectors(got.aggregated, k.aggregated, 1e-12 * scale(k.preAggregated));
        expect(got.deltaShock.deltaForShock).toBeCloseTo(k.deltaForShock, 12);
        expect(got.deltaShock.move).toBeCloseTo(k.deltaShockMove, 15);
        expect(got.rollTerms.map((t) => t.netDelta)).toEqual(k.rollTerms.map((t: Json) => expect.closeTo(t.netDelta, 12)));
        expect(got.rollTerms.map((t) => t.move)).toEqual(k.rollTerms.map((t: Json) => expect.closeTo(t.move, 15)));
      }
      for (const f of ['worstCase', 'deltaShock', 'rollShock', 'correlationContingency', 'riskMatrixMargin', 'maintenanceMargin', 'initialMargin'] as const) {
        expect(Math.abs(result[f] - e[f]), f).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e[f])));
      }
      expect(result.settlementPriceUsd).toBe(e.settlementPriceUsd);
    });
  }
});

describe('Deribit portfolio margin: identities and hand checks', () => {
  const asOf = '2026-02-05T12:00:00Z';
  const base = { currency: 'BTC', indexPrice: 70000, asOf, params: model };
  const marks = { 'BTC-27MAR26-60000-P': { forward: 70420.5, iv: 0.62 }, 'BTC-27FEB26-90000-C': { forward: 70210, iv: 0.55 } };

  it('an inverse perpetual or future of q coin loses exactly q m / (1 + m) coin in every bucket, whatever the price', () => {
    const r = deribitPortfolioMargin({ ...base, positions: [{ instrument: 'BTC-27MAR26', quantity: -2 }] });
    const moves = [-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16];
    r.vectors['BTC-27MAR26']!.standard.forEach((x, j) => {
      const m = moves[Math.floor(j / 3)] as number;
      expect(x).toBeCloseTo((-2 * m) / (1 + m), 16);
    });
    // the worst case of a short future is the +16 % bucket: 2 x 0.16 / 1.16, and no gain counts (pnl_offset 0)
    expect(r.worstCase).toBeCloseTo((2 * 0.16) / 1.16, 15);
    expect(r.worstCaseBucket).toMatchObject({ bucket: 9, side: 'right', index: 25 });
  });

  it('an option is worth its mark at the centre: the (0 %, vol unchanged) scenario is exactly 0', () => {
    const r = deribitPortfolioMargin({ ...base, positions: [{ instrument: 'BTC-27MAR26-60000-P', quantity: 3 }], marks });
    expect(r.vectors['BTC-27MAR26-60000-P']!.standard[13]).toBe(0);
    expect(r.vectors['BTC-27MAR26-60000-P']!.standard[12]).toBeGreaterThan(0); // long put gains when vol goes up
    expect(r.vectors['BTC-27MAR26-60000-P']!.standard[14]).toBeLessThan(0);
  });

  it('vectors are linear in quantity; opposite positions net to an empty risk matrix', () => {
    const one = deribitPortfolioMargin({ ...base, positions: [{ instrument: 'BTC-27FEB26-90000-C', quantity: -1 }], marks });
    const three = deribitPortfolioMargin({ ...base, positions: [{ instrument: 'BTC-27FEB26-90000-C', quantity: -3 }], marks });
    one.vectors['BTC-27FEB26-90000-C']!.standard.forEach((x, j) => expect(three.vectors['BTC-27FEB26-90000-C']!.standard[j]).toBeCloseTo(3 * x, 14));
    const flat = deribitPortfolioMargin({
      ...base, marks,
      positions: [{ instrument: 'BTC-27FEB26-90000-C', quantity: -1 }, { instrument: 'BTC-27FEB26-90000-C', quantity: 1 }, { instrument: 'BTC-PERPETUAL', quantity: 0 }],
    });
    expect([flat.worstCase, flat.deltaShock, flat.rollShock, flat.riskMatrixMargin, flat.initialMargin]).toEqual([0, 0, 0, 0, 0]);
    expect(flat.worstCaseBucket).toBeNull();
  });

  it('the model file holds the venue example values for BTC and validates; the raw venue params validate too', () => {
    const venue = examples['btc_openapi_2024'].model_params;
    expect(model.currency_pair.btc_usd).toEqual(venue.currency_pair.btc_usd);
    expect(model.currency.btc).toEqual(venue.currency.btc);
    expect(model.general.mm_factor).toBe(venue.general.mm_factor);
    const v = validateDeribitPmParams(model);
    expect(v.ok).toBe(true);
    expect(validateDeribitPmParams(venue).ok).toBe(true);
    if (v.ok) expect(v.value.version).toBe('1.0.0');
  });

  it('bad parameters list every issue with its path; bad inputs raise MarginInputError naming the field', () => {
    const bad = structuredClone(model);
    bad.general.mm_factor = 1.5;
    bad.currency_pair.btc_usd.price_range = 0;
    delete bad.currency.btc.pnl_offset;
    const v = validateDeribitPmParams(bad);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.map((e) => e.path).sort()).toEqual(['currency.btc.pnl_offset', 'currency_pair.btc_usd.price_range', 'general.mm_factor']);
    expect(() => deribitPortfolioMargin({ ...base, params: bad, positions: [] })).toThrow(ModelValidationError);

    const fails: [Partial<DeribitPmInput>, RegExp][] = [
      [{ positions: [{ instrument: 'BTC-31FEB26', quantity: 1 }] }, /positions\[0\]\.instrument/],
      [{ positions: [{ instrument: 'ETH-PERPETUAL', quantity: 1 }] }, /not in the margined currency BTC/],
      [{ positions: [{ instrument: 'BTC-PERPETUAL', quantity: Number.NaN }] }, /positions\[0\]\.quantity/],
      [{ positions: [{ instrument: 'BTC-27MAR26-70000-C', quantity: 1 }] }, /marks\.BTC-27MAR26-70000-C/],
      [{ positions: [{ instrument: 'BTC-30JAN26', quantity: 1 }] }, /expired/],
      [{ positions: [{ instrument: 'BTC', quantity: 1 }] }, /spot holdings are collateral/],
      [{ positions: [], indexPrice: -1 }, /indexPrice/],
      [{ positions: [], asOf: 'yesterday' }, /asOf/],
      [{ positions: [{ instrument: 'SOL-PERPETUAL', quantity: 1 }], currency: 'SOL', indexPrice: 100 }, /params\.currency\.sol/],
      [{ positions: [{ instrument: 'BTC-27MAR26-70000-C', quantity: 1 }], marks: { 'BTC-27MAR26-70000-C': { markPrice: 1.5, forward: 70000 } } }, /marks\.BTC-27MAR26-70000-C\.markPrice/],
    ];
    for (const [patch, message] of fails) {
      const call = () => deribitPortfolioMargin({ ...base, positions: [], ...patch } as DeribitPmInput);
      expect(call, String(message)).toThrow(MarginInputError);
      expect(call, String(message)).toThrow(message);
    }
  });

  it('margin >= 0 and finite, MM <= RMM <= IM, for 200 seeded random books of options, futures and perpetuals', () => {
    const rng = createRng('deribit-pm-property');
    const instruments = [
      'BTC-PERPETUAL', 'BTC-27MAR26', 'BTC-25DEC26', 'BTC-6FEB26-70000-P', 'BTC-6FEB26-72000-C', 'BTC-27FEB26-90000-C',
      'BTC-27MAR26-60000-P', 'BTC-27MAR26-40000-P', 'BTC-25SEP26-100000-C', 'BTC-25SEP26-20000-P',
    ];
    const expiryForward: Record<string, number> = { '6FEB26': 70015, '27FEB26': 70210, '27MAR26': 70420.5, '25SEP26': 71800 };
    const allMarks = Object.fromEntries(instruments.filter((n) => n.split('-').length === 4).map((n) => [n, { forward: expiryForward[n.split('-')[1] as string] as number, iv: 0.2 + 1.3 * rng.nextFloat64() }]));
    let results: DeribitPmResult[] = [];
    for (let b = 0; b < 200; b++) {
      const positions = instruments.filter(() => rng.nextFloat64() < 0.4).map((instrument) => ({ instrument, quantity: (rng.nextFloat64() - 0.5) * 10 ** (3 * rng.nextFloat64()) }));
      results.push(deribitPortfolioMargin({ ...base, indexPrice: 40000 + 60000 * rng.nextFloat64(), positions, marks: allMarks }));
    }
    for (const r of results) {
      for (const f of [r.worstCase, r.deltaShock, r.rollShock, r.correlationContingency, r.riskMatrixMargin, r.maintenanceMargin, r.initialMargin]) {
        expect(Number.isFinite(f) && f >= 0).toBe(true);
      }
      expect(r.maintenanceMargin).toBeLessThanOrEqual(r.riskMatrixMargin);
      expect(r.riskMatrixMargin).toBeLessThanOrEqual(r.initialMargin);
    }
    expect(results.filter((r) => r.deltaShock > 0).length).toBeGreaterThan(0);
    results = [];
  });
});
