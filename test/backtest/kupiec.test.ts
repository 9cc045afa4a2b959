import { describe, expect, it } from 'vitest';
import { BacktestInputError, kupiec } from '../../src/backtest/index.ts';
import { mathworksNormal95Series } from './mathworks.ts';
import { published, reference, relErr, sig } from './reference.ts';

describe('kupiec (POF)', () => {
  it('reproduces the MathWorks varbacktest example to the published digits (LRatioPOF 0.46147, PValuePOF 0.49694)', () => {
    const series = mathworksNormal95Series();
    const r = kupiec(series, 0.95);
    expect(r.n).toBe(1043);
    expect(r.x).toBe(57);
    expect(sig(r.lr, 5)).toBe(0.46147);
    expect(sig(r.pValue, 5)).toBe(0.49694);
    // the varbacktest summary: observed level 0.94535, expected failures 52.15, ratio 1.093, first failure day 58
    expect(sig(1 - r.observedRate, 5)).toBe(0.94535);
    expect(r.expectedExceptions).toBeCloseTo(52.15, 12);
    expect(sig(r.x / r.expectedExceptions, 4)).toBe(1.093);
    expect(series.indexOf(true) + 1).toBe(58);
    // the count form gives the same numbers
    expect(kupiec({ n: 1043, x: 57 }, 0.95)).toEqual(r);
  });

  it('matches the research note vectors (methods.md §6.6) to 1e-12', () => {
    for (const v of published.backtests.kupiec) {
      const r = kupiec({ n: v.N, x: v.x }, Number((1 - v.p).toFixed(10))); // coverage as typed: 0.95, 0.99
      expect(r.failureRate).toBe(v.p);
      expect(relErr(r.lr, v.LR), `${v.N}/${v.x}/${v.p}`).toBeLessThan(1e-12);
      expect(relErr(r.pValue, v.pvalue), `${v.N}/${v.x}/${v.p}`).toBeLessThan(1e-12);
    }
  });

  it('matches mpmath (LR, chi-square p-value) and the exact two-sided binomial p-value of scipy.binomtest, 62 cases', () => {
    let worst = 0;
    for (const c of reference.kupiec) {
      const r = kupiec({ n: c.n, x: c.x }, c.coverage);
      const label = `n=${c.n} x=${c.x} coverage=${c.coverage}`;
      expect(r.failureRate).toBe(c.p);
      const eLr = c.lr < 1e-3 ? Math.abs(r.lr - c.lr) : relErr(r.lr, c.lr);
      const eP = c.pValue <= 0.5 ? relErr(r.pValue, c.pValue) : Math.abs(r.pValue - c.pValue);
      const eExact = c.pValueExact <= 0.5 ? relErr(r.pValueExact, c.pValueExact) : Math.abs(r.pValueExact - c.pValueExact);
      worst = Math.max(worst, eLr, eP, eExact);
      expect(eLr, `LR ${label}: ${r.lr} vs ${c.lr}`).toBeLessThan(1e-12);
      // the chi-square tail amplifies LR's rounding by about LR/2 (tail p-values down to 1e-300 here)
      expect(eP, `p ${label}: ${r.pValue} vs ${c.pValue}`).toBeLessThan(1e-13 + 1e-15 * c.lr);
      expect(eExact, `exact p ${label}: ${r.pValueExact} vs ${c.pValueExact}`).toBeLessThan(1e-12 + 1e-15 * Math.abs(Math.log(c.pValueExact)));
      expect(Math.abs(r.pValueExact - c.scipy_binomtest), label).toBeLessThan(1e-12);
    }
    console.info(`kupiec: ${reference.kupiec.length} cases against mpmath, worst error ${worst.toExponential(2)}`);
  });

  it('degenerate counts: x = 0 and x = n are finite limits, never NaN', () => {
    const none = kupiec({ n: 250, x: 0 }, 0.99);
    expect(none.lr).toBeCloseTo(-2 * 250 * Math.log1p(-0.01), 12);
    expect(none.pValue).toBeGreaterThan(0);
    const all = kupiec(new Array<boolean>(50).fill(true), 0.99);
    expect(all.lr).toBeCloseTo(-2 * 50 * Math.log(0.01), 11);
    expect(all.pValue).toBeGreaterThan(0); // LR = 460.5: 1 - cdf would be 0
    expect(all.pValue).toBeLessThan(1e-100);
    expect(all.pValueExact).toBeCloseTo(1e-100, 112); // P(X = 50) = 0.01^50, nothing less likely on the other side
    const exact = kupiec({ n: 100, x: 1 }, 0.99); // x = np exactly: LR 0, both p-values 1
    expect(exact.lr).toBe(0);
    expect(exact.pValue).toBe(1);
    expect(exact.pValueExact).toBe(1);
    for (const r of [none, all, exact]) for (const v of Object.values(r)) expect(Number.isNaN(v)).toBe(false);
  });

  it('the 95 % acceptance regions of methods.md §6.1: N = 250 -> x in [1, 6], N = 1000 -> [5, 16] at p = 1 %', () => {
    const accepted = (n: number): number[] => {
      const xs: number[] = [];
      for (let x = 0; x <= 40; x++) if (kupiec({ n, x }, 0.99).pValue > 0.05) xs.push(x);
      return xs;
    };
    const a250 = accepted(250);
    expect([a250[0], a250[a250.length - 1], a250.length]).toEqual([1, 6, 6]);
    const a1000 = accepted(1000);
    expect([a1000[0], a1000[a1000.length - 1], a1000.length]).toEqual([5, 16, 12]);
  });

  it('rejects bad input with a typed error naming the field', () => {
    const bad = (f: () => unknown, field: string): void => {
      try {
        f();
        expect.fail('did not throw');
      } catch (error) {
        expect(error).toBeInstanceOf(BacktestInputError);
        expect((error as BacktestInputError).field).toBe(field);
      }
    };
    bad(() => kupiec({ n: 10, x: 11 }, 0.99), 'exceptions.x');
    bad(() => kupiec({ n: 10.5, x: 1 }, 0.99), 'exceptions.n');
    bad(() => kupiec({ n: 0, x: 0 }, 0.99), 'exceptions.n');
    bad(() => kupiec([], 0.99), 'exceptions.n');
    bad(() => kupiec([true, 'yes' as unknown as boolean], 0.99), 'exceptions[1]');
    bad(() => kupiec({ n: 10, x: 1 }, 99), 'coverage');
    bad(() => kupiec({ n: 10, x: 1 }, 1), 'coverage');
    bad(() => kupiec({ n: 10, x: 1 }, Number.NaN), 'coverage');
    // 0/1 numbers are accepted as a series
    expect(kupiec(Uint8Array.from([0, 1, 0, 0]), 0.9).x).toBe(1);
  });
});
