import { describe, expect, it } from 'vitest';
import {
  isPositiveSemidefinite,
  minEigenvalue,
  nearestCorrelation,
  NEWTON_DEFAULT_MIN_SIZE,
  symmetricEigenvalues,
  type NearestCorrelationResult,
} from '../../src/correlation/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';
import { correlationReference, maxAbsDiff } from './helpers.ts';

type M = number[][];
const lit = readJsonFixture<{
  nearest_correlation: {
    nag_4x4: { A: M; X: M; fro_dist: number };
    higham_3x3: { A: M; X: M; fro_dist: number };
    higham_3x3_weighted: { A: M; X: M; weights: number[] };
  };
}>('fixtures/reference/correlation/literature.json').nearest_correlation;
const ref = correlationReference();
const methods = ['higham', 'newton'] as const;

/** Unit diagonal, symmetric, PSD to rounding, and distance = ||A - X||_F. */
function expectCorrelation(r: NearestCorrelationResult, a: M): void {
  const x = r.matrix;
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    expect(x[i]![i]).toBe(1);
    for (let j = 0; j < n; j++) {
      expect(x[i]![j]).toBe(x[j]![i]);
      d += (a[i]![j]! - x[i]![j]!) ** 2;
    }
  }
  expect(minEigenvalue(x)).toBeGreaterThan(-1e-12);
  expect(Math.abs(Math.sqrt(d) - r.distance)).toBeLessThan(1e-12 * Math.max(1, r.distance));
}

describe('nearest correlation matrix: published examples (methods.md 4.3)', () => {
  for (const method of methods) {
    it(`${method}: NAG g02aa 4x4 example -> published X, ||A - X||_F = 2.1337291087`, () => {
      const r = nearestCorrelation(lit.nag_4x4.A, { method, tolerance: 1e-14 });
      expect(r.method).toBe(method);
      expect(r.stopReason).toBe('converged');
      expect(maxAbsDiff(r.matrix, lit.nag_4x4.X)).toBeLessThan(1e-8);
      expect(Math.abs(r.distance - lit.nag_4x4.fro_dist)).toBeLessThan(1e-10);
      expectCorrelation(r, lit.nag_4x4.A);
      // eigenvalues {0, 0.20442737, 1.45054235, 2.34503028} (methods.md, computed)
      const ev = symmetricEigenvalues(r.matrix);
      [0, 0.20442737, 1.45054235, 2.34503028].forEach((v, k) => expect(Math.abs(ev[k]! - v)).toBeLessThan(1e-8));
    });

    it(`${method}: Higham (2002) 3x3 example and its W = diag(1, 2, 3) weighted version`, () => {
      const r = nearestCorrelation(lit.higham_3x3.A, { method, tolerance: 1e-14 });
      expect(maxAbsDiff(r.matrix, lit.higham_3x3.X)).toBeLessThan(1e-8);
      expect(Math.abs(r.distance - lit.higham_3x3.fro_dist)).toBeLessThan(1e-10);
      const w = nearestCorrelation(lit.higham_3x3_weighted.A, { method, tolerance: 1e-14, weights: lit.higham_3x3_weighted.weights });
      expect(maxAbsDiff(w.matrix, lit.higham_3x3_weighted.X)).toBeLessThan(1e-8);
      expectCorrelation(w, lit.higham_3x3_weighted.A);
    });
  }

  it('iteration counts: AP takes 38 iterations on the 3x3 at tol 1e-14 (as published) and 33 on the 4x4 (numpy port; the published run says 32); Newton <= 5 steps', () => {
    expect(nearestCorrelation(lit.higham_3x3.A, { method: 'higham', tolerance: 1e-14 }).iterations).toBe(38);
    expect(nearestCorrelation(lit.nag_4x4.A, { method: 'higham', tolerance: 1e-14 }).iterations).toBe(33);
    expect(nearestCorrelation(lit.nag_4x4.A, { method: 'newton', tolerance: 1e-14 }).iterations).toBeLessThanOrEqual(5);
  });

  it('stops after exactly maxIterations = 10 with the same iterate as the numpy port (whose Y matches the published 0.76073699 / 0.15727601)', () => {
    const r = nearestCorrelation(lit.higham_3x3.A, { method: 'higham', tolerance: 1e-14, maxIterations: 10 });
    expect(r.iterations).toBe(10);
    expect(r.stopReason).toBe('max-iterations');
    expect(maxAbsDiff(r.matrix, ref.nearest_correlation.higham_3x3_after_10.X_scaled)).toBeLessThan(1e-13);
    expect(ref.nearest_correlation.higham_3x3_after_10.Y[0]![1]).toBeCloseTo(0.76073699, 8);
  });
});

