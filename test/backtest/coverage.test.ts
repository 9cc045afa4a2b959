import { describe, expect, it } from 'vitest';
import { createRng, normInv } from '../../src/math/index.ts';
import {
  BacktestInputError,
  coverageRatio,
  forwardPnl,
  kupiec,
  nonOverlapping,
  procyclicality,
  trafficLight,
} from '../../src/backtest/index.ts';

describe('coverage ratio (methods.md §6.5)', () => {
  it('counts loss > margin as an exception (a loss equal to the margin is covered) and skips missing days', () => {
    const r = coverageRatio({ margin: [10, 10, 10, 10, Number.NaN, 4], pnl: [-5, -10, -10.5, 3, -100, Number.NaN] });
    expect(r).toMatchObject({ n: 4, skipped: 2, exceptions: 1, ratio: 0.75, days: [0, 1, 2, 3], series: [false, false, true, false] });
    expect(r.largestShortfall).toEqual({ value: 0.5, day: 2 });
    expect(r.meanShortfall).toBe(0.5);
    const none = coverageRatio({ margin: [1, 2], pnl: [0, 5] });
    expect(none).toMatchObject({ exceptions: 0, ratio: 1, largestShortfall: null });
    expect(none.meanShortfall).toBeNaN();
  });

  it('feeds the exception tests: counts agree with a direct count of loss > margin on seeded normal P&L', () => {
    const rng = createRng('coverage');
    const n = 1000;
    const sigma = 250; // USD
    const margin = new Float64Array(n).fill(sigma * normInv(0.99));
    const pnl = Float64Array.from({ length: n }, () => sigma * rng.nextNormal());
    const r = coverageRatio({ margin, pnl });
    let direct = 0;
    for (let t = 0; t < n; t++) if (-(pnl[t] as number) > (margin[t] as number)) direct++;
    expect(r.exceptions).toBe(direct);
    expect(r.exceptions).toBeGreaterThan(0);
    expect(kupiec(r.series, 0.99).x).toBe(direct);
    expect(trafficLight(r.series, 0.99)).toEqual(trafficLight({ n, x: direct }, 0.99));
    expect(r.ratio).toBeCloseTo(1 - direct / n, 15);
  });

  it('forward MPOR P&L and non-overlapping subsamples', () => {
    expect([...forwardPnl([1, 2, 3, 4, 5], 2)]).toEqual([5, 7, 9]); // out[t] = daily[t+1] + daily[t+2]
    expect([...forwardPnl([1, 2, 3], 1)]).toEqual([2, 3]);
    expect(forwardPnl([1, 2], 5)).toHaveLength(0);
    expect([...forwardPnl([1, Number.NaN, 3, 4], 1)]).toEqual([Number.NaN, 3, 4]);
    expect(nonOverlapping([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 1)).toEqual([1, 4, 7]);
    expect(nonOverlapping([true, false], 5)).toEqual([true]);
    expect(() => forwardPnl([1], 0)).toThrow(/horizon/);
    expect(() => nonOverlapping([1], 2, 2)).toThrow(/offset/);
  });

  it('rejects negative or infinite margins and mismatched lengths', () => {
    expect(() => coverageRatio({ margin: [1, -1], pnl: [0, 0] })).toThrow(/margin\[1\]/);
    expect(() => coverageRatio({ margin: [1, 1], pnl: [0, Number.NEGATIVE_INFINITY] })).toThrow(/pnl\[1\]/);
    expect(() => coverageRatio({ margin: [1], pnl: [0, 0] })).toThrow(BacktestInputError);
  });
});

describe('procyclicality metrics on a hand-made margin series', () => {
  const margin = [100, 120, 90, 180, 170, 60, 200];

  it('peak-to-trough ratio and the largest 1-, 2-, 5- and 30-step increases, absolute and relative', () => {
    const r = procyclicality(margin, [1, 2, 5, 30]);
    expect(r.n).toBe(7);
    expect(r.peak).toEqual({ value: 200, index: 6 });
    expect(r.trough).toEqual({ value: 60, index: 5 });
    expect(r.peakToTroughRatio).toBeCloseTo(200 / 60, 15);
    const [h1, h2, h5, h30] = r.increases;
    // 1 step: changes 20, -30, 90, -10, -110, 140; relative 0.2, -0.25, 1, -0.056, -0.647, 2.333
    expect(h1).toEqual({ horizon: 1, absolute: { value: 140, start: 5, end: 6 }, relative: { value: 200 / 60 - 1, start: 5, end: 6 } });
    // 2 steps: -10, 60, 80, -120, 30; relative -0.1, 0.5, 0.889, -0.667, 0.176
    expect(h2).toEqual({ horizon: 2, absolute: { value: 80, start: 2, end: 4 }, relative: { value: 170 / 90 - 1, start: 2, end: 4 } });
    // 5 steps: (0,5) -40, (1,6) +80
    expect(h5).toEqual({ horizon: 5, absolute: { value: 80, start: 1, end: 6 }, relative: { value: 200 / 120 - 1, start: 1, end: 6 } });
    expect(h30).toEqual({ horizon: 30, absolute: null, relative: null });
    expect(procyclicality(margin).increases.map((i) => i.horizon)).toEqual([1, 5, 30]);
  });

  it('missing values, a falling series, a zero trough', () => {
    const gaps = procyclicality([100, Number.NaN, 150, 120], [1, 2]);
    expect(gaps.n).toBe(3);
    expect(gaps.increases[0]?.absolute).toEqual({ value: -30, start: 2, end: 3 }); // never rose over one step
    expect(gaps.increases[1]?.absolute).toEqual({ value: 50, start: 0, end: 2 });
    const zero = procyclicality([0, 10, 5], [1]);
    expect(zero.peakToTroughRatio).toBeNull();
    expect(zero.increases[0]?.absolute).toEqual({ value: 10, start: 0, end: 1 });
    expect(zero.increases[0]?.relative).toEqual({ value: -0.5, start: 1, end: 2 }); // windows from 0 have no relative change
    const empty = procyclicality([Number.NaN]);
    expect(empty).toMatchObject({ n: 0, peak: null, trough: null, peakToTroughRatio: null });
    expect(() => procyclicality([1, -2])).toThrow(/margin\[1\]/);
    expect(() => procyclicality([1, 2], [0])).toThrow(/horizons\[0\]/);
  });
});
