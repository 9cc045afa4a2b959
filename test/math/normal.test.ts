/**
 * The normal distribution and Cody's error functions against 40-digit values computed with mpmath at 60 digits
 * (fixtures/reference/normal/mpmath-40.json, made by scripts/reference/make_pricing_reference.py). Every value that is
 * a normal double must be within a few ulps, relative, across the whole range: Phi down to x = -37.5 (4.6e-308),
 * the quantile down to p = 1e-300 and at p = 1/2 +- one ulp, erfc to x = 26.5, erfcx to 1e6. jstat and mathjs
 * return 0 for Phi(-10); we must not.
 */
import { describe, expect, it } from 'vitest';
import { erfc, erfcx, normCdf, normInv, normPdf } from '../../src/math/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

interface Value { digits: string; double: number | null; normal: boolean; kappa: number | null }
const ref = readJsonFixture<{
  normal: {
    points: { x: number; cdf: Value; pdf: Value }[];
    inverseCdf: { p: number; x: Value }[];
    erfc: { x: number; value: Value }[];
    erfcx: { x: number; value: Value }[];
  };
}>('fixtures/reference/normal/mpmath-40.json').normal;

const EPS = Number.EPSILON;
/** Error in units of eps relative to the exact (40-digit) value. */
function ulps(computed: number, v: Value): number {
  const exact = Number(v.digits);
  return Math.abs(computed - exact) / Math.abs(exact) / EPS;
}

function worst<T>(cases: T[], value: (c: T) => Value, computed: (c: T) => number): { worst: number; n: number } {
  let w = 0;
  let n = 0;
  for (const c of cases) {
    const v = value(c);
    if (!v.normal) continue;
    w = Math.max(w, ulps(computed(c), v));
    n++;
  }
  return { worst: w, n };
}

describe('normal distribution and error functions vs 40-digit mpmath', () => {
  it('Phi(x) within 4 ulps for x in [-37.5, 8.3]', () => {
    const r = worst(ref.points, (c) => c.cdf, (c) => normCdf(c.x));
    expect(r.n).toBeGreaterThan(190);
    expect(r.worst).toBeLessThanOrEqual(4);
  });
  it('phi(x) within 4 ulps', () => {
    const r = worst(ref.points, (c) => c.pdf, (c) => normPdf(c.x));
    expect(r.worst).toBeLessThanOrEqual(4);
  });
  it('Phi^-1(p) within 4 ulps for p from 1e-300 to 1 - 1e-16, including 1/2 +- one ulp', () => {
    const r = worst(ref.inverseCdf.filter((c) => c.x.digits !== '0'), (c) => c.x, (c) => normInv(c.p));
    expect(r.n).toBeGreaterThan(130);
    expect(r.worst).toBeLessThanOrEqual(4);
    expect(normInv(0.5)).toBe(0);
  });
  it('erfc(x) and erfcx(x) within 4 ulps', () => {
    expect(worst(ref.erfc, (c) => c.value, (c) => erfc(c.x)).worst).toBeLessThanOrEqual(4);
    expect(worst(ref.erfcx, (c) => c.value, (c) => erfcx(c.x)).worst).toBeLessThanOrEqual(4);
  });
  it('the tails do not collapse to 0 (where jstat and mathjs do) and NaN propagates', () => {
    expect(normCdf(-10)).toBeCloseTo(7.619853024160527e-24, 37);
    expect(normCdf(-37.5)).toBeGreaterThan(0);
    expect(normInv(normCdf(-30)) / -30 - 1).toBeLessThan(1e-15);
    expect(normCdf(Number.NaN)).toBeNaN();
    expect(normInv(Number.NaN)).toBeNaN();
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(normInv(1.5)).toBeNaN();
  });
});