describe('nearest correlation matrix: random matrices vs the numpy implementations (make_correlation_reference.py)', () => {
  for (const key of ['random_10', 'random_50'] as const) {
    const c = ref.nearest_correlation[key];
    for (const method of methods) {
      it(`${key}, ${method}: X within 1e-6 of numpy (AP and Newton agree there to 1e-8), unweighted and weighted`, () => {
        expect(c.min_eigenvalue_A).toBeLessThan(-0.5); // genuinely indefinite input
        const r = nearestCorrelation(c.A, { method, tolerance: 1e-10 });
        expect(r.stopReason).toBe('converged');
        expect(maxAbsDiff(r.matrix, c.X)).toBeLessThan(1e-6);
        expect(Math.abs(r.distance - c.distance)).toBeLessThan(1e-6);
        expectCorrelation(r, c.A);
        const w = nearestCorrelation(c.A, { method, tolerance: 1e-10, weights: c.weights });
        expect(maxAbsDiff(w.matrix, c.X_weighted)).toBeLessThan(1e-6);
        if (method === 'newton') {
          expect(r.iterations).toBeLessThanOrEqual(c['newton_iterations_tol_1e-12'] + 2);
          expect(r.cgIterations).toBeGreaterThan(0);
        }
      });
    }
    it(`${key}: AP at tol 1e-8 takes the numpy port's iteration count (${c['ap_iterations_tol_1e-8']}) to within one`, () => {
      const r = nearestCorrelation(c.A, { method: 'higham', tolerance: 1e-8 });
      expect(Math.abs(r.iterations - c['ap_iterations_tol_1e-8'])).toBeLessThanOrEqual(1);
    });
  }

  it(`default method: Higham below ${NEWTON_DEFAULT_MIN_SIZE} assets, Newton from there`, () => {
    expect(nearestCorrelation(ref.nearest_correlation.random_10.A).method).toBe('higham');
    expect(nearestCorrelation(ref.nearest_correlation.random_50.A).method).toBe('newton');
  });
});

describe('nearest correlation matrix: degenerate inputs and errors', () => {
  it('a valid correlation matrix is returned unchanged (distance ~ 0)', () => {
    const c = [[1, 0.3, -0.2], [0.3, 1, 0.5], [-0.2, 0.5, 1]];
    for (const method of methods) {
      const r = nearestCorrelation(c, { method });
      expect(r.distance).toBeLessThan(1e-12);
      expect(r.iterations).toBeLessThanOrEqual(2);
    }
  });

  it('perfectly correlated assets (rank-one all-ones matrix) stay as they are; a rank-deficient non-PSD input is repaired', () => {
    const ones = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
    for (const method of methods) expect(nearestCorrelation(ones, { method }).distance).toBeLessThan(1e-8);
    const bad = [[1, 0.99, -0.99], [0.99, 1, 0.99], [-0.99, 0.99, 1]];
    expect(isPositiveSemidefinite(bad)).toBe(false);
    for (const method of methods) {
      const r = nearestCorrelation(bad, { method, tolerance: 1e-12 });
      expect(isPositiveSemidefinite(r.matrix)).toBe(true);
      expect(r.distance).toBeGreaterThan(0.1);
    }
  });

  it('the zero matrix maps to the identity', () => {
    const zero = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (const method of methods) {
      const r = nearestCorrelation(zero, { method });
      expect(r.stopReason).toBe('converged');
      expect(maxAbsDiff(r.matrix, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])).toBeLessThan(1e-12);
    }
  });

  it('1 x 1 and typed errors for malformed input and options', () => {
    expect(nearestCorrelation([[5]]).matrix).toEqual([[1]]);
    expect(() => nearestCorrelation([[1, 0.2], [0.3, 1]])).toThrow(expect.objectContaining({ code: 'NOT_SYMMETRIC', field: 'matrix[1][0]' }));
    expect(() => nearestCorrelation([[1, 0.2]])).toThrow(expect.objectContaining({ code: 'NOT_SQUARE' }));
    expect(() => nearestCorrelation([[1, Number.NaN], [Number.NaN, 1]])).toThrow(expect.objectContaining({ code: 'NON_FINITE', field: 'matrix[0][1]' }));
    expect(() => nearestCorrelation([])).toThrow(expect.objectContaining({ code: 'EMPTY' }));
    expect(() => nearestCorrelation([[1]], { weights: [0] })).toThrow(expect.objectContaining({ field: 'options.weights[0]' }));
    expect(() => nearestCorrelation([[1]], { tolerance: -1 })).toThrow(expect.objectContaining({ field: 'options.tolerance' }));
    expect(() => nearestCorrelation([[1]], { method: 'bisection' as never })).toThrow(expect.objectContaining({ field: 'options.method' }));
  });
});

describe('definiteness helpers', () => {
  it('minEigenvalue / isPositiveSemidefinite', () => {
    expect(Math.abs(minEigenvalue(ref.nearest_correlation.random_10.A) - ref.nearest_correlation.random_10.min_eigenvalue_A)).toBeLessThan(1e-13);
    expect(minEigenvalue([[2, 1], [1, 2]])).toBeCloseTo(1, 15);
    expect(isPositiveSemidefinite([[1, 1], [1, 1]])).toBe(true); // singular PSD
    expect(isPositiveSemidefinite([[1, 1.0001], [1.0001, 1]])).toBe(false);
    expect(isPositiveSemidefinite([[1, 1.0001], [1.0001, 1]], { tolerance: 1e-3 })).toBe(true);
  });
});
