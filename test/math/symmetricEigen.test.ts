import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { createRng } from '../../src/math/index.ts';
import { symmetricEigen } from '../../src/math/symmetricEigen.ts';

function randomSymmetric(n: number, seed: string): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = 2 * rng.nextFloat64() - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** max |V diag(values) V^T - A| and max |V^T V - I|. */
function residuals(a: Float64Array, n: number, values: Float64Array, v: Float64Array): { recon: number; orth: number } {
  let recon = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        s += values[k]! * v[i * n + k]! * v[j * n + k]!;
        o += v[k * n + i]! * v[k * n + j]!;
      }
      recon = Math.max(recon, Math.abs(s - a[i * n + j]!));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { recon, orth };
}

describe('symmetricEigen (Householder tridiagonalisation + implicit QL)', () => {
  it.each([1, 2, 3, 7, 30, 80])('reconstructs A = V diag(lambda) V^T with orthonormal V (random n = %i)', (n) => {
    const a = randomSymmetric(n, `eigen-${n}`);
    const { values, vectors } = symmetricEigen(a, n);
    const { recon, orth } = residuals(a, n, values, vectors!);
    expect(recon).toBeLessThan(1e-13 * Math.max(1, n));
    expect(orth).toBeLessThan(1e-13 * Math.max(1, n));
    for (let k = 1; k < n; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
  });

  it('eigenvalues agree with ml-matrix (JAMA) on random matrices', () => {
    for (const n of [4, 12, 40]) {
      const a = randomSymmetric(n, `ml-${n}`);
      const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
      const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.slice().sort((x, y) => x - y);
      const { values } = symmetricEigen(a, n);
      for (let k = 0; k < n; k++) expect(Math.abs(values[k]! - ref[k]!)).toBeLessThan(1e-12);
    }
  });

  it('matches the analytic spectrum of the [-1, 2, -1] tridiagonal matrix: 2 - 2 cos(k pi / (n + 1))', () => {
    const n = 25;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k <= n; k++) expect(Math.abs(values[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThan(1e-14);
    // eigenvector k is sin(i k pi/(n+1)) up to sign and normalisation
    const k = 3;
    const norm = Math.sqrt(2 / (n + 1));
    const sign = Math.sign(vectors![0 * n + (k - 1)]!);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(sign * vectors![i * n + (k - 1)]! - norm * Math.sin(((i + 1) * k * Math.PI) / (n + 1)))).toBeLessThan(1e-13);
    }
  });

  it('handles repeated eigenvalues, zero rows (the scale = 0 branch) and the zero matrix', () => {
    // I + u u^T: eigenvalues 1 (multiplicity n - 1) and 1 + |u|^2
    const n = 6;
    const u = [1, 2, 0, -1, 0.5, 3];
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (i === j ? 1 : 0) + u[i]! * u[j]!;
    const r = symmetricEigen(a, n);
    const uu = u.reduce((s, x) => s + x * x, 0);
    for (let k = 0; k < n - 1; k++) expect(Math.abs(r.values[k]! - 1)).toBeLessThan(1e-13);
    expect(Math.abs(r.values[n - 1]! - (1 + uu))).toBeLessThan(1e-12);
    expect(residuals(a, n, r.values, r.vectors!).orth).toBeLessThan(1e-13);

    const b = new Float64Array([3, 0, 1, 0, 0, 0, 1, 0, 3]); // zero middle row and column
    const rb = symmetricEigen(b, 3);
    expect(Array.from(rb.values)).toEqual([0, 2, 4].map((x) => expect.closeTo(x, 14)));
    expect(residuals(b, 3, rb.values, rb.vectors!).recon).toBeLessThan(1e-14);

    const z = symmetricEigen(new Float64Array(16), 4);
    expect(Array.from(z.values)).toEqual([0, 0, 0, 0]);
    expect(residuals(new Float64Array(16), 4, z.values, z.vectors!).orth).toBe(0);
  });

  it('reads only the lower triangle, and eigenvalues-only mode gives the same values', () => {
    const n = 9;
    const a = randomSymmetric(n, 'lower');
    const lowerOnly = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lowerOnly[i * n + j] = 99;
    const full = symmetricEigen(a, n);
    const lower = symmetricEigen(lowerOnly, n);
    const valuesOnly = symmetricEigen(a, n, { computeVectors: false });
    expect(valuesOnly.vectors).toBeUndefined();
    for (let k = 0; k < n; k++) {
      expect(lower.values[k]).toBe(full.values[k]);
      expect(Math.abs(valuesOnly.values[k]! - full.values[k]!)).toBeLessThan(1e-14);
    }
  });

  it('gives bit-identical results when the rotation log is flushed in small chunks', () => {
    const n = 40;
    const a = randomSymmetric(n, 'chunks');
    const whole = symmetricEigen(a, n);
    const chunked = symmetricEigen(a, n, { maxLoggedRotations: 50 });
    expect(Array.from(chunked.values)).toEqual(Array.from(whole.values));
    expect(Array.from(chunked.vectors!)).toEqual(Array.from(whole.vectors!));
  });

  it('reuses caller buffers and returns NaN (not a hang) on non-finite input', () => {
    const n = 5;
    const values = new Float64Array(n);
    const vectors = new Float64Array(n * n);
    const work = new Float64Array(n);
    const a = randomSymmetric(n, 'buffers');
    const r = symmetricEigen(a, n, { values, vectors, work });
    expect(r.values).toBe(values);
    expect(r.vectors).toBe(vectors);
    a[2 * n + 1] = Number.NaN;
    const bad = symmetricEigen(a, n);
    expect(Array.from(bad.values).every(Number.isNaN)).toBe(true);
    a[2 * n + 1] = Number.POSITIVE_INFINITY;
    expect(Array.from(symmetricEigen(a, n).values).every(Number.isNaN)).toBe(true);
    expect(() => symmetricEigen(a, -1)).toThrow(RangeError);
    expect(() => symmetricEigen(new Float64Array(3), 2)).toThrow(RangeError);
  });

  it('keeps accuracy on a matrix with a wide eigenvalue range (cond ~ 1e12)', () => {
    const n = 8;
    // A = Q diag(d) Q^T with Q a Householder reflector, d spanning 1e-6 .. 1e6
    const d = [1e-6, 1e-4, 1e-2, 1, 10, 1e3, 1e5, 1e6];
    const w = [1, -2, 3, 0.5, -1, 2, 1, -0.5];
    const ww = w.reduce((s, x) => s + x * x, 0);
    const q = (i: number, j: number): number => (i === j ? 1 : 0) - (2 * w[i]! * w[j]!) / ww;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q(i, k) * d[k]! * q(j, k);
      a[i * n + j] = s;
    }
    const r = symmetricEigen(a, n);
    // absolute accuracy ~ eps * ||A|| for every eigenvalue (backward stability)
    for (let k = 0; k < n; k++) expect(Math.abs(r.values[k]! - d[k]!)).toBeLessThan(1e-15 * 1e6 * n);
  });
});
