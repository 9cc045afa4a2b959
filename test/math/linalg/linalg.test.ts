import { describe, expect, it } from 'vitest';
import { invertSymmetricPositive, multiplyTransposed, transposeInto } from '../../../src/math/index.ts';

describe('invertSymmetricPositive (Cholesky)', () => {
  it('inverts the 4 x 4 Hilbert matrix to its known integer inverse', () => {
    // H_ij = 1 / (i + j + 1); inverse from the closed form (Choi 1983, "Tricks or treats with the Hilbert matrix")
    const h = Float64Array.from({ length: 16 }, (_, k) => 1 / (Math.floor(k / 4) + (k % 4) + 1));
    const expected = [16, -120, 240, -140, -120, 1200, -2700, 1680, 240, -2700, 6480, -4200, -140, 1680, -4200, 2800];
    const inv = invertSymmetricPositive(h, 4)!;
    // cond(H_4) ~ 1.6e4: relative error a few 1e-13 at most
    for (let k = 0; k < 16; k++) expect(Math.abs(inv[k]! - expected[k]!)).toBeLessThan(1e-10 * Math.abs(expected[k]!));
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(inv[i * 4 + j]).toBe(inv[j * 4 + i]);
  });

  it('returns undefined for indefinite, singular or non-finite input and reads only the lower triangle', () => {
    expect(invertSymmetricPositive([1, 2, 2, 1], 2)).toBeUndefined();
    expect(invertSymmetricPositive([1, 1, 1, 1], 2)).toBeUndefined();
    expect(invertSymmetricPositive([Number.NaN, 0, 0, 1], 2)).toBeUndefined();
    const lowerOnly = invertSymmetricPositive([4, 999, 2, 5], 2)!; // upper entry ignored: A = [[4, 2], [2, 5]]
    expect(Array.from(lowerOnly).map((v) => v * 16)).toEqual([5, -2, -2, 4].map((v) => expect.closeTo(v, 12)));
  });
});

describe('multiplyTransposed', () => {
  it('equals the naive dot products bit for bit (same summation order), with offsets, strides and accumulation', () => {
    const m = 5;
    const p = 4;
    const k = 3;
    const a = Float64Array.from({ length: 1 + m * 6 }, (_, i) => Math.sin(i + 1));
    const b = Float64Array.from({ length: p * k }, (_, i) => Math.cos(2 * i));
    const c = new Float64Array(m * p).fill(0.5);
    multiplyTransposed(m, p, k, -1.5, { data: a, offset: 1, stride: 6 }, { data: b, offset: 0, stride: k }, { data: c, offset: 0, stride: p }, true);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[1 + i * 6 + q]! * b[j * k + q]!;
        expect(c[i * p + j]).toBe(0.5 + -1.5 * s);
      }
    }
  });

  it('symmetric mode fills both triangles of A A^T; transposeInto transposes', () => {
    const n = 5;
    const x = Float64Array.from({ length: n * 2 }, (_, i) => i - 3.5);
    const sym = new Float64Array(n * n);
    multiplyTransposed(n, n, 2, 1, { data: x, offset: 0, stride: 2 }, { data: x, offset: 0, stride: 2 }, { data: sym, offset: 0, stride: n }, false, true);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(sym[i * n + j]).toBe(x[i * 2]! * x[j * 2]! + x[i * 2 + 1]! * x[j * 2 + 1]!);
    const t = transposeInto(x, n, 2, new Float64Array(n * 2));
    for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) expect(t[j * n + i]).toBe(x[i * 2 + j]);
  });
});
