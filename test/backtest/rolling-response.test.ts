/**
 * Response books on small synthetic data: the default grid, validation naming the field, the interpolation and its
 * slope at 0 against an independent implementation, the linear book as the two-point special case (bit for bit),
 * a delta-neutral book that still needs margin, and the flat series/tests a report maps from.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import { createReturnsPanel, type ReturnsPanel } from '../../src/market/index.ts';
import {
  backtestTestSummary, bookPnl, createFhsEsMarginModel, createHistoricalMarginModel, evaluateBacktest, evaluatedSeries,
  linearPnl, realisedBookPnl, realisedMporPnl, responseGrid, runRollingBacktest, validateResponseBook,
  type LinearBook, type MarginModel, type ResponseBook, type RollingBacktestRun,
} from '../../src/backtest/index.ts';
import { interpolate } from './responseSupport.ts';

const day = (i: number): string => new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10);

/** 400 rows of two assets, seeded normal log returns with a -12 % shock every 37th row so the margins move. */
function syntheticPanel(rows = 400): ReturnsPanel {
  const rng = createRng(20260205);
  const normal = (): number => rng.nextNormal();
  return createReturnsPanel({
    dates: Array.from({ length: rows }, (_, i) => day(i)),
    assets: ['X', 'Y'],
    returns: Array.from({ length: rows }, (_, i) => {
      const shock = i % 37 === 0 ? -0.12 : 0;
      const z = normal();
      return [0.03 * z + shock, 0.02 * (0.6 * z + 0.8 * normal()) + shock / 2];
    }),
  });
}

describe('responseGrid', () => {
  it('default: 121 points from -0.95 to +3.0 with 0 a node, ascending, steps growing away from 0', () => {
    const g = responseGrid();
    expect(g).toHaveLength(121);
    expect(g[0]).toBe(-0.95);
    expect(g[120]).toBe(3);
    const zero = g.indexOf(0);
    expect(zero).toBe(52);
    for (let i = 1; i < g.length; i++) expect(g[i] as number).toBeGreaterThan(g[i - 1] as number);
    const step = (i: number): number => (g[i + 1] as number) - (g[i] as number);
    // dense near 0: both steps next to 0 below 0.4 %, and the steps grow moving away from 0 on each side
    expect(step(zero)).toBeLessThan(0.004);
    expect(step(zero - 1)).toBeLessThan(0.004);
    for (let i = zero + 1; i < 120; i++) expect(step(i)).toBeGreaterThan(step(i - 1));
    for (let i = zero - 2; i >= 0; i--) expect(step(i)).toBeGreaterThan(step(i + 1));
    // 2 % and 10 % moves are well resolved (at most 1 % apart)
    for (const r of [-0.1, -0.02, 0.02, 0.1]) {
      const k = g.findIndex((x) => x > r);
      expect(step(k - 1), String(r)).toBeLessThan(0.01);
    }
  });

  it('options and their errors', () => {
    const g = responseGrid({ points: 5, min: -0.5, max: 0.5, scale: 0.1 });
    expect(Array.from(g)).toHaveLength(5);
    expect(g[0]).toBe(-0.5);
    expect(g[2]).toBe(0);
    expect(g[4]).toBe(0.5);
    expect(g[1]).toBeCloseTo(-(g[3] as number), 15); // symmetric bounds -> symmetric grid
    expect(() => responseGrid({ points: 2 })).toThrow(/^points: /);
    expect(() => responseGrid({ min: -1.5 })).toThrow(/^min: /);
    expect(() => responseGrid({ min: 0 })).toThrow(/^min: /);
    expect(() => responseGrid({ max: Number.POSITIVE_INFINITY })).toThrow(/^max: /);
    expect(() => responseGrid({ scale: 0 })).toThrow(/^scale: /);
  });
});

