import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import {
  expectedShortfall, expectedShortfallRows, historicalVaR, historicalVaRRows, largestLossesKernel, MarginInputError,
  tailCount, tailMass, INSERTION_LIMIT,
} from '../../src/risk/margin/index.ts';

/** P&L whose losses are 1..n (worst loss n), in a scrambled order. */
function lossesOneTo(n: number, seed: string): Float64Array {
  const pnl = Float64Array.from({ length: n }, (_, i) => -(i + 1));
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat64() * (i + 1));
    [pnl[i], pnl[j]] = [pnl[j] as number, pnl[i] as number];
  }
  return pnl;
}

/** Direct reference: sort the losses descending (independent of the selection kernel). */
function sortedLosses(pnl: ArrayLike<number>): number[] {
  return Array.from(pnl, (x) => -x).sort((a, b) => b - a);
}

describe('exact tail size k = ceil(n (1 - alpha)) (DESIGN.md §3)', () => {
  it('is exact where floating point is not (500 x (1 - 0.99) = 5.000000000000004 in doubles)', () => {
    expect(500 * (1 - 0.99)).toBeGreaterThan(5); // the trap
    const cases: [number, number, number][] = [
      [500, 0.99, 5], [1000, 0.995, 5], [20, 0.95, 1], [100, 0.99, 1], [300, 0.99, 3], [700, 0.99, 7], [1000, 0.999, 1],
      [60, 0.95, 3], [250, 0.99, 3], [250, 0.975, 7], [10, 0.9, 1], [2500, 0.9976, 6], [1, 0.5, 1], [7, 0.999999, 1],
    ];
    for (const [n, alpha, k] of cases) expect(tailCount(n, alpha), `${n} at ${alpha}`).toBe(k);
  });

  it('tail mass and its fraction (250 at 97.5 %: 6.25 = 6 + 0.25)', () => {
    expect(tailMass(250, 0.975)).toMatchObject({ n: 250, k: 7, whole: 6, fraction: 0.25, mass: 6.25 });
    expect(tailMass(500, 0.99)).toMatchObject({ k: 5, whole: 5, fraction: 0, mass: 5 });
    expect(tailMass(3, 1e-7).k).toBe(3); // alpha written with an exponent
  });

  it('rejects confidences outside (0, 1) and bad n', () => {
    for (const bad of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => tailCount(100, bad)).toThrow(MarginInputError);
    for (const bad of [0, -3, 2.5]) expect(() => tailCount(bad, 0.99)).toThrow(/^n:/);
  });
});

