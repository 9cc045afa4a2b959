import { describe, expect, it } from 'vitest';
import { CompensatedAccumulator, compensatedDot, neumaierSum } from '../../src/math/sum.ts';
import { createRng } from '../../src/math/rng.ts';
import {
  DOUBLE_SCALE,
  PRODUCT_SCALE,
  absBig,
  absoluteError,
  exactProduct,
  exactSum,
  naiveDot,
  naiveSum,
  scaledToDouble,
  toScaled,
} from '../support/exactFloat.ts';
import { generateIllConditionedDot, generateIllConditionedSum } from '../support/illConditioned.ts';

const U = 2 ** -53; // unit roundoff
const gamma = (n: number): number => (n * U) / (1 - n * U);

describe('exact BigInt arithmetic on doubles (test support)', () => {
  it('decodes doubles exactly', () => {
    // 0.1 is 3602879701896397 * 2^-55 (IEEE 754 binary64)
    expect(toScaled(0.1)).toBe(3602879701896397n << BigInt(DOUBLE_SCALE - 55));
    expect(toScaled(-1)).toBe(-(1n << 1074n));
    expect(toScaled(5e-324)).toBe(1n);
    expect(toScaled(Number.MAX_VALUE)).toBe(((1n << 53n) - 1n) << BigInt(1024 - 53 + 1074));
  });

  it('round-trips random doubles, subnormals included, and rounds ties to even', () => {
    const rng = createRng('exact-float-roundtrip');
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 2000; i++) {
      view.setUint32(0, rng.nextUint32());
      view.setUint32(4, rng.nextUint32());
      const x = view.getFloat64(0);
      if (!Number.isFinite(x)) continue;
      expect(scaledToDouble(toScaled(x), DOUBLE_SCALE)).toBe(x);
    }
    const two53 = 1n << 53n;
    expect(scaledToDouble(two53 + 1n, 0)).toBe(2 ** 53); // tie, rounds to the even 2^53
    expect(scaledToDouble(two53 + 3n, 0)).toBe(2 ** 53 + 4); // tie, rounds to the even 2^53 + 4
    expect(scaledToDouble(3n, DOUBLE_SCALE + 1)).toBe(2 * 5e-324); // 1.5 * 2^-1074 -> 2 * 2^-1074
    expect(scaledToDouble(1n << 1024n, 0)).toBe(Infinity);
  });
});