describe('validateResponseBook names the field', () => {
  const ok: ResponseBook = { name: 'b', responses: { BTC: { returns: [-0.5, 0, 0.5], pnlUsd: [-1, 0, 2] } } };

  it('a valid book comes back with Float64Array copies', () => {
    const v = validateResponseBook(ok, ['BTC', 'ETH']);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.responses['BTC']?.returns).toBeInstanceOf(Float64Array);
    expect(Array.from(v.value.responses['BTC']?.pnlUsd ?? [])).toEqual([-1, 0, 2]);
  });

  const cases: Array<[string, unknown, string, RegExp]> = [
    ['not ascending', { name: 'b', responses: { BTC: { returns: [-0.5, -0.1, 0.2, 0.1, 0.5], pnlUsd: [1, 2, 3, 4, 5] } } }, 'responses.BTC.returns[3]', /not ascending/],
    ['a repeated node', { name: 'b', responses: { BTC: { returns: [-0.5, 0, 0], pnlUsd: [1, 2, 3] } } }, 'responses.BTC.returns[2]', /not ascending/],
    ['below -1', { name: 'b', responses: { BTC: { returns: [-1.2, 0, 1], pnlUsd: [1, 2, 3] } } }, 'responses.BTC.returns[0]', /below -1/],
    ['NaN return', { name: 'b', responses: { BTC: { returns: [-0.5, Number.NaN, 1], pnlUsd: [1, 2, 3] } } }, 'responses.BTC.returns[1]', /finite/],
    ['infinite P&L', { name: 'b', responses: { BTC: { returns: [-0.5, 0, 1], pnlUsd: [1, Number.POSITIVE_INFINITY, 3] } } }, 'responses.BTC.pnlUsd[1]', /finite/],
    ['a string P&L', { name: 'b', responses: { BTC: { returns: [-0.5, 0, 1], pnlUsd: [1, '2', 3] } } }, 'responses.BTC.pnlUsd[1]', /finite/],
    ['lengths differ', { name: 'b', responses: { BTC: { returns: [-0.5, 0, 1], pnlUsd: [1, 2] } } }, 'responses.BTC.pnlUsd', /length 2 differs/],
    ['one point', { name: 'b', responses: { BTC: { returns: [0], pnlUsd: [0] } } }, 'responses.BTC.returns', /at least 2/],
    ['no name', { responses: {} }, 'name', /non-empty/],
    ['responses not an object', { name: 'b', responses: [1] }, 'responses', /expected/],
    ['an underlying not in the panel', { name: 'b', responses: { DOT: { returns: [-1, 1], pnlUsd: [-1, 1] } } }, 'responses.DOT', /not in the returns panel/],
  ];
  for (const [what, book, path, reason] of cases) {
    it(what, () => {
      const v = validateResponseBook(book, ['BTC', 'ETH']);
      expect(v.ok).toBe(false);
      if (v.ok) return;
      const issue = v.errors.find((e) => e.path === path);
      expect(issue, JSON.stringify(v.errors)).toBeDefined();
      expect(issue?.reason).toMatch(reason);
    });
  }

  it('every issue is reported, at most five per array plus a count', () => {
    const v = validateResponseBook({ name: '', responses: { BTC: { returns: Array(20).fill(Number.NaN), pnlUsd: Array(20).fill(0) }, ETH: { returns: [1, 0], pnlUsd: [0, 0] } } });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.map((e) => e.path)).toEqual([
      'name', 'responses.BTC.returns[0]', 'responses.BTC.returns[1]', 'responses.BTC.returns[2]', 'responses.BTC.returns[3]',
      'responses.BTC.returns[4]', 'responses.BTC.returns', 'responses.ETH.returns[1]',
    ]);
    expect(v.errors[6]?.reason).toBe('15 more issues');
  });

  it('the runner throws a BacktestInputError naming the field, with every issue in the message', () => {
    const panel = syntheticPanel(30);
    const model = createHistoricalMarginModel({ measure: 'var', confidence: 0.9, lookbackRows: 10, mporDays: 1, mporScaling: 'sqrt' });
    const book = { name: 'bad', responses: { X: { returns: [-0.5, 0.1, 0, 0.5], pnlUsd: [0, 0, 0, 0] } } };
    let err: unknown;
    try {
      runRollingBacktest({ panel, book, mporDays: 1, model });
    } catch (e) {
      err = e;
    }
    expect((err as Error).name).toBe('BacktestInputError');
    expect((err as { field: string }).field).toBe('book.responses.X.returns[2]');
    expect((err as Error).message).toContain('responses.X.returns[2]: not ascending');
  });
});

