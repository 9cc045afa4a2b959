/**
 * Response (full-revaluation) option books on the fixture daily history 2017-2026 (fixtures/market/crypto_daily), the
 * 2026-02-05 drawdown and the calibrations of rolling-fixture.test.ts. Option responses are Black-Scholes
 * revaluations (src/pricing) on the default `responseGrid()`, vols and time held fixed; spot normalised to 100 (the
 * book is constant in USD, so only strike / spot matters). Prints the pre- vs post-incident comparison of a
 * two-underlying option book and the grid's interpolation error against exact revaluation.
 */
import { describe, expect, it } from 'vitest';
import { createReturnsPanel, type ReturnsPanel } from '../../src/market/index.ts';
import {
  backtestTestSummary, compareCalibrations, createHistoricalMarginModel, evaluatedSeries, incidentCalibrations, responseGrid,
  runRollingBacktest, type LinearBook, type ResponseBook, type RollingBacktestRun,
} from '../../src/backtest/index.ts';
import {
  MPOR, SPOT, alignFixture, fhsModel, incident, interpolate, legsDeltaUsd, legsPnl, legsResponse, policy, stressPeriods,
  type OptionLeg,
} from './responseSupport.ts';

const calibrations = incidentCalibrations({ incident, policy, fhsEsModel: fhsModel, mporDays: MPOR, stressPeriods });
const calibration = (label: string) => {
  const c = calibrations.find((x) => x.label === label);
  if (c === undefined) throw new Error(`no calibration ${label}`);
  return c.model;
};
const evaluation = {
  seed: 'backtest-2026-02-05-response', z2Simulations: 500, trafficLightWindows: [250],
  periods: [{ name: 'before incident', from: '0000-01-01', to: '2026-02-03' }, { name: 'from incident', from: '2026-02-04', to: '9999-12-31' }],
};
const GRID = responseGrid();
const MONTH = 30 / 365;
const UNITS = 1e6 / SPOT; // 1m USD of underlying notional per leg

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The independent realised P&L of date i: sum over the book's underlyings of R_u(expm1(sum of the next h log returns)). */
function independentRealised(panel: ReturnsPanel, run: RollingBacktestRun, i: number, book: ResponseBook): number {
  const t = run.rows[i] as number;
  let p = 0;
  for (const [u, r] of Object.entries(book.responses)) {
    const j = panel.assets.indexOf(u);
    let s = 0;
    for (let d = 1; d <= MPOR; d++) s += panel.returns[(t + d) * panel.assets.length + j] as number;
    p += interpolate(r.returns, r.pnlUsd, Math.expm1(s));
  }
  return p;
}

describe('a linear book is the two-point response, on the fixture history with every incident calibration', () => {
  it('BTC/ETH from 2025-06-01 (the incident, its stress rows and residual add-on included): bit-identical', () => {
    const panel = alignFixture(['BTC', 'ETH']);
    const linear: LinearBook = { name: 'BTC/ETH', exposuresUsd: { BTC: 700_000, ETH: -300_000 } };
    const twoPoint: ResponseBook = {
      name: 'BTC/ETH two-point', responses: { BTC: { returns: [-1, 1], pnlUsd: [-700_000, 700_000] }, ETH: { returns: [-1, 1], pnlUsd: [300_000, -300_000] } },
    };
    for (const c of calibrations) {
      const a = runRollingBacktest({ panel, book: linear, mporDays: MPOR, model: c.model, from: '2025-06-01' });
      const b = runRollingBacktest({ panel, book: twoPoint, mporDays: MPOR, model: c.model, from: '2025-06-01' });
      expect(a.dates.at(-1)! > '2026-02-05').toBe(true);
      for (const k of ['marginUsd', 'pnlUsd', 'valueAtRiskUsd', 'expectedShortfallUsd'] as const) expect(sameBits(b[k], a[k]), `${c.label} ${k}`).toBe(true);
      expect(b.forecasts.map((f) => f?.components)).toEqual(a.forecasts.map((f) => f?.components));
    }
  }, 20_000);
});

