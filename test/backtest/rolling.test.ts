import { describe, expect, it } from 'vitest';
import { createReturnsPanel, type ReturnsPanel } from '../../src/market/index.ts';
import {
  compareCalibrations, createHistoricalMarginModel, evaluateBacktest, historyView, runRollingBacktest,
  type HistoryView, type MarginModel,
} from '../../src/backtest/index.ts';

// 30 days of one asset X, simple daily returns in percent; log returns ln(1 + x)
const X_PCT = [1, -2, 0.5, -1, 3, -4, 2, 1, -0.5, -6, 2, 1, 1, -1, 0.5, -2, -3, 1, 2, -1, 0.5, 0.5, -5, 1, 2, 3, -1, -2, 1, -7];
const day = (i: number): string => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
const panel30: ReturnsPanel = createReturnsPanel({
  dates: X_PCT.map((_, i) => day(i)),
  assets: ['X'],
  returns: X_PCT.map((x) => [Math.log1p(x / 100)]),
});
const book = { name: 'long 1000 X', exposuresUsd: { X: 1000 } };

describe('rolling backtest on a hand-checked 30-day series', () => {
  // historical VaR 80 % over 5 rows, MPOR 1: k = ceil(5 x 0.2) = 1, so the margin is the largest of the last 5 losses
  // (loss = -10 x the % return on 1000 USD), floored at 0; the first date with 5 rows is t = 4.
  const model = createHistoricalMarginModel({ measure: 'var', confidence: 0.8, lookbackRows: 5, mporDays: 1, mporScaling: 'overlapping' });
  const run = runRollingBacktest({ panel: panel30, book, mporDays: 1, model });

  it('margins, realised P&L and exceptions match the hand computation', () => {
    // losses L_s: -10 20 -5 10 -30 40 -20 -10 5 60 -20 -10 -10 10 -5 20 30 -10 -20 10 -5 -5 50 -10 -20 -30 10 20 -10 70
    // margin_t = max(0, max L over t-4..t), by hand for t = 4..29:
    const byHand = [20, 40, 40, 40, 40, 60, 60, 60, 60, 60, 10, 20, 30, 30, 30, 30, 30, 10, 50, 50, 50, 50, 50, 20, 20, 70];
    expect(run.dates).toEqual(X_PCT.slice(4).map((_, i) => day(4 + i)));
    expect(run.marginUsd).toHaveLength(26);
    byHand.forEach((m, i) => expect(run.marginUsd[i]).toBeCloseTo(m, 9));
    // realised P&L of t is the next day's 10 x x%
    for (let i = 0; i < 25; i++) expect(run.pnlUsd[i]).toBeCloseTo(10 * (X_PCT[5 + i] as number), 9);
    expect(Number.isNaN(run.pnlUsd[25])).toBe(true);
    // exceptions where the next loss exceeds the margin: t = 4 (40 > 20), 8 (60 > 40), 14 (20 > 10), 15 (30 > 20),
    // 21 (50 > 10), 28 (70 > 20)
    const exceptionDates = run.dates.filter((_, i) => run.exception[i] === 1);
    expect(exceptionDates).toEqual([4, 8, 14, 15, 21, 28].map(day));
    expect(run.counts).toEqual({ dates: 26, evaluated: 25, exceptions: 6, warmUp: 4, mporBeyondHistory: 1, missingData: 0, failed: 0 });
    expect(run.status).toBe('complete');
  });

  it('the statistics are those of 6 exceptions in 25 at 80 %', () => {
    const s = evaluateBacktest(run, { seed: 1, z2Simulations: 200 });
    expect(s.n).toBe(25);
    expect(s.exceptions).toBe(6);
    expect(s.coverageRatio.ratio).toBeCloseTo(19 / 25, 15);
    // Kupiec LR by hand: p = 0.2, p^ = 0.24: 2 [6 ln(0.24/0.2) + 19 ln(0.76/0.8)]
    expect(s.kupiec?.lr).toBeCloseTo(2 * (6 * Math.log(0.24 / 0.2) + 19 * Math.log(0.76 / 0.8)), 12);
    expect(s.trafficLight[0]?.label).toBe('all');
    expect(s.trafficLight[0]?.result.x).toBe(6);
    // procyclicality over the 26 margins: peak 70, trough 10
    expect(s.procyclicality.peakToTroughRatio).toBeCloseTo(7, 9);
    // largest 1-day rise: 20 -> 70 (t = 28 -> 29), larger than 10 -> 50 (t = 21 -> 22)
    expect(s.procyclicality.increases.find((x) => x.horizon === 1)?.absolute?.value).toBeCloseTo(50, 9);
  });

  it('MPOR 2: overlapping 2-day windows, realised 2-day P&L, the last 2 dates excluded and counted', () => {
    const m2 = createHistoricalMarginModel({ measure: 'var', confidence: 0.8, lookbackRows: 5, mporDays: 2, mporScaling: 'overlapping' });
    const r2 = runRollingBacktest({ panel: panel30, book, mporDays: 2, model: m2 });
    // first date t = 5 (5 windows need 6 rows); windows ending at rows 1..5: losses 1000 (1 - (1+a)(1+b)):
    // (1,-2) 10.2, (-2,0.5) 15.1, (0.5,-1) 5.05, (-1,3) -19.7, (3,-4) 11.2 -> margin 15.1
    expect(r2.dates[0]).toBe(day(5));
    expect(r2.marginUsd[0]).toBeCloseTo(15.1, 9);
    // realised P&L of t = 5: 1000 ((1.02)(1.01) - 1) = 30.2
    expect(r2.pnlUsd[0]).toBeCloseTo(30.2, 9);
    expect(r2.counts.mporBeyondHistory).toBe(2);
    expect(r2.counts.evaluated).toBe(23);
  });
});