describe('the response P&L: interpolation, extrapolation, slope at 0', () => {
  const x = [-0.5, -0.1, 0, 0.05, 0.3, 1];
  const y = [-30_000, -4_000, 0, 2_500, 21_000, 95_000];
  const pnl = bookPnl({ name: 'r', responses: { Y: { returns: x, pnlUsd: y } } }, ['X', 'Y']);

  it('matches an independent interpolation everywhere, the nodes, and the end slopes outside the grid', () => {
    expect(pnl.kind).toBe('response');
    expect(Array.from(pnl.columns)).toEqual([1]);
    for (let i = 0; i < x.length; i++) expect(pnl.columnPnl(1, Math.log1p(x[i] as number))).toBeCloseTo(y[i] as number, 8);
    for (let r = -0.9; r < 2.5; r += 0.0137) {
      const want = interpolate(x, y, r);
      expect(Math.abs(pnl.columnPnl(1, Math.log1p(r)) - want), String(r)).toBeLessThan(1e-10 * 95_000);
    }
    // by hand: below -0.5 the first slope (26000 / 0.4 = 65000 per unit), above 1 the last (74000 / 0.7)
    expect(pnl.columnPnl(1, Math.log1p(-0.8))).toBeCloseTo(-30_000 - 0.3 * 65_000, 8);
    expect(pnl.columnPnl(1, Math.log1p(2))).toBeCloseTo(95_000 + (74_000 / 0.7) * 1, 7);
    // a column outside the book, and NaN
    expect(pnl.columnPnl(0, 0.3)).toBe(0);
    expect(Number.isNaN(pnl.columnPnl(1, Number.NaN))).toBe(true);
    // pnlOfMoves reads moves[offset + column]
    expect(pnl.pnlOfMoves([9, 9, 9, Math.log1p(0.05)], 2)).toBeCloseTo(2_500, 9);
  });

  it('the segment lookup on awkward grids: a 1e-9 segment (bin table capped), random and node returns', () => {
    const rng = createRng(7);
    const xs = [-0.9, -0.3, -0.1, 0, 1e-9, 0.02, 0.5, 2.5];
    const ys = xs.map((r, i) => 1000 * Math.sin(3 * r) + 17 * i);
    const p = bookPnl({ name: 'awkward', responses: { X: { returns: xs, pnlUsd: ys } } }, ['X']);
    const probes = [...xs, ...xs.map((r) => r + 1e-12), ...xs.map((r) => r - 1e-12)];
    for (let i = 0; i < 2000; i++) probes.push(-0.99 + 4 * rng.nextFloat64());
    for (const r of probes) {
      if (r <= -1) continue;
      const want = interpolate(xs, ys, r);
      expect(Math.abs(p.columnPnl(0, Math.log1p(r)) - want), String(r)).toBeLessThan(1e-9 * 2000);
    }
    // the default grid, every node and midpoint
    const g = responseGrid();
    const y = Array.from(g, (r) => 1e5 * r * r * r - 3e4 * r);
    const q = bookPnl({ name: 'cubic', responses: { X: { returns: g, pnlUsd: y } } }, ['X']);
    for (let i = 0; i < g.length - 1; i++) {
      for (const r of [g[i] as number, ((g[i] as number) + (g[i + 1] as number)) / 2]) {
        expect(Math.abs(q.columnPnl(0, Math.log1p(r)) - interpolate(g, y, r)), String(r)).toBeLessThan(1e-9 * 3e6);
      }
    }
  });

  it('the exposure is (R(+h) - R(-h)) / 2h with h the step next to 0 (0 a node: the mean of the two slopes)', () => {
    const h = 0.05; // min(0.1, 0.05)
    const central = (interpolate(x, y, h) - interpolate(x, y, -h)) / (2 * h);
    expect(pnl.exposuresUsd[1]).toBeCloseTo(central, 9);
    expect(pnl.exposuresUsd[1]).toBeCloseTo((40_000 + 50_000) / 2, 9);
    expect(pnl.exposuresUsd[0]).toBe(0);
    // 0 inside a segment: that segment's slope
    const inside = bookPnl({ name: 'r', responses: { X: { returns: [-0.2, 0.1, 0.4], pnlUsd: [-10, 5, 50] } } }, ['X']);
    expect(inside.exposuresUsd[0]).toBeCloseTo(50, 12);
    // a grid entirely above 0: the first (extrapolated) segment's slope
    const above = bookPnl({ name: 'r', responses: { X: { returns: [0.1, 0.3], pnlUsd: [1, 5] } } }, ['X']);
    expect(above.exposuresUsd[0]).toBeCloseTo(20, 12);
  });
});

