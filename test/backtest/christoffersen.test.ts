import { describe, expect, it } from 'vitest';
import { BacktestInputError, christoffersen, christoffersenIndependence, countTransitions } from '../../src/backtest/index.ts';
import { mathworksNormal95Series } from './mathworks.ts';
import { published, reference, relErr, sig } from './reference.ts';

const fromString = (s: string): boolean[] => [...s].map((c) => c === '1');

describe('christoffersen', () => {
  it('reproduces the MathWorks varbacktest example to the published digits (CCI 0.25866 / 0.61104, CC 0.72013 / 0.69763)', () => {
    const series = mathworksNormal95Series();
    const v = published.backtests.christoffersen;
    expect(countTransitions(series)).toEqual({ n00: v.N00, n01: v.N01, n10: v.N10, n11: v.N11 });
    const r = christoffersen(series, 0.95);
    expect(sig(r.independence.lr, 5)).toBe(0.25866);
    expect(sig(r.independence.pValue, 5)).toBe(0.61104);
    expect(sig(r.conditionalCoverage.lr, 5)).toBe(0.72013);
    expect(sig(r.conditionalCoverage.pValue, 5)).toBe(0.69763);
    expect(sig(r.pof.lr, 5)).toBe(0.46147);
    // and the research note's full-precision values
    expect(relErr(r.independence.lr, v.LR_ind)).toBeLessThan(1e-12);
    expect(relErr(r.independence.pValue, v.p_ind)).toBeLessThan(1e-12);
    expect(relErr(r.conditionalCoverage.lr, v.LR_cc)).toBeLessThan(1e-12);
    expect(relErr(r.conditionalCoverage.pValue, v.p_cc)).toBeLessThan(1e-12);
    // the counts-only entry point agrees
    expect(christoffersenIndependence({ n00: 932, n01: 53, n10: 53, n11: 4 }).lr).toBe(r.independence.lr);
  });

  it('matches mpmath on Markov-chain and hand-made sequences (clustered, independent, alternating, degenerate)', () => {
    let worst = 0;
    for (const c of reference.christoffersen) {
      const series = fromString(c.sequence);
      const r = christoffersen(series, c.coverage);
      const label = `${c.sequence.slice(0, 12)}... (${c.sequence.length})`;
      expect(r.independence.transitions, label).toEqual({ n00: c.n00, n01: c.n01, n10: c.n10, n11: c.n11 });
      const close = (got: number, want: number): number => (want < 1e-6 ? Math.abs(got - want) : relErr(got, want));
      const errs = [
        close(r.independence.lr, c.lrInd),
        c.pInd <= 0.5 ? relErr(r.independence.pValue, c.pInd) : Math.abs(r.independence.pValue - c.pInd),
        close(r.pof.lr, c.lrPof),
        close(r.conditionalCoverage.lr, c.lrCc),
        c.pCc <= 0.5 ? relErr(r.conditionalCoverage.pValue, c.pCc) : Math.abs(r.conditionalCoverage.pValue - c.pCc),
      ];
      worst = Math.max(worst, ...errs);
      for (const e of errs) expect(e, label).toBeLessThan(1e-12);
    }
    console.info(`christoffersen: ${reference.christoffersen.length} sequences against mpmath, worst error ${worst.toExponential(2)}`);
  });

  it('degenerate sequences give LR_ind = 0 and p = 1, never NaN', () => {
    const none = christoffersen(new Array<boolean>(100).fill(false), 0.99);
    expect(none.independence).toMatchObject({ lr: 0, pValue: 1, pi: 0, pi01: 0, pi11: null });
    expect(none.conditionalCoverage.lr).toBe(none.pof.lr);
    const all = christoffersen(new Array<boolean>(50).fill(true), 0.99);
    expect(all.independence).toMatchObject({ lr: 0, pValue: 1, pi: 1, pi01: null, pi11: 1 });
    expect(all.conditionalCoverage.pValue).toBeGreaterThan(0);
    const lastDay = christoffersen(fromString('0'.repeat(99) + '1'), 0.99); // no transition out of state 1
    expect(lastDay.independence).toMatchObject({ lr: 0, pValue: 1, pi11: null });
    expect(lastDay.independence.pi01).toBeCloseTo(1 / 99, 15);
    const firstDay = christoffersen(fromString('1' + '0'.repeat(99)), 0.99); // exception with no predecessor
    expect(firstDay.independence.transitions).toEqual({ n00: 98, n01: 0, n10: 1, n11: 0 });
    expect(firstDay.independence.lr).toBe(0);
    // alternating exceptions: perfectly anti-clustered, independence strongly rejected
    const alternating = christoffersen(fromString('01'.repeat(50)), 0.99);
    expect(alternating.independence.pi11).toBe(0);
    expect(alternating.independence.pValue).toBeLessThan(1e-20);
    for (const r of [none, all, lastDay, firstDay, alternating]) {
      expect(Number.isFinite(r.independence.lr) && Number.isFinite(r.conditionalCoverage.pValue)).toBe(true);
    }
  });

  it('LR_cc = LR_POF + LR_ind with a chi-square(2) p-value exp(-LR_cc/2)', () => {
    const r = christoffersen(fromString('0001100000100000000011100000'), 0.9);
    expect(r.conditionalCoverage.lr).toBe(r.pof.lr + r.independence.lr);
    expect(r.conditionalCoverage.pValue).toBeCloseTo(Math.exp(-r.conditionalCoverage.lr / 2), 15);
  });

  it('rejects bad input with a typed error', () => {
    expect(() => christoffersen([true], 0.99)).toThrow(BacktestInputError);
    expect(() => christoffersen([true, 2 as unknown as boolean], 0.99)).toThrow(/exceptions\[1\]/);
    expect(() => christoffersen([true, false], 0)).toThrow(/coverage/);
    expect(() => christoffersenIndependence({ n00: 0, n01: 0, n10: 0, n11: 0 })).toThrow(BacktestInputError);
    expect(() => christoffersenIndependence({ n00: 1.5, n01: 0, n10: 0, n11: 0 })).toThrow(/transitions.n00/);
  });
});