describe('historical VaR and expected shortfall (methods.md §5.2 conventions, losses 1..250)', () => {
  const pnl = lossesOneTo(250, 'losses-250');

  it('VaR 99 % = the 3rd worst loss = 248 (ceil(n p)-th worst; numpy type 7 would give 247.51)', () => {
    expect(historicalVaR(pnl, 0.99)).toBe(248);
  });

  it('ES 97.5 %: mean of the 7 worst = 247.0 by default; Acerbi-Tasche (6 worst + 0.25 x 7th) / 6.25 = 247.36', () => {
    expect(expectedShortfall(pnl, 0.975)).toBe(247);
    expect(expectedShortfall(pnl, 0.975, { method: 'acerbi-tasche' })).toBeCloseTo(247.36, 12);
  });

  it('n = 500 at 99 %: VaR is the 5th worst and ES the mean of the 5 worst (k = 5, not 6)', () => {
    const p500 = lossesOneTo(500, 'losses-500');
    expect(historicalVaR(p500, 0.99)).toBe(496);
    expect(expectedShortfall(p500, 0.99)).toBe((500 + 499 + 498 + 497 + 496) / 5);
    expect(expectedShortfall(p500, 0.99, { method: 'acerbi-tasche' })).toBe(498); // integer tail mass: same
  });

  it('losses are positive; a book that gains everywhere has a negative VaR (no flooring here)', () => {
    expect(historicalVaR([1, 2, 3, 4], 0.75)).toBe(-1);
    expect(expectedShortfall([-10, 5, 5, 5], 0.75)).toBe(10);
  });

  it('agrees with a direct sort on 300 seeded random vectors (both selection paths, several confidences)', () => {
    const rng = createRng('var-es-property');
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rng.nextFloat64() * 3000);
      const pnl = Float64Array.from({ length: n }, () => rng.nextNormal() * 1000 * (rng.nextFloat64() < 0.1 ? 5 : 1));
      if (t % 7 === 0) pnl.fill(pnl[0] as number, 0, Math.floor(n / 2)); // ties
      const alpha = [0.9, 0.95, 0.975, 0.99, 0.995, 0.999][t % 6] as number;
      const sorted = sortedLosses(pnl);
      const k = tailCount(n, alpha);
      expect(historicalVaR(pnl, alpha)).toBe(sorted[k - 1]);
      const mean = sorted.slice(0, k).reduce((a, b) => a + b, 0) / k;
      expect(expectedShortfall(pnl, alpha)).toBeCloseTo(mean, 9);
      const es = expectedShortfall(pnl, alpha);
      expect(es).toBeGreaterThanOrEqual(historicalVaR(pnl, alpha) - 1e-9);
    }
  });

  it('selection kernel: insertion and sort paths give the same tail; NaN gives NaN', () => {
    const rng = createRng('kernel');
    const pnl = Float64Array.from({ length: 2000 }, () => rng.nextNormal());
    const k = INSERTION_LIMIT + 10;
    const a = new Float64Array(k);
    largestLossesKernel(pnl, 0, 2000, k, a);
    expect(Array.from(a)).toEqual(sortedLosses(pnl).slice(0, k));
    const small = new Float64Array(5);
    largestLossesKernel(pnl, 100, 900, 5, small);
    expect(Array.from(small)).toEqual(sortedLosses(pnl.subarray(100, 1000)).slice(0, 5));
    pnl[500] = Number.NaN;
    expect(largestLossesKernel(pnl, 0, 2000, 5, small)).toBe(false);
    expect(small[0]).toBeNaN();
  });

  it('row kernels equal the per-vector functions; a NaN row gives NaN', () => {
    const rng = createRng('rows');
    const rows = 40;
    const cols = 1000;
    const m = Float64Array.from({ length: rows * cols }, () => rng.nextNormal() * 100);
    m[3 * cols + 7] = Number.NaN;
    const es = expectedShortfallRows(m, rows, cols, 0.995);
    const at = expectedShortfallRows(m, rows, cols, 0.975, 'acerbi-tasche');
    const v = historicalVaRRows(m, rows, cols, 0.99);
    for (let r = 0; r < rows; r++) {
      const row = m.subarray(r * cols, (r + 1) * cols);
      if (r === 3) {
        expect([es[r], at[r], v[r]].every(Number.isNaN)).toBe(true);
        continue;
      }
      expect(es[r]).toBe(expectedShortfall(row, 0.995));
      expect(at[r]).toBe(expectedShortfall(row, 0.975, { method: 'acerbi-tasche' }));
      expect(v[r]).toBe(historicalVaR(row, 0.99));
    }
  });

  it('rejects empty or non-finite P&L naming the element, and bad methods', () => {
    expect(() => historicalVaR([], 0.99)).toThrow(/pnl: expected at least one scenario/);
    expect(() => expectedShortfall([1, Number.NaN], 0.99)).toThrow(/pnl\[1\]/);
    expect(() => expectedShortfall([1, Infinity], 0.99)).toThrow(MarginInputError);
    expect(() => expectedShortfall([1, 2], 0.5, { method: 'mean' as never })).toThrow(/options\.method/);
    expect(() => expectedShortfallRows(new Float64Array(3), 2, 2, 0.9)).toThrow(/matrix\.length/);
  });
});
