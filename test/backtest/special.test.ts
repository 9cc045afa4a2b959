import { describe, expect, it } from 'vitest';
import {
  bd0,
  ceilCountTimesLevel,
  chiSquareCdf,
  chiSquareSurvival,
  decimalComplement,
  logGamma,
  regularizedGammaP,
  regularizedBeta,
  regularizedGammaQ,
  stirlingError,
} from '../../src/backtest/index.ts';
import { reference, relErr } from './reference.ts';

describe('decimal helpers (exact conventions on typed decimals)', () => {
  it('complements the decimal, not its binary rounding', () => {
    expect(1 - 0.99).not.toBe(0.01);
    expect(decimalComplement(0.99)).toBe(0.01);
    expect(decimalComplement(0.975)).toBe(0.025);
    expect(decimalComplement(0.9999)).toBe(0.0001);
    expect(decimalComplement(0.995)).toBe(0.005);
    expect(decimalComplement(1e-7)).toBe(0.9999999);
    expect(decimalComplement(0.5)).toBe(0.5);
    expect(decimalComplement(1)).toBe(0);
    expect(decimalComplement(1.5)).toBeNaN();
  });

  it('ceil(M L) is exact: 100 x 0.07 is the 7th order statistic, not the 8th', () => {
    expect(Math.ceil(100 * 0.07)).toBe(8); // the floating-point trap: 100 * 0.07 = 7.000000000000001
    expect(ceilCountTimesLevel(100, 0.07)).toBe(7);
    expect(ceilCountTimesLevel(100000, 0.0001)).toBe(10);
    expect(ceilCountTimesLevel(500, 0.01)).toBe(5);
    expect(ceilCountTimesLevel(501, 0.01)).toBe(6);
    expect(ceilCountTimesLevel(20, 0.05)).toBe(1);
    expect(ceilCountTimesLevel(10, 0.0001)).toBe(1);
    expect(ceilCountTimesLevel(7, 1)).toBe(7);
    expect(() => ceilCountTimesLevel(0, 0.5)).toThrow(RangeError);
  });
});