describe('long call vs its delta book (BTC, 30-day ATM, 1m USD notional, 2017-2026)', () => {
  const panel = alignFixture(['BTC']);
  const errors: string[] = [];
  for (const vol of [0.4, 0.8, 1.2]) {
    it(`vol ${vol}: margin below the delta book's at every date (FHS-ES and historical VaR); realised P&L = R(expm1(sum of log moves))`, () => {
      const legs: OptionLeg[] = [{ type: 'call', moneyness: 1, units: UNITS, expiry: MONTH, vol }];
      const call: ResponseBook = { name: `long call ${vol}`, responses: { BTC: legsResponse(legs, GRID) } };
      const delta: LinearBook = { name: `delta ${vol}`, exposuresUsd: { BTC: legsDeltaUsd(legs) } };
      for (const label of ['fhs-es pre-incident', 'historical-var pre-incident']) {
        const model = calibration(label);
        const rc = runRollingBacktest({ panel, book: call, mporDays: MPOR, model });
        const rd = runRollingBacktest({ panel, book: delta, mporDays: MPOR, model });
        expect(rc.status).toBe('complete');
        expect(rc.dates.length).toBeGreaterThan(2500);
        expect(rc.dates).toEqual(rd.dates);
        let below = 0;
        for (let i = 0; i < rc.dates.length; i++) {
          expect(rc.marginUsd[i], `${label} ${rc.dates[i]}`).toBeLessThan(rd.marginUsd[i] as number);
          below += (rd.marginUsd[i] as number) - (rc.marginUsd[i] as number);
        }
        // convexity: the call never loses more than its delta book over the same move
        for (let i = 0; i < rc.dates.length; i++) if (rc.evaluated[i] === 1) expect(rc.pnlUsd[i] as number).toBeGreaterThanOrEqual(rd.pnlUsd[i] as number);
        if (label.startsWith('fhs')) errors.push(`vol ${vol}: mean FHS-ES margin call ${(rc.marginUsd.reduce((s, m) => s + m, 0) / rc.dates.length / 1e3).toFixed(1)}k vs delta ${(rd.marginUsd.reduce((s, m) => s + m, 0) / rd.dates.length / 1e3).toFixed(1)}k (delta ${(legsDeltaUsd(legs) / 1e6).toFixed(3)})`);
        expect(below).toBeGreaterThan(0);
      }
      // realised P&L of every evaluated date, computed independently from the panel and the grid; and the grid's
      // interpolation error against exact Black-Scholes revaluation at the realised moves
      const run = runRollingBacktest({ panel, book: call, mporDays: MPOR, model: calibration('historical-var pre-incident') });
      let worst = 0;
      let worstMove = 0;
      for (let i = 0; i < run.dates.length; i++) {
        if (run.evaluated[i] !== 1) continue;
        const want = independentRealised(panel, run, i, call);
        expect(Math.abs((run.pnlUsd[i] as number) - want), run.dates[i]).toBeLessThanOrEqual(1e-12 * 1e6);
        const t = run.rows[i] as number;
        const r = Math.expm1((panel.returns[t + 1] as number) + (panel.returns[t + 2] as number));
        const err = Math.abs(want - legsPnl(legs, r));
        if (err > worst) {
          worst = err;
          worstMove = r;
        }
      }
      errors.push(`vol ${vol}: grid vs exact revaluation over the realised 2-day moves: worst ${worst.toFixed(2)} USD (${(worst / 1e4).toFixed(4)} % of notional) at a ${(worstMove * 100).toFixed(2)} % move`);
      expect(worst).toBeLessThan(1e-3 * 1e6);
      console.log(errors.splice(0).join('\n'));
    }, 20_000);
  }
});

