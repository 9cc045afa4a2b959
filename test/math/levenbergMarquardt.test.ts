import { describe, expect, it } from 'vitest';
import { levenbergMarquardt, type LeastSquaresProblem } from '../../src/math/levenbergMarquardt.ts';
import { createRng } from '../../src/math/index.ts';

// Rosenbrock as least squares: r1 = 10 (x2 - x1^2), r2 = 1 - x1; unique minimum (1, 1) with zero cost.
const rosenbrock: LeastSquaresProblem = {
  parameterCount: 2,
  residualCount: 2,
  residuals(x, out) {
    out[0] = 10 * ((x[1] as number) - (x[0] as number) ** 2);
    out[1] = 1 - (x[0] as number);
  },
  jacobian(x, _r, out) {
    out[0] = -20 * (x[0] as number);
    out[1] = 10;
    out[2] = -1;
    out[3] = 0;
  },
};

describe('levenbergMarquardt', () => {
  it('solves Rosenbrock from the classic start (-1.2, 1) with the analytic Jacobian', () => {
    const r = levenbergMarquardt(rosenbrock, [-1.2, 1]);
    expect(r.x[0]).toBeCloseTo(1, 10);
    expect(r.x[1]).toBeCloseTo(1, 10);
    expect(r.cost).toBeLessThan(1e-20);
    expect(['converged-gradient', 'converged-step', 'converged-function']).toContain(r.stopReason);
  });

  it('solves Rosenbrock with the central finite-difference Jacobian', () => {
    const { jacobian: _ignored, ...withoutJacobian } = rosenbrock;
    const r = levenbergMarquardt(withoutJacobian, [-1.2, 1]);
    expect(r.x[0]).toBeCloseTo(1, 9);
    expect(r.x[1]).toBeCloseTo(1, 9);
    // finite differences cost 2n residual evaluations per Jacobian
    expect(r.evaluations).toBeGreaterThanOrEqual(4 * r.jacobianEvaluations);
  });

  it('recovers the parameters of an exponential decay exactly without noise and near the truth with seeded noise', () => {
    const t = Array.from({ length: 40 }, (_, i) => i * 0.1);
    const truth = [2.5, 1.3, 0.4]; // y = A exp(-lambda t) + c
    const model = (x: ArrayLike<number>, ti: number): number => (x[0] as number) * Math.exp(-(x[1] as number) * ti) + (x[2] as number);
    const make = (y: number[]): LeastSquaresProblem => ({
      parameterCount: 3,
      residualCount: y.length,
      residuals(x, out) {
        for (let i = 0; i < y.length; i++) out[i] = model(x, t[i] as number) - (y[i] as number);
      },
    });
    const exact = t.map((ti) => model(truth, ti));
    const r = levenbergMarquardt(make(exact), [1, 0.5, 0]);
    r.x.forEach((v, i) => expect(Math.abs(v - (truth[i] as number))).toBeLessThan(1e-9));

    const rng = createRng(42);
    const noisy = exact.map((y) => y + 0.01 * rng.nextNormal());
    const rn = levenbergMarquardt(make(noisy), [1, 0.5, 0]);
    // residual RMS near the noise level (0.01) and the gradient at the optimum ~ 0
    const rms = Math.sqrt((2 * rn.cost) / t.length);
    expect(rms).toBeGreaterThan(0.006);
    expect(rms).toBeLessThan(0.013);
    expect(Math.abs((rn.x[1] as number) - 1.3)).toBeLessThan(0.05);
    // optimality: perturbing any parameter does not decrease the cost
    const costAt = (x: number[]): number => {
      const out = new Float64Array(t.length);
      make(noisy).residuals(Float64Array.from(x), out);
      return 0.5 * out.reduce((s, v) => s + v * v, 0);
    };
    for (let j = 0; j < 3; j++) {
      for (const h of [1e-4, -1e-4]) {
        const x = Array.from(rn.x);
        x[j] = (x[j] as number) + h;
        expect(costAt(x)).toBeGreaterThanOrEqual(rn.cost);
      }
    }
  });

  it('reports a non-finite start instead of throwing', () => {
    const p: LeastSquaresProblem = {
      parameterCount: 1,
      residualCount: 1,
      residuals(x, out) {
        out[0] = Math.log(x[0] as number);
      },
    };
    const r = levenbergMarquardt(p, [-1]);
    expect(r.stopReason).toBe('non-finite-start');
    expect(r.iterations).toBe(0);
  });

  it('rejects steps into non-finite regions and still converges', () => {
    // minimise (sqrt(x) - 3)^2 from x = 0.5: a full Gauss-Newton step can leave x > 0
    const p: LeastSquaresProblem = {
      parameterCount: 1,
      residualCount: 1,
      residuals(x, out) {
        out[0] = Math.sqrt(x[0] as number) - 3;
      },
    };
    const r = levenbergMarquardt(p, [0.5]);
    expect(r.x[0]).toBeCloseTo(9, 8);
  });

  it('stops at maxIterations with the best point so far', () => {
    const r = levenbergMarquardt(rosenbrock, [-1.2, 1], { maxIterations: 2 });
    expect(r.stopReason).toBe('max-iterations');
    expect(r.iterations).toBe(2);
    expect(r.cost).toBeLessThan(0.5 * (4.4 ** 2 + 2.2 ** 2)); // lower than at the start
  });

  it('throws RangeError for malformed problems', () => {
    expect(() => levenbergMarquardt({ ...rosenbrock, parameterCount: 0 }, [])).toThrow(RangeError);
    expect(() => levenbergMarquardt(rosenbrock, [1, 2, 3])).toThrow(/x0.length/);
  });
});