const panel = syntheticPanel();
const E = { X: 750_000, Y: -320_000 };
const linear: LinearBook = { name: 'linear', exposuresUsd: E };
const twoPoint: ResponseBook = { name: 'two-point', responses: { X: { returns: [-1, 1], pnlUsd: [-E.X, E.X] }, Y: { returns: [-1, 1], pnlUsd: [-E.Y, E.Y] } } };
const fhsModelJson = {
  model: 'margin/fhs-es', version: '0.0.1', description: 'test', source: 'test', confidence: 0.99, es_method: 'k-worst', scenario_horizon_days: 1,
  mpor_days: 2, mpor_scaling: 'sqrt', apc: { method: 'buffer', buffer: 0.25 },
  liquidity: { default: { half_spread: 0.001, impact_coefficient: 0.05, adv_usd: 1e8 }, underlyings: {} },
  concentration: { market_capacity_share: 0.1, offset_days: 0.3, max_days: 5, max_fraction_of_margin: 0.5 },
};
const models: Array<[string, number, MarginModel]> = [
  ['historical VaR overlapping', 2, createHistoricalMarginModel({ measure: 'var', confidence: 0.95, lookbackRows: 100, mporDays: 2, mporScaling: 'overlapping', stress: { periods: [{ name: 's', from: day(37), to: day(37) }] } })],
  ['historical ES sqrt', 3, createHistoricalMarginModel({ measure: 'es', confidence: 0.975, lookbackRows: 120, mporDays: 3, mporScaling: 'sqrt' })],
  ['FHS-ES (EWMA, add-ons, stress)', 2, createFhsEsMarginModel({
    marginModel: fhsModelJson, volModel: { model: 'ewma', lambda: 0.94, init: 'sample', seed_rows: 30 }, lookbackRows: 150, warmupRows: 30,
    stress: { periods: [{ name: 's', from: day(74), to: day(74) }] },
  })],
];

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('a linear book is the two-point response R(r) = E r', () => {
  it('P&L of moves and realised MPOR P&L: bit-identical', () => {
    const lp = bookPnl(linear, panel.assets);
    const rp = bookPnl(twoPoint, panel.assets);
    expect(sameBits(rp.exposuresUsd, lp.exposuresUsd)).toBe(true);
    const e = Float64Array.from([E.X, E.Y]);
    for (let t = 0; t < 400; t++) {
      const want = linearPnl(e, panel.returns, 2 * t);
      expect(Object.is(rp.pnlOfMoves(panel.returns, 2 * t), want)).toBe(true);
      expect(Object.is(lp.pnlOfMoves(panel.returns, 2 * t), want)).toBe(true);
    }
    for (const h of [1, 2, 5]) {
      const want = realisedMporPnl(panel.returns, 400, e, h);
      expect(sameBits(realisedBookPnl(panel.returns, 400, rp, h), want)).toBe(true);
      expect(sameBits(realisedBookPnl(panel.returns, 400, lp, h), want)).toBe(true);
    }
  });

  for (const [name, h, model] of models) {
    it(`${name}: margins, VaR, ES, P&L and exceptions bit-identical`, () => {
      const a = runRollingBacktest({ panel, book: linear, mporDays: h, model });
      const b = runRollingBacktest({ panel, book: twoPoint, mporDays: h, model });
      expect(a.counts.evaluated).toBeGreaterThan(200);
      expect(new Set(a.marginUsd).size).toBeGreaterThan(10); // margins move: the comparison is not of constants
      for (const k of ['marginUsd', 'pnlUsd', 'valueAtRiskUsd', 'expectedShortfallUsd'] as const) expect(sameBits(b[k], a[k]), k).toBe(true);
      expect(b.exception).toEqual(a.exception);
      expect(b.forecasts.map((f) => f?.components)).toEqual(a.forecasts.map((f) => f?.components));
    });
  }

  it('any other two-point grid: the same to 1e-12 relative', () => {
    const other: ResponseBook = {
      name: 'two-point wide', responses: { X: { returns: [-0.9, 2.1], pnlUsd: [-0.9 * E.X, 2.1 * E.X] }, Y: { returns: [-0.35, 0.7], pnlUsd: [-0.35 * E.Y, 0.7 * E.Y] } },
    };
    for (const [name, h, model] of models) {
      const a = runRollingBacktest({ panel, book: linear, mporDays: h, model });
      const b = runRollingBacktest({ panel, book: other, mporDays: h, model });
      for (let i = 0; i < a.dates.length; i++) {
        expect(Math.abs((b.marginUsd[i] as number) - (a.marginUsd[i] as number)), `${name} ${a.dates[i]}`).toBeLessThanOrEqual(1e-12 * (a.marginUsd[i] as number));
        if (a.evaluated[i] === 1) expect(Math.abs((b.pnlUsd[i] as number) - (a.pnlUsd[i] as number))).toBeLessThanOrEqual(1e-12 * 1e6);
      }
    }
  });
});

