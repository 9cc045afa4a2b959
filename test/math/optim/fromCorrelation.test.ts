import { describe, expect, it } from 'vitest';
import { bfgs, centralGradient, centralHessian, invertSymmetricPositive, multiplyTransposed, nelderMead } from '../../../src/math/index.ts';

const rosenbrock = (x: Float64Array): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

describe('optimisers and small linear-algebra kernels used by the vol models', () => {
  it('Nelder-Mead and BFGS find the Rosenbrock minimum (1, 1) from (-1.2, 1)', () => {
    const nm = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000 });
    expect(nm.stopReason).toBe('converged');
    expect(Math.abs(nm.x[0]! - 1)).toBeLessThan(1e-6);
    expect(Math.abs(nm.x[1]! - 1)).toBeLessThan(1e-6);
    const bf = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 500 });
    expect(Math.abs(bf.x[0]! - 1)).toBeLessThan(1e-5);
    expect(bf.fx).toBeLessThan(1e-10);
  });

  it('Nelder-Mead reports max-iterations when capped and treats NaN as +Infinity', () => {
    expect(nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5 }).stopReason).toBe('max-iterations');
    const f = (x: Float64Array): number => (x[0]! < 0 ? Number.NaN : (x[0]! - 2) ** 2);
    expect(nelderMead(f, [0.5], { step: [1] }).x[0]).toBeCloseTo(2, 8);
  });

  it('central differences: gradient and Hessian of a cubic', () => {
    const f = (x: Float64Array): number => x[0]! ** 3 + 2 * x[0]! * x[1]! + 3 * x[1]! ** 2;
    const g = centralGradient(f, [1.5, -0.5]);
    expect(g[0]).toBeCloseTo(3 * 1.5 ** 2 + 2 * -0.5, 8);
    expect(g[1]).toBeCloseTo(2 * 1.5 + 6 * -0.5, 8);
    const h = centralHessian(f, [1.5, -0.5]);
    expect(Array.from(h).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([9, 2, 2, 6]);
  });

  it('Cholesky inverse: A A^-1 = I, undefined for an indefinite matrix', () => {
    const a = [4, 2, 0.6, 2, 3, 0.4, 0.6, 0.4, 2];
    const inv = invertSymmetricPositive(a, 3)!;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[i * 3 + k]! * inv[k * 3 + j]!;
      expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
    }
    expect(invertSymmetricPositive([1, 2, 2, 1], 2)).toBeUndefined();
  });

  it('multiplyTransposed: odd sizes, strides/offsets, accumulation and the symmetric mode match a naive product', () => {
    const m = 5;
    const p = 3;
    const k = 7;
    const lda = 9;
    const a = Float64Array.from({ length: 2 + m * lda }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: p * k }, (_, i) => Math.cos(i));
    const c = new Float64Array(m * p).fill(1);
    multiplyTransposed(m, p, k, 2, { data: a, offset: 2, stride: lda }, { data: b, offset: 0, stride: k }, { data: c, offset: 0, stride: p }, true);
    for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[2 + i * lda + q]! * b[j * k + q]!;
      expect(c[i * p + j]).toBeCloseTo(1 + 2 * s, 13);
    }
    const n = 7;
    const sym = new Float64Array(n * n);
    const x = Float64Array.from({ length: n * 4 }, (_, i) => Math.sin(3 * i));
    multiplyTransposed(n, n, 4, 1, { data: x, offset: 0, stride: 4 }, { data: x, offset: 0, stride: 4 }, { data: sym, offset: 0, stride: n }, false, true);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < 4; q++) s += x[i * 4 + q]! * x[j * 4 + q]!;
      expect(sym[i * n + j]).toBeCloseTo(s, 14);
    }
  });
});