describe('short delta-neutral straddle (BTC, 30-day, strike S e^{sigma^2 T / 2} so d1 = 0, vol 0.6, 1m USD notional per leg)', () => {
  it('margin > 0 at every date under every calibration, and above its (zero) delta book', () => {
    const panel = alignFixture(['BTC']);
    const k = Math.exp(0.5 * 0.6 * 0.6 * MONTH);
    const legs: OptionLeg[] = [
      { type: 'call', moneyness: k, units: -UNITS, expiry: MONTH, vol: 0.6 },
      { type: 'put', moneyness: k, units: -UNITS, expiry: MONTH, vol: 0.6 },
    ];
    const straddle: ResponseBook = { name: 'short straddle', responses: { BTC: legsResponse(legs, GRID) } };
    const delta: LinearBook = { name: 'straddle delta', exposuresUsd: { BTC: legsDeltaUsd(legs) } };
    expect(Math.abs(legsDeltaUsd(legs))).toBeLessThan(1e-6 * 1e6);
    for (const c of calibrations) {
      const rs = runRollingBacktest({ panel, book: straddle, mporDays: MPOR, model: c.model });
      const rd = runRollingBacktest({ panel, book: delta, mporDays: MPOR, model: c.model });
      expect(rs.status, c.label).toBe('complete');
      for (let i = 0; i < rs.dates.length; i++) {
        expect(rs.marginUsd[i], `${c.label} ${rs.dates[i]}`).toBeGreaterThan(0);
        expect(rs.marginUsd[i], `${c.label} ${rs.dates[i]}`).toBeGreaterThan(rd.marginUsd[i] as number);
      }
    }
  }, 20_000);
});

// A two-underlying option book: BTC long 30-day ATM call and short 30-day 85 % put (2m notional), ETH short 30-day ATM
// straddle; vols 0.55 (BTC) and 0.70 (ETH). Documented here, not derived from an account.
const BTC_LEGS: OptionLeg[] = [
  { type: 'call', moneyness: 1, units: UNITS, expiry: MONTH, vol: 0.55 },
  { type: 'put', moneyness: 0.85, units: -2 * UNITS, expiry: MONTH, vol: 0.55 },
];
const ETH_LEGS: OptionLeg[] = [
  { type: 'call', moneyness: 1, units: -0.5 * UNITS, expiry: MONTH, vol: 0.7 },
  { type: 'put', moneyness: 1, units: -0.5 * UNITS, expiry: MONTH, vol: 0.7 },
];
const OPTIONS_BOOK: ResponseBook = { name: 'BTC/ETH option book', responses: { BTC: legsResponse(BTC_LEGS, GRID), ETH: legsResponse(ETH_LEGS, GRID) } };

describe('no look-ahead for a response book: perturbing everything after t leaves the margins up to t bit-identical', () => {
  const panel = alignFixture(['BTC', 'ETH']);
  const cut = panel.dates.indexOf('2026-01-19');
  const perturbed = (kind: 'x10' | 'nan'): ReturnsPanel => createReturnsPanel({
    dates: panel.dates,
    assets: panel.assets,
    returns: panel.dates.map((_, t) => [0, 1].map((j) => {
      const r = panel.returns[t * 2 + j] as number;
      return t <= cut ? r : kind === 'x10' ? 10 * r : Number.NaN;
    })),
    weights: panel.dates.map((_, t) => (t <= cut ? (panel.weights[t] as number) : 0.5)),
    tags: panel.tags.map((tags, t) => (t <= cut ? tags : ['stress:made-up-future'])),
  });
  for (const kind of ['x10', 'nan'] as const) {
    it(`future returns ${kind === 'x10' ? 'multiplied by 10' : 'replaced by NaN'}, every calibration`, () => {
      const other = perturbed(kind);
      for (const c of calibrations) {
        const a = runRollingBacktest({ panel, book: OPTIONS_BOOK, mporDays: MPOR, model: c.model, from: '2025-10-01' });
        const b = runRollingBacktest({ panel: other, book: OPTIONS_BOOK, mporDays: MPOR, model: c.model, from: '2025-10-01' });
        const upTo = a.dates.indexOf(panel.dates[cut] as string);
        expect(upTo).toBeGreaterThan(50);
        for (let i = 0; i <= upTo; i++) {
          expect(Object.is(a.marginUsd[i], b.marginUsd[i]), `${c.label} ${a.dates[i]}`).toBe(true);
          expect(Object.is(a.expectedShortfallUsd[i], b.expectedShortfallUsd[i])).toBe(true);
        }
        if (kind === 'x10') expect(a.marginUsd.at(-1)).not.toBe(b.marginUsd.at(-1));
        else expect(b.counts.failed + b.counts.missingData).toBeGreaterThan(0);
      }
    }, 20_000);
  }
});