describe('a delta-neutral book still needs margin', () => {
  // pure short gamma: R(r) = -2e6 r^2 on a symmetric grid: the slope at 0 is exactly 0, so the add-ons see no exposure,
  // but every move loses money
  const g = responseGrid({ points: 41, min: -0.5, max: 0.5, scale: 0.05 });
  const gamma: ResponseBook = { name: 'short gamma', responses: { X: { returns: g, pnlUsd: Array.from(g, (r) => -2e6 * r * r) } } };
  it('exposure 0, column kept; margins > 0 at every date for every model; realised P&L <= 0', () => {
    const p = bookPnl(gamma, panel.assets);
    expect(p.exposuresUsd[0]).toBe(0);
    expect(Array.from(p.columns)).toEqual([0]);
    for (const [name, h, model] of models) {
      const run = runRollingBacktest({ panel, book: gamma, mporDays: h, model });
      expect(run.status).toBe('complete');
      expect(run.dates.length).toBeGreaterThan(200);
      for (let i = 0; i < run.dates.length; i++) expect(run.marginUsd[i], `${name} ${run.dates[i]}`).toBeGreaterThan(0);
      for (let i = 0; i < run.dates.length; i++) if (run.evaluated[i] === 1) expect(run.pnlUsd[i]).toBeLessThanOrEqual(0);
    }
  });
});

