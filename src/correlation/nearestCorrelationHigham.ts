/**
 * Nearest correlation matrix by alternating projections with Dykstra's correction (Higham 2002,
 * "Computing the nearest correlation matrix - a problem from finance", IMA J. Numer. Anal.
 * 22:329-343, Algorithm 3.3), optionally in the W-norm ||W^1/2 (A - X) W^1/2||_F with W = diag(w):
 *
 *   dS = 0, Y = A;  repeat:  R = Y - dS;  X = W^-1/2 P_S(W^1/2 R W^1/2) W^-1/2;  dS = X - R;
 *                            Y = P_U(X) (unit diagonal)
 *   until max(||X - X_old||/||X||, ||Y - Y_old||/||Y||, ||Y - X||/||Y||) <= tol   (Frobenius norms),
 *
 * the stopping rule of Higham's nearcorr.m (and of mikecroucher/nearest_correlation, whose 3x3 and
 * 4x4 tests we reproduce). Linear convergence; one full eigen-decomposition per iteration.
 */
import { createEigenWorkspace, projectPsd } from './linalg/projectPsd.ts';

/** Flat result of a nearest-correlation kernel: X (PSD iterate) and the convergence record. */
export interface NcmKernelResult {
  /** The final PSD iterate X (diagonal within tolerance of 1; not yet rescaled). */
  readonly x: Float64Array;
  readonly iterations: number;
  readonly stopReason: 'converged' | 'max-iterations' | 'line-search-failed' | 'non-finite';
  /** Value of the stopping measure at exit. */
  readonly residual: number;
  /** Eigen-decompositions performed. */
  readonly eigenDecompositions: number;
  /** Conjugate-gradient iterations (Newton only; 0 for alternating projections). */
  readonly cgIterations: number;
}

/** Settings of {@link highamKernel}. */
export interface HighamSettings {
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Diagonal weights w_i > 0 of the W-norm; undefined = unweighted Frobenius. */
  readonly weights?: Float64Array | undefined;
}

/** sqrt(diff2 / norm2) with 0/0 = 0 (e.g. X = 0 at the first step from the zero matrix). */
function relative(diff2: number, norm2: number): number {
  if (norm2 > 0) return Math.sqrt(diff2 / norm2);
  return diff2 > 0 ? Number.POSITIVE_INFINITY : diff2 === 0 ? 0 : Number.NaN;
}

/** Alternating projections on the symmetric n x n row-major `a` (not modified). */
export function highamKernel(a: Float64Array, n: number, settings: HighamSettings): NcmKernelResult {
  const { tolerance, maxIterations, weights } = settings;
  const nn = n * n;
  const ws = createEigenWorkspace(n);
  const whalf = weights === undefined ? undefined : new Float64Array(nn);
  if (whalf !== undefined && weights !== undefined) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) whalf[i * n + j] = Math.sqrt(weights[i]! * weights[j]!);
  }
  const y = Float64Array.from(a.subarray(0, nn));
  const x = Float64Array.from(a.subarray(0, nn));
  const ds = new Float64Array(nn);
  const r = new Float64Array(nn);
  const xNew = new Float64Array(nn);
  const rw = whalf === undefined ? r : new Float64Array(nn);
  let iterations = 0;
  let residual = Number.POSITIVE_INFINITY;
  while (iterations < maxIterations) {
    iterations++;
    for (let k = 0; k < nn; k++) r[k] = y[k]! - ds[k]!;
    if (whalf === undefined) {
      projectPsd(r, n, xNew, ws);
    } else {
      for (let k = 0; k < nn; k++) rw[k] = r[k]! * whalf[k]!;
      projectPsd(rw, n, xNew, ws);
      for (let k = 0; k < nn; k++) xNew[k] = xNew[k]! / whalf[k]!;
    }
    let normX = 0;
    let normY = 0;
    let dX = 0;
    let dY = 0;
    let dXY = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        const xk = xNew[k]!;
        const yk = i === j ? 1 : xk;
        ds[k] = xk - r[k]!;
        normX += xk * xk;
        normY += yk * yk;
        dX += (xk - x[k]!) * (xk - x[k]!);
        dY += (yk - y[k]!) * (yk - y[k]!);
        dXY += (yk - xk) * (yk - xk);
        x[k] = xk;
        y[k] = yk;
      }
    }
    residual = Math.max(relative(dX, normX), relative(dY, normY), relative(dXY, normY));
    if (Number.isNaN(residual)) {
      return { x, iterations, stopReason: 'non-finite', residual, eigenDecompositions: iterations, cgIterations: 0 };
    }
    if (residual <= tolerance) {
      return { x, iterations, stopReason: 'converged', residual, eigenDecompositions: iterations, cgIterations: 0 };
    }
  }
  return { x, iterations, stopReason: 'max-iterations', residual, eigenDecompositions: iterations, cgIterations: 0 };
}
