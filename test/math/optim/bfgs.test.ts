import { describe, expect, it } from 'vitest';
import { bfgs } from '../../../src/math/index.ts';
import { counted, expectRosenbrockMinimum, rosenbrock } from './support.ts';

describe('bfgs (Nocedal & Wright 2006, Algorithm 6.1, numerical gradients)', () => {
  it('finds the Rosenbrock minimum (1, 1) from (-1.2, 1); evaluations count every call, gradients included', () => {
    const c = counted(rosenbrock);
    const r = bfgs(c.f, [-1.2, 1], { maxIterations: 500 });
    expect(r.stopReason).toBe('converged-gradient');
    expectRosenbrockMinimum(r, c.calls(), 1e-6, 1e-12);
  });

  it('solves a 3-D quadratic 1/2 x^T A x - b^T x: minimum A^-1 b', () => {
    // A = [[4, 1, 0.5], [1, 3, -0.5], [0.5, -0.5, 2]] (diagonally dominant, SPD), b = (1, -2, 0.5);
    // by Cramer's rule: det A = 4 (6 - 0.25) - (2 + 0.25) + 0.5 (-0.5 - 1.5) = 19.75, x* = (9.25, -16.5, -1.5) / 19.75
    const A = [4, 1, 0.5, 1, 3, -0.5, 0.5, -0.5, 2];
    const b = [1, -2, 0.5];
    const f = (x: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < 3; i++) {
        let ax = 0;
        for (let j = 0; j < 3; j++) ax += A[i * 3 + j]! * x[j]!;
        s += 0.5 * x[i]! * ax - b[i]! * x[i]!;
      }
      return s;
    };
    const expected = [9.25 / 19.75, -16.5 / 19.75, -1.5 / 19.75];
    // check the closed form: A x* = b
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) ax += A[i * 3 + j]! * expected[j]!;
      expect(ax).toBeCloseTo(b[i]!, 14);
    }
    const r = bfgs(f, [0, 0, 0]);
    // f(x*) = -b^T x* / 2 = -41.5 / 39.5: near x* its decrease (~|g|^2) falls under eps |f| before |g| <= 1e-8 (1 + |f|)
    // can be certified, hence 'no-progress' at the minimum; the gradient test passes with gTol 1e-6
    expect(r.stopReason).toBe('no-progress');
    for (let i = 0; i < 3; i++) expect(Math.abs(r.x[i]! - expected[i]!)).toBeLessThan(1e-7);
    expect(bfgs(f, [0, 0, 0], { gTol: 1e-6 }).stopReason).toBe('converged-gradient');
    expect(r.iterations).toBeLessThan(20);
  });

  it('reports max-iterations when capped and no-progress at the noise floor of the gradient', () => {
    const capped = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(capped).toMatchObject({ stopReason: 'max-iterations', iterations: 3 });
    expect(capped.fx).toBeLessThan(rosenbrock(Float64Array.from([-1.2, 1])));
    // a 1e-12 ripple of frequency 1e7 makes the finite-difference gradient ~1e-5 everywhere: the gradient test
    // cannot pass, and the line search stops decreasing f near the minimum (1, -2)
    const noisy = (x: Float64Array): number => (x[0]! - 1) ** 2 + (x[1]! + 2) ** 2 + 1e-12 * Math.sin(1e7 * x[0]!);
    const r = bfgs(noisy, [0, 0]);
    expect(r.stopReason).toBe('no-progress');
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[1]! + 2)).toBeLessThan(1e-6);
  });

  it('backtracks out of a region where f is NaN or -Infinity (both counted as +Infinity)', () => {
    for (const bad of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      const f = (x: Float64Array): number => (x[0]! > 2 ? bad : (x[0]! - 1.5) ** 2);
      const r = bfgs(f, [0]); // first trial step lands at 3 (bad), halved to 1.5
      expect(r.stopReason).toBe('converged-gradient');
      expect(Math.abs(r.x[0]! - 1.5)).toBeLessThan(1e-9);
      expect(Number.isFinite(r.fx)).toBe(true);
    }
  });

  it('defaults (200 iterations, gTol 1e-8) are enough for Rosenbrock (35 iterations)', () => {
    const r = bfgs(rosenbrock, [-1.2, 1]);
    expect(r.stopReason).toBe('converged-gradient');
    expect(r.iterations).toBeGreaterThan(20);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-6);
  });

  it('does not modify x0 and is deterministic', () => {
    const x0 = Float64Array.from([-1.2, 1]);
    const a = bfgs(rosenbrock, x0, { maxIterations: 20 });
    const b = bfgs(rosenbrock, x0, { maxIterations: 20 });
    expect(Array.from(x0)).toEqual([-1.2, 1]);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Object.isFrozen(a)).toBe(true);
  });
});