describe('neumaierSum', () => {
  it('recovers the classic cancellation [1, 1e100, 1, -1e100] = 2, where naive summation gives 0', () => {
    const x = [1, 1e100, 1, -1e100];
    expect(neumaierSum(x)).toBe(2);
    expect(naiveSum(x)).toBe(0);
    expect(new CompensatedAccumulator().addAll(x).value).toBe(2);
  });

  it('sums 1e6 copies of 0.1 to within its error bound of the exact rational value; naive summation does not', () => {
    const n = 1_000_000;
    const x = new Float64Array(n).fill(0.1);
    // exact: n * 3602879701896397 / 2^55, as a scaled integer
    const exact = BigInt(n) * toScaled(0.1);
    const exactDouble = scaledToDouble(exact, DOUBLE_SCALE);
    // all terms positive: sum|x| = |S|, so Prop. 4.5 of Ogita-Rump-Oishi gives (u + gamma_{n-1}^2) |S|
    const bound = (U + gamma(n - 1) ** 2) * exactDouble;
    const compensated = neumaierSum(x);
    const naive = naiveSum(x);
    const errCompensated = absoluteError(compensated, exact, DOUBLE_SCALE);
    const errNaive = absoluteError(naive, exact, DOUBLE_SCALE);
    expect(errCompensated).toBeLessThanOrEqual(bound);
    expect(compensated).toBe(exactDouble); // in fact correctly rounded
    expect(errNaive).toBeGreaterThan(1000 * bound); // naive: 100000.00000133288, error ~1.3e-6
    expect(naive).not.toBe(exactDouble);
  });

  it('meets the Sum2 error bound on random ill-conditioned sums (cond 4e3..7e28) checked in exact arithmetic; naive summation misses it', () => {
    const rng = createRng('neumaier-ill-conditioned');
    const rows: string[] = [];
    let cases = 0;
    for (const log2Cond of [10, 20, 30, 40, 50, 60, 70, 80, 90]) {
      for (const n of [10, 101, 1000]) {
        for (let rep = 0; rep < 3; rep++) {
          const x = generateIllConditionedSum(rng, n, log2Cond);
          const exact = exactSum(x);
          let absTotal = 0n;
          for (const v of x) absTotal += absBig(toScaled(v));
          const s = Math.abs(scaledToDouble(exact, DOUBLE_SCALE));
          const sumAbs = scaledToDouble(absTotal, DOUBLE_SCALE);
          const cond = sumAbs / s;
          const bound = U * s + gamma(n - 1) ** 2 * sumAbs;
          const errCompensated = absoluteError(neumaierSum(x), exact, DOUBLE_SCALE);
          const errNaive = absoluteError(naiveSum(x), exact, DOUBLE_SCALE);
          rows.push(`cond ${cond.toExponential(1)} n ${n}: rel err ${(errCompensated / s).toExponential(1)} vs naive ${(errNaive / s).toExponential(1)}`);
          expect(errCompensated, rows.at(-1)).toBeLessThanOrEqual(bound);
          expect(errNaive, rows.at(-1)).toBeGreaterThan(bound);
          // the accumulator does the same arithmetic
          const acc = new CompensatedAccumulator();
          for (const v of x) acc.add(v);
          expect(acc.value).toBe(neumaierSum(x));
          // beyond cond ~ 1/u plain summation has no correct digit left, while the compensated error, of order
          // n u^2 cond instead of n u cond, stays many orders of magnitude smaller
          if (cond > 1e17) {
            expect(errNaive / s, rows.at(-1)).toBeGreaterThan(0.1);
            expect(errCompensated, rows.at(-1)).toBeLessThan(1e-6 * errNaive);
          }
          cases++;
        }
      }
    }
    expect(cases).toBe(81);
  });

  it('honours start/end and accepts typed arrays', () => {
    const x = Float64Array.of(1e100, 1, 2, -1e100, 3);
    expect(neumaierSum(x, 0, 4)).toBe(3);
    expect(neumaierSum(x, 1, 3)).toBe(3);
    expect(neumaierSum(x, 2, 2)).toBe(0);
    expect(neumaierSum([])).toBe(0);
    expect(() => neumaierSum(x, -1)).toThrow(RangeError);
    expect(() => neumaierSum(x, 0, 6)).toThrow(/end must be an integer in \[0, 5\], got 6/);
    expect(() => neumaierSum(x, 3, 2)).toThrow(RangeError);
    expect(() => neumaierSum(x, 0.5)).toThrow(RangeError);
  });

  it('propagates NaN and treats infinities and overflow as plain summation does', () => {
    expect(neumaierSum([1, NaN, 2])).toBeNaN();
    expect(neumaierSum([Infinity, 1, 1e300])).toBe(Infinity);
    expect(neumaierSum([1, -Infinity])).toBe(-Infinity);
    expect(neumaierSum([Infinity, -Infinity])).toBeNaN();
    expect(neumaierSum([1e308, 1e308, -1e308])).toBe(naiveSum([1e308, 1e308, -1e308])); // Infinity
    expect(new CompensatedAccumulator().add(Infinity).add(1).value).toBe(Infinity);
    expect(new CompensatedAccumulator().add(NaN).value).toBeNaN();
  });

  it('CompensatedAccumulator counts, resets and starts at 0', () => {
    const acc = new CompensatedAccumulator();
    expect(acc.value).toBe(0);
    acc.add(1).add(1e100).add(1).add(-1e100);
    expect(acc.count).toBe(4);
    expect(acc.value).toBe(2);
    acc.reset();
    expect(acc.count).toBe(0);
    expect(acc.value).toBe(0);
  });
});