describe('pre- vs post-incident calibrations on the BTC/ETH option book (2017-2026 fixture history)', () => {
  it('every calibration complete, margins > 0; residual add-on from the incident on; the report series derivable', () => {
    const t0 = performance.now();
    const panel = alignFixture(['BTC', 'ETH']);
    const cmp = compareCalibrations({ panel, book: OPTIONS_BOOK, mporDays: MPOR, calibrations, evaluation });
    const ms = performance.now() - t0;
    const lines = cmp.results.map((r) => {
      const s = r.summary;
      return `  ${s.label.padEnd(29)} exc ${String(s.exceptions).padStart(3)} (exp ${s.expectedExceptions.toFixed(1)}) zone ${String(s.zone).padEnd(6)} coverage ${(s.coverageRatio * 100).toFixed(2)}% ` +
        `kupiec p ${s.kupiecPValue?.toExponential(2)} CC(non-overl.) p ${s.conditionalCoveragePValue?.toFixed(3)} Z2 ${s.z2?.toFixed(3) ?? 'n/a'} ` +
        `peak/trough ${s.peakToTroughRatio?.toFixed(2)} mean margin ${(s.meanMarginUsd / 1e3).toFixed(0)}k | ` +
        r.statistics.trafficLight.map((t) => `${t.label}:${t.result.x}/${t.result.n}=${t.result.zone}`).join(' ');
    });
    console.log(`${OPTIONS_BOOK.name}: ${cmp.from} .. ${cmp.to}, MPOR ${cmp.mporDays} rows, ${ms.toFixed(0)} ms\n${lines.join('\n')}`);
    expect(cmp.book).toBe(OPTIONS_BOOK);
    for (const r of cmp.results) {
      expect(r.run.status, r.label).toBe('complete');
      expect(r.run.counts.mporBeyondHistory).toBe(MPOR);
      expect([...r.run.marginUsd].every((m) => Number.isFinite(m) && m > 0), r.label).toBe(true);
      expect(r.summary.n).toBe(r.run.dates.length - MPOR);
      expect(r.run.dates[0]).toBe(cmp.from);
      // what the report's BacktestInput needs, from the result
      const series = evaluatedSeries(r.run);
      const tests = backtestTestSummary(r.statistics);
      expect(series.dates).toHaveLength(tests.observations);
      expect(series.exceptions.filter(Boolean)).toHaveLength(tests.exceptions);
      series.exceptions.forEach((x, k) => expect(x).toBe(-(series.pnlUsd[k] as number) > (series.marginUsd[k] as number)));
      expect(tests.zone).toBe(r.summary.zone);
      for (const k of ['expectedExceptions', 'kupiecLr', 'kupiecP', 'kupiecExactP', 'christoffersenLr', 'christoffersenP', 'conditionalCoverageLr', 'conditionalCoverageP'] as const) {
        expect(Number.isFinite(tests[k]), k).toBe(true);
      }
    }
    const post = cmp.results.find((r) => r.label === 'fhs-es post-incident');
    const pre = cmp.results.find((r) => r.label === 'fhs-es pre-incident');
    if (post === undefined || pre === undefined) throw new Error('missing calibration');
    post.run.dates.forEach((d, i) => {
      const addOn = post.run.forecasts[i]?.components?.['residualAddOnUsd'] as number;
      if (d < '2026-02-04') expect(addOn, d).toBe(0);
      else expect(addOn, d).toBeGreaterThan(0);
    });
    const stressRows = (d: string): number => post.run.forecasts[post.run.dates.indexOf(d)]?.components?.['stressRows'] as number;
    expect(stressRows('2026-02-05') - stressRows('2026-02-03')).toBe(2);
    expect(post.summary.z2).toBe(pre.summary.z2);
    expect(post.run.marginUsd).not.toEqual(pre.run.marginUsd);
    // the post-incident historical VaR with stress observations always included holds at least the pre-incident margin
    // on average over the comparison
    const hPre = cmp.results.find((r) => r.label === 'historical-var pre-incident');
    const hPost = cmp.results.find((r) => r.label === 'historical-var post-incident');
    expect(hPost?.summary.meanMarginUsd).toBeGreaterThan(hPre?.summary.meanMarginUsd ?? Infinity);
  }, 30_000);

  it("FHS-ES with the MPOR reached by scaling the moves ('moves'): more margin for this net short-gamma book, fewer exceptions", () => {
    const panel = alignFixture(['BTC', 'ETH']);
    const fhs = (scaling: 'pnl' | 'moves') => incidentCalibrations({ incident, policy, fhsEsModel: fhsModel, mporDays: MPOR, stressPeriods, fhsMporScaling: scaling })
      .filter((c) => c.label.startsWith('fhs-es'));
    const byPnl = compareCalibrations({ panel, book: OPTIONS_BOOK, mporDays: MPOR, calibrations: fhs('pnl'), evaluation });
    const byMoves = compareCalibrations({ panel, book: OPTIONS_BOOK, mporDays: MPOR, calibrations: fhs('moves'), evaluation });
    console.log(byMoves.results.map((r, k) => {
      const p = byPnl.results[k]?.summary;
      const m = r.summary;
      return `  ${m.label.padEnd(22)} moves: exc ${m.exceptions} zone ${m.zone} Z2 ${m.z2?.toFixed(3)} mean margin ${(m.meanMarginUsd / 1e3).toFixed(0)}k | pnl: exc ${p?.exceptions} zone ${p?.zone} Z2 ${p?.z2?.toFixed(3)} mean margin ${((p?.meanMarginUsd ?? 0) / 1e3).toFixed(0)}k`;
    }).join('\n'));
    byMoves.results.forEach((r, k) => {
      const p = byPnl.results[k];
      if (p === undefined) throw new Error('missing result');
      expect(r.run.status).toBe('complete');
      expect(r.summary.meanMarginUsd).toBeGreaterThan(p.summary.meanMarginUsd);
      expect(r.summary.exceptions).toBeLessThanOrEqual(p.summary.exceptions);
    });
  }, 30_000);

  it('the option book and its delta book differ: a historical VaR with the book revalued, not linearised', () => {
    const panel = alignFixture(['BTC', 'ETH']);
    const delta: LinearBook = { name: 'delta', exposuresUsd: { BTC: legsDeltaUsd(BTC_LEGS), ETH: legsDeltaUsd(ETH_LEGS) } };
    const model = createHistoricalMarginModel({ measure: 'var', confidence: 0.99, lookbackRows: 250, mporDays: MPOR, mporScaling: 'overlapping' });
    const a = runRollingBacktest({ panel, book: OPTIONS_BOOK, mporDays: MPOR, model, from: '2022-01-01' });
    const b = runRollingBacktest({ panel, book: delta, mporDays: MPOR, model, from: '2022-01-01' });
    // short net gamma (short 2x 85 % puts, short ETH straddle): more margin than the delta book on most dates
    let more = 0;
    for (let i = 0; i < a.dates.length; i++) if ((a.marginUsd[i] as number) > (b.marginUsd[i] as number)) more++;
    expect(more / a.dates.length).toBeGreaterThan(0.9);
  }, 20_000);
});