describe('evaluated series and flat tests (what the report maps)', () => {
  it('dates, margin, P&L and exception flags of the evaluated days; tests equal the statistics', () => {
    const [, h, model] = models[0] as [string, number, MarginModel];
    const run: RollingBacktestRun = runRollingBacktest({ panel, book: twoPoint, mporDays: h, model });
    const s = evaluateBacktest(run, { seed: 3, z2Simulations: 200 });
    const series = evaluatedSeries(run);
    expect(series.dates).toHaveLength(s.n);
    expect(series.dates[0]).toBe(s.firstDate);
    expect(series.dates.at(-1)).toBe(s.lastDate);
    let x = 0;
    series.dates.forEach((d, k) => {
      const i = series.runIndex[k] as number;
      expect(run.dates[i]).toBe(d);
      const m = series.marginUsd[k] as number;
      const p = series.pnlUsd[k] as number;
      expect(Number.isFinite(m) && m >= 0 && Number.isFinite(p)).toBe(true);
      expect(series.exceptions[k]).toBe(-p > m);
      if (series.exceptions[k]) x++;
    });
    expect(x).toBe(s.exceptions);
    const t = backtestTestSummary(s);
    expect(t).toMatchObject({
      observations: s.n, exceptions: s.exceptions, expectedExceptions: s.expectedExceptions,
      kupiecLr: s.kupiec?.lr, kupiecP: s.kupiec?.pValue, kupiecExactP: s.kupiec?.pValueExact, christoffersenBasis: 'non-overlapping',
      christoffersenLr: s.christoffersenNonOverlapping?.independence.lr, conditionalCoverageP: s.christoffersenNonOverlapping?.conditionalCoverage.pValue,
      zone: s.trafficLight[0]?.result.zone,
    });
    expect(backtestTestSummary(s, { christoffersen: 'daily' }).christoffersenP).toBe(s.christoffersen?.independence.pValue);
  });
});

describe("FHS-ES MPOR by scaling the moves ('moves') instead of the ES of the 1-day P&L ('pnl')", () => {
  const base = { marginModel: fhsModelJson, volModel: { model: 'ewma', lambda: 0.94, init: 'sample', seed_rows: 30 } as const, lookbackRows: 150, warmupRows: 30, liquidityAddOns: false };
  const byPnl = createFhsEsMarginModel(base);
  const byMoves = createFhsEsMarginModel({ ...base, mporScaling: 'moves' });

  it('short gamma R = -k r^2: the MPOR ES doubles with a sqrt(2) move (moves) where P&L scaling gives sqrt(2)', () => {
    const g = responseGrid({ points: 81, min: -0.6, max: 0.6, scale: 0.05 });
    const gamma: ResponseBook = { name: 'short gamma', responses: { X: { returns: g, pnlUsd: Array.from(g, (r) => -2e6 * r * r) } } };
    const a = runRollingBacktest({ panel, book: gamma, mporDays: 2, model: byPnl });
    const b = runRollingBacktest({ panel, book: gamma, mporDays: 2, model: byMoves });
    for (let i = 0; i < a.dates.length; i++) {
      const ratio = (b.expectedShortfallUsd[i] as number) / (a.expectedShortfallUsd[i] as number);
      // loss(sqrt2 m) / (sqrt2 loss(m)) = sqrt2 (expm1(sqrt2 m) / (sqrt2 expm1(m)))^2: sqrt2 up to the expm1 curvature
      expect(ratio, a.dates[i]).toBeGreaterThan(Math.SQRT2 * 0.88);
      expect(ratio, a.dates[i]).toBeLessThan(Math.SQRT2 * 1.03);
    }
  });

  it('a linear book: the two agree to first order (within 6 %), and the default is the released rule', () => {
    const a = runRollingBacktest({ panel, book: linear, mporDays: 2, model: byPnl });
    const b = runRollingBacktest({ panel, book: linear, mporDays: 2, model: byMoves });
    for (let i = 0; i < a.dates.length; i++) expect(Math.abs((b.expectedShortfallUsd[i] as number) / (a.expectedShortfallUsd[i] as number) - 1)).toBeLessThan(0.06);
    const c = runRollingBacktest({ panel, book: linear, mporDays: 2, model: createFhsEsMarginModel({ ...base, mporScaling: 'pnl' }) });
    expect(sameBits(c.marginUsd, a.marginUsd)).toBe(true);
    expect(byMoves.description).toContain('sqrt of the moves');
  });

  it('errors name the option', () => {
    expect(() => createFhsEsMarginModel({ ...base, mporScaling: 'cubic' as never })).toThrow(/^mporScaling: /);
    expect(() => createFhsEsMarginModel({ ...base, marginModel: { ...fhsModelJson, mpor_scaling: 'overlapping' }, mporScaling: 'moves' })).toThrow(/^mporScaling: 'moves' needs/);
  });
});