describe('degenerate cases', () => {
  it('zero exposure: zero margins, no exception, Z2 skipped with its reason', () => {
    const model = createHistoricalMarginModel({ measure: 'es', confidence: 0.8, lookbackRows: 5, mporDays: 1, mporScaling: 'sqrt' });
    const run = runRollingBacktest({ panel: panel30, book: { name: 'flat', exposuresUsd: { X: 0 } }, mporDays: 1, model });
    expect([...run.marginUsd].every((m) => m === 0)).toBe(true);
    expect([...run.pnlUsd.subarray(0, 25)].every((p) => p === 0)).toBe(true);
    expect(run.counts.exceptions).toBe(0);
    const s = evaluateBacktest(run, { seed: 1 });
    expect(s.exceptions).toBe(0);
    expect(s.coverageRatio.ratio).toBe(1);
    expect(s.z2.ok).toBe(false);
    expect(s.procyclicality.peakToTroughRatio).toBeNull();
  });

  it('an MPOR longer than the remaining history: those dates are excluded and counted; all of them -> empty sample', () => {
    const m3 = createHistoricalMarginModel({ measure: 'var', confidence: 0.8, lookbackRows: 5, mporDays: 3, mporScaling: 'sqrt' });
    const r3 = runRollingBacktest({ panel: panel30, book, mporDays: 3, model: m3 });
    expect(r3.counts).toMatchObject({ dates: 26, evaluated: 23, mporBeyondHistory: 3 });
    const m40 = createHistoricalMarginModel({ measure: 'var', confidence: 0.8, lookbackRows: 5, mporDays: 40, mporScaling: 'sqrt' });
    const r40 = runRollingBacktest({ panel: panel30, book, mporDays: 40, model: m40 });
    expect(r40.counts).toMatchObject({ dates: 26, evaluated: 0, mporBeyondHistory: 26, exceptions: 0 });
    expect([...r40.marginUsd].every((m) => Number.isFinite(m) && m >= 0)).toBe(true);
    const s = evaluateBacktest(r40, { seed: 1 });
    expect(s.n).toBe(0);
    expect(s.kupiec).toBeNull();
    expect(s.trafficLight).toEqual([]);
  });

  it('a model that throws or returns a bad margin makes the run partial, never a crash', () => {
    const bad: MarginModel = {
      name: 'bad', description: 'fails on odd rows', coverage: 0.99, minRows: 1,
      margin: (view) => {
        if (view.endIndex === 3) throw new Error('boom');
        return { marginUsd: view.endIndex === 5 ? -1 : 1 };
      },
    };
    const run = runRollingBacktest({ panel: panel30, book, mporDays: 1, model: bad });
    expect(run.status).toBe('partial');
    expect(run.failures.map((f) => f.date)).toEqual([day(3), day(5)]);
    expect(run.failures[0]?.reason).toContain('boom');
    expect(run.counts.failed).toBe(2);
    expect(run.counts.evaluated).toBe(27);
  });
});

describe('no look-ahead, structurally', () => {
  it('the model only ever receives rows up to t, in a private copy', () => {
    const seen: Array<{ t: number; last: string; rows: number; ownBuffer: boolean }> = [];
    const spy: MarginModel = {
      name: 'spy', description: 'records its views', coverage: 0.9, minRows: 3, lookbackRows: 4,
      margin: (view: HistoryView) => {
        seen.push({ t: view.endIndex, last: view.dates[view.rows - 1] as string, rows: view.rows, ownBuffer: view.returns.buffer.byteLength === view.returns.byteLength });
        view.returns.fill(1e9); // vandalism must not reach the panel
        return { marginUsd: 1 };
      },
    };
    const before = panel30.returns.slice();
    runRollingBacktest({ panel: panel30, book, mporDays: 1, model: spy });
    expect(panel30.returns).toEqual(before);
    expect(seen.map((s) => s.t)).toEqual(X_PCT.slice(2).map((_, i) => 2 + i));
    for (const s of seen) {
      expect(s.last).toBe(day(s.t));
      expect(s.rows).toBe(Math.min(4, s.t + 1));
      expect(s.ownBuffer).toBe(true);
    }
    const v = historyView(panel30, 10);
    expect(v.rows).toBe(11);
    expect(v.returns).toHaveLength(11);
  });
});

describe('side by side', () => {
  it('calibrations run over the same dates (the latest warm-up decides the start)', () => {
    const short = createHistoricalMarginModel({ measure: 'var', confidence: 0.8, lookbackRows: 5, mporDays: 1, mporScaling: 'sqrt' });
    const long = createHistoricalMarginModel({ measure: 'es', confidence: 0.8, lookbackRows: 10, mporDays: 1, mporScaling: 'sqrt' });
    const cmp = compareCalibrations({
      panel: panel30, book, mporDays: 1, evaluation: { seed: 7, z2Simulations: 100 },
      calibrations: [{ label: 'short', model: short }, { label: 'long', model: long }],
    });
    expect(cmp.from).toBe(day(9));
    expect(cmp.results.map((r) => r.run.dates[0])).toEqual([day(9), day(9)]);
    expect(cmp.results.map((r) => r.summary.n)).toEqual([20, 20]);
    expect(() => compareCalibrations({ panel: panel30, book, mporDays: 1, evaluation: { seed: 1 }, calibrations: [{ label: 'a', model: short }, { label: 'a', model: long }] })).toThrow(/label/);
  });
});
