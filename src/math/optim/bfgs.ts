/**
 * BFGS quasi-Newton minimisation (Nocedal & Wright 2006, Numerical Optimization, 2nd ed., Algorithm 6.1)
 * with central-difference gradients (finiteDifferences.ts), a backtracking Armijo line search
 * (c1 = 1e-4, step halved up to 50 times from t = 1), the inverse-Hessian update skipped when the
 * curvature y^T s is not positive, and a reset to steepest descent when the quasi-Newton direction is
 * not a descent direction.
 */
import { centralGradient, type FiniteDifferenceOptions } from './finiteDifferences.ts';

/** Why {@link bfgs} stopped. */
export type BfgsStopReason =
  /** ||g||_inf <= gTol (1 + |f|). */
  | 'converged-gradient'
  /** The line search could not decrease f (the numerical noise floor of the gradient). */
  | 'no-progress'
  | 'max-iterations';

/** Options of {@link bfgs} (all optional). */
export interface BfgsOptions {
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
  /** Gradient test ||g||_inf <= gTol (1 + |f|) (default 1e-8). */
  readonly gTol?: number;
  readonly finiteDifference?: FiniteDifferenceOptions;
}

/** Result of {@link bfgs}. */
export interface BfgsResult {
  readonly x: Float64Array;
  readonly fx: number;
  /** Accepted quasi-Newton steps. */
  readonly iterations: number;
  /** Objective evaluations, the 2n per finite-difference gradient included. */
  readonly evaluations: number;
  readonly stopReason: BfgsStopReason;
}

/**
 * Minimises f from x0 by BFGS with numerical gradients. f receives scratch arrays it must not keep;
 * non-finite values count as +Infinity in the line search (the gradient sees raw values). Buffers are
 * allocated once; pure and deterministic.
 */
export function bfgs(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: BfgsOptions = {}): BfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200;
  const gTol = options.gTol ?? 1e-8;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const scratch = new Float64Array(n);
  const gradient = (x: Float64Array, out: Float64Array): Float64Array => {
    evaluations += 2 * n;
    return centralGradient(f, x, out, options.finiteDifference, scratch);
  };
  const x = Float64Array.from(x0);
  let fx = evaluate(x);
  const g = gradient(x, new Float64Array(n));
  const hInv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) hInv[i * n + i] = 1;
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);
  let iterations = 0;
  let stopReason: BfgsStopReason = 'max-iterations';
  while (iterations < maxIterations) {
    let gInf = 0;
    for (let i = 0; i < n; i++) gInf = Math.max(gInf, Math.abs(g[i]!));
    if (gInf <= gTol * (1 + Math.abs(fx))) {
      stopReason = 'converged-gradient';
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
      fNew = evaluate(xNew);
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
    gradient(xNew, gNew);
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