describe('compensatedDot', () => {
  it('meets the Dot2 error bound on random ill-conditioned dot products checked in exact arithmetic; the naive dot misses it', () => {
    const rng = createRng('dot2-ill-conditioned');
    let cases = 0;
    for (const log2Cond of [10, 20, 30, 40, 50, 60, 70, 80, 90]) {
      for (const n of [10, 101, 1000]) {
        for (let rep = 0; rep < 3; rep++) {
          const { a, b } = generateIllConditionedDot(rng, n, log2Cond);
          let exact = 0n;
          let absTotal = 0n;
          for (let i = 0; i < n; i++) {
            const p = exactProduct(a[i] as number, b[i] as number);
            exact += p;
            absTotal += absBig(p);
          }
          const d = Math.abs(scaledToDouble(exact, PRODUCT_SCALE));
          const sumAbs = scaledToDouble(absTotal, PRODUCT_SCALE);
          const cond = sumAbs / d;
          const bound = U * d + gamma(n) ** 2 * sumAbs;
          const errCompensated = absoluteError(compensatedDot(a, b, n), exact, PRODUCT_SCALE);
          const errNaive = absoluteError(naiveDot(a, b), exact, PRODUCT_SCALE);
          const label = `cond ${cond.toExponential(1)} n ${n}: rel err ${(errCompensated / d).toExponential(1)} vs naive ${(errNaive / d).toExponential(1)}`;
          expect(errCompensated, label).toBeLessThanOrEqual(bound);
          expect(errNaive, label).toBeGreaterThan(bound);
          if (cond > 1e17) {
            expect(errNaive / d, label).toBeGreaterThan(0.1);
            expect(errCompensated, label).toBeLessThan(1e-6 * errNaive);
          }
          cases++;
        }
      }
    }
    expect(cases).toBe(81);
  });

  it('is exact where products cancel: (1e100 + 1)-style cases and huge factors beyond the splitting limit', () => {
    // x.y = 1e100*1 + 1*1 + (-1e100)*1 + 1*1 = 2
    expect(compensatedDot([1e100, 1, -1e100, 1], [1, 1, 1, 1])).toBe(2);
    expect(naiveDot([1e100, 1, -1e100, 1], [1, 1, 1, 1])).toBe(1);
    // a product's rounding error must be recovered: (1 + 2^-30)^2 - 1 = 2^-29 + 2^-60
    const e = 1 + 2 ** -30;
    expect(compensatedDot([e, -1], [e, 1])).toBe(2 ** -29 + 2 ** -60);
    expect(naiveDot([e, -1], [e, 1])).toBe(2 ** -29);
    // factors above 2^996, where Veltkamp splitting would overflow without scaling
    const big = 1.2345678901234567e305;
    const small = 3.3333333333333337e-290;
    const exact = exactProduct(big, small) - exactProduct(big * small, 1);
    const got = compensatedDot([big, -(big * small)], [small, 1]);
    expect(got).toBe(scaledToDouble(exact, PRODUCT_SCALE));
    expect(got).not.toBe(0);
  });

  it('validates length, propagates NaN and infinities', () => {
    expect(compensatedDot([1, 2, 3], [4, 5, 6, 7])).toBe(32);
    expect(compensatedDot([1, 2, 3], [4, 5, 6], 2)).toBe(14);
    expect(compensatedDot([], [])).toBe(0);
    expect(() => compensatedDot([1, 2, 3], [4, 5])).toThrow(RangeError);
    expect(() => compensatedDot([1], [1], -1)).toThrow(RangeError);
    expect(compensatedDot([1, NaN], [1, 1])).toBeNaN();
    expect(compensatedDot([1e300, 1], [1e300, 1])).toBe(Infinity);
    expect(compensatedDot([Infinity, 1], [-1, 1])).toBe(-Infinity);
    expect(compensatedDot([Infinity, Infinity], [1, -1])).toBeNaN();
  });
});
