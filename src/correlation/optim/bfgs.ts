/**
 * BFGS quasi-Newton minimisation (Nocedal & Wright 2006, Algorithm 6.1) with central-difference
 * gradients (numericalDerivatives.ts), backtracking Armijo line search (c1 = 1e-4, halving), and the
 * inverse-Hessian update skipped when the curvature y^T s is not positive. Stops 'converged' when
 * ||g||_inf <= gTol (1 + |f|), 'no-progress' when the line search cannot decrease f (the numerical
 * noise floor), 'max-iterations' otherwise.
 */
import { centralGradient, type FiniteDifferenceOptions } from './numericalDerivatives.ts';
import type { MinimizeResult } from './nelderMead.ts';

/** Options of {@link bfgs}. */
export interface BfgsOptions {
  readonly maxIterations?: number;
  readonly gTol?: number;
  readonly finiteDifference?: FiniteDifferenceOptions;
}

/** Minimise f from x0 by BFGS with numerical gradients. */
export function bfgs(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200;
  const gTol = options.gTol ?? 1e-8;
  let evaluations = 0;
  const evalF = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const grad = (x: Float64Array, out: Float64Array): Float64Array => {
    evaluations += 2 * n;
    return centralGradient(f, x, out, options.finiteDifference);
  };
  const x = Float64Array.from(x0);
  let fx = evalF(x);
  let g = grad(x, new Float64Array(n));
  const hInv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) hInv[i * n + i] = 1;
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);
  let iterations = 0;
  let stopReason: MinimizeResult['stopReason'] = 'max-iterations';
  while (iterations < maxIterations) {
    let gInf = 0;
    for (let i = 0; i < n; i++) gInf = Math.max(gInf, Math.abs(g[i]!));
    if (gInf <= gTol * (1 + Math.abs(fx))) {
      stopReason = 'converged';
      break;
    }
    iterations++;
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= hInv[i * n + j]! * g[j]!;
      d[i] = v;
      slope += v * g[i]!;
    }
    if (!(slope < 0)) {
      // reset to steepest descent
      hInv.fill(0);
      for (let i = 0; i < n; i++) {
        hInv[i * n + i] = 1;
        d[i] = -g[i]!;
      }
      slope = 0;
      for (let i = 0; i < n; i++) slope -= g[i]! * g[i]!;
    }
    let t = 1;
    let fNew = Number.POSITIVE_INFINITY;
    let ok = false;
    for (let k = 0; k < 50; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * d[i]!;
      fNew = evalF(xNew);
      if (fNew <= fx + 1e-4 * t * slope) {
        ok = true;
        break;
      }
      t *= 0.5;
    }
    if (!ok || !(fNew < fx)) {
      stopReason = 'no-progress';
      break;
    }
    grad(xNew, gNew);
    let ys = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      ys += y[i]! * s[i]!;
    }
    if (ys > 0) {
      let yhy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += hInv[i * n + j]! * y[j]!;
        hy[i] = v;
        yhy += y[i]! * v;
      }
      const rho = 1 / ys;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          hInv[i * n + j] = hInv[i * n + j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!;
        }
      }
    }
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
  }
  return Object.freeze({ x, fx, iterations, evaluations, stopReason });
}