describe('special functions against mpmath (50 digits)', () => {
  it('logGamma: absolute error < 4e-15 + 2e-16 |lgamma|', () => {
    let worst = 0;
    for (const c of reference.logGamma) {
      const err = Math.abs(logGamma(c.x) - c.lgamma) / (1 + Math.abs(c.lgamma));
      worst = Math.max(worst, err);
      expect(Math.abs(logGamma(c.x) - c.lgamma), `x=${c.x}`).toBeLessThan(4e-15 + 2e-16 * Math.abs(c.lgamma));
    }
    console.info(`logGamma: ${reference.logGamma.length} points, worst |err|/(1+|lgamma|) = ${worst.toExponential(2)}`);
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
    expect(logGamma(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('stirlingError is continuous across the table/series switch at 15 and matches its definition', () => {
    // definition through logGamma at non-half-integers below 15, series above
    expect(Math.abs(stirlingError(14.999999) - stirlingError(15))).toBeLessThan(1e-9);
    expect(Math.abs(stirlingError(15.000001) - stirlingError(15))).toBeLessThan(1e-9);
    expect(stirlingError(1)).toBeCloseTo(1 - 0.5 * Math.log(2 * Math.PI), 15); // ln 1! - (1.5 ln 1 - 1 + ln sqrt(2pi))
    expect(stirlingError(0)).toBeNaN();
  });

  it('bd0 equals y ln(y/m) + m - y, has no cancellation near y = m, and the 0 ln 0 convention', () => {
    expect(bd0(0, 3.5)).toBe(3.5);
    expect(bd0(0, 0)).toBe(0);
    expect(bd0(2, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(bd0(-1, 2)).toBeNaN();
    for (const [y, m] of [[10, 3], [3, 10], [57, 52.15], [1000, 1000.5], [25, 1]] as const) {
      // the direct form is itself accurate to ~1e-6 relative at these moderate ratios, to 1e-14 far from y = m
      const direct = y * Math.log(y / m) + m - y;
      expect(relErr(bd0(y, m), direct), `${y},${m}`).toBeLessThan(Math.abs(m - y) > 0.5 * (y + m) ? 1e-14 : 1e-6);
    }
    // near y = m the exact value is (y-m)^2/(2m) - (y-m)^3/(6m^2) + ...; the naive form has lost all digits
    const y = 1e6 + 1;
    const m = 1e6;
    const exact = 1 / (2 * m) - 1 / (6 * m * m) + 1 / (12 * m * m * m);
    expect(relErr(bd0(y, m), exact)).toBeLessThan(1e-14);
  });

  it('regularized incomplete gamma Q and P: relative error < 1e-13 on the smaller tail (a = 0.3..200, x to 700)', () => {
    let worstQ = 0;
    let worstP = 0;
    for (const c of reference.gamma) {
      const q = regularizedGammaQ(c.a, c.x);
      const p = regularizedGammaP(c.a, c.x);
      // the larger of P, Q is only needed to absolute accuracy; the smaller to relative accuracy, except in the
      // subnormal range (< 2.2e-308) where doubles themselves carry fewer digits
      const accuracy = (got: number, want: number): number =>
        want < 1e-300 ? Math.abs(got - want) / 1e-300 : want <= 0.5 ? relErr(got, want) : Math.abs(got - want);
      const eq = accuracy(q, c.Q);
      const ep = accuracy(p, c.P);
      worstQ = Math.max(worstQ, eq);
      worstP = Math.max(worstP, ep);
      expect(eq, `Q(${c.a}, ${c.x})`).toBeLessThan(1e-13);
      expect(ep, `P(${c.a}, ${c.x})`).toBeLessThan(1e-13);
    }
    console.info(`incomplete gamma: ${reference.gamma.length} points, worst Q err ${worstQ.toExponential(2)}, worst P err ${worstP.toExponential(2)}`);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaQ(0, 1)).toBeNaN();
    expect(regularizedGammaQ(1, -1)).toBeNaN();
    expect(regularizedGammaQ(Number.NaN, 1)).toBeNaN();
  });

  it('regularized incomplete beta: relative error < 2e-14 + 2 ulps per unit of ln Gamma(a + b) on the smaller tail', () => {
    let worst = 0;
    for (const c of reference.beta) {
      const got = regularizedBeta(c.x, c.y, c.a, c.b);
      const err = c.I <= 0.5 ? relErr(got, c.I) : Math.abs(got - c.I);
      worst = Math.max(worst, err);
      // the prefactor exp(lnGamma(a+b) - lnGamma(a) - lnGamma(b) + ...) inherits the rounding of its log terms
      const tol = 2e-14 + 4.4e-16 * Math.abs(logGamma(c.a + c.b));
      expect(err, `I_${c.x}(${c.a}, ${c.b}) = ${got} vs ${c.I}`).toBeLessThan(tol);
    }
    console.info(`incomplete beta: ${reference.beta.length} points, worst error ${worst.toExponential(2)}`);
    expect(regularizedBeta(0, 1, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 0, 2, 3)).toBe(1);
    expect(regularizedBeta(0.5, 0.5, 0, 3)).toBeNaN();
  });

  it('chi-square survival keeps its relative accuracy deep in the tail (where 1 - cdf underflows)', () => {
    let worst = 0;
    for (const c of reference.chiSquare) {
      const sf = chiSquareSurvival(c.x, c.dof);
      const err = relErr(sf, c.sf);
      // conditioning: d ln Q / d ln x ~ x/2 near the tail, so allow x/2 ulps on top of a few
      const tol = 2e-14 + (c.x / 2) * 2.2e-16 * 4;
      worst = Math.max(worst, err / tol);
      expect(err, `sf(${c.x}; ${c.dof}) = ${sf} vs ${c.sf}`).toBeLessThan(tol);
      expect(Math.abs(chiSquareCdf(c.x, c.dof) - c.cdf), `cdf(${c.x}; ${c.dof})`).toBeLessThan(1e-14 + (c.cdf <= 0.5 ? 1e-13 * c.cdf : 0));
    }
    console.info(`chi-square: ${reference.chiSquare.length} points, worst error / tolerance = ${worst.toFixed(3)}`);
    // the 95 % critical values of methods.md §6.1
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 14);
    // a Kupiec LR of 1000 is far beyond where 1 - cdf gives 0
    expect(chiSquareSurvival(1000, 1)).toBeGreaterThan(1e-220);
    expect(chiSquareSurvival(0, 1)).toBe(1);
    expect(chiSquareSurvival(-1, 3)).toBe(1);
    expect(chiSquareSurvival(1, 0)).toBeNaN();
    expect(chiSquareCdf(Number.NaN, 2)).toBeNaN();
  });
});
