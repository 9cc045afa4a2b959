/**
 * Nearest correlation matrix by the semismooth Newton method on the dual (Qi & Sun 2006, SIAM J.
 * Matrix Anal. Appl. 28(2):360-385), with the conjugate-gradient inner solve preconditioned by the
 * Jacobian's diagonal (Borsdorf & Higham 2010, "A preconditioned Newton algorithm for the nearest
 * correlation matrix", IMA J. Numer. Anal. 30:94-107). For min ||X - G||_F s.t. diag(X) = b, X PSD:
 *
 *   theta(y) = 1/2 ||(G + diag y)_+||_F^2 - b^T y,   F(y) = grad theta = diag((G + diag y)_+) - b,
 *   y_0 = b - diag(G);  solve (V_k + 1e-10 I) d = -F(y_k) by PCG to relative residual
 *   eta_k = min(1e-2, ||F(y_k)||);  Armijo backtracking y_{k+1} = y_k + t d (t = 1, 1/2, ...;
 *   sigma = 1e-4);  stop when ||F(y_k)||_2 <= tol;  X = (G + diag y)_+.
 *
 * The W-weighted problem min ||W^1/2 (X - A) W^1/2||_F (W = diag(w)) is the same problem for
 * Y = W^1/2 X W^1/2 with G = W^1/2 A W^1/2 and b = w, so it is solved here by that change of variables.
 * Quadratic convergence: typically 5-10 Newton steps.
 */
import { symmetricEigen } from '../math/symmetricEigen.ts';
import { createEigenWorkspace, positivePartFromEigen, type EigenWorkspace } from './linalg/projectPsd.ts';
import { applyNcmJacobian, createNcmJacobian, ncmJacobianDiagonal, prepareNcmJacobian } from './ncmJacobian.ts';
import type { NcmKernelResult } from './nearestCorrelationHigham.ts';

/** Settings of {@link qiSunKernel}. */
export interface NewtonSettings {
  /** Stop when ||diag((G + diag y)_+) - b||_2 <= tolerance. */
  readonly tolerance: number;
  /** Maximum Newton steps. */
  readonly maxIterations: number;
  /** Maximum CG iterations per Newton step (default min(n, 200)). */
  readonly maxCgIterations?: number;
  readonly weights?: Float64Array | undefined;
}

const ARMIJO_SIGMA = 1e-4;
const MAX_HALVINGS = 30;

/** Evaluate theta and F from a decomposition (values ascending, vectors columns) of G + diag y. */
function dualObjective(values: Float64Array, vectors: Float64Array, n: number, y: Float64Array, b: Float64Array, gradient: Float64Array | undefined): number {
  let s = 0;
  while (s < n && values[s]! <= 0) s++;
  let theta = 0;
  for (let k = s; k < n; k++) theta += values[k]! * values[k]!;
  theta *= 0.5;
  for (let i = 0; i < n; i++) theta -= b[i]! * y[i]!;
  if (gradient !== undefined) {
    for (let i = 0; i < n; i++) {
      let d = 0;
      const row = i * n;
      for (let k = s; k < n; k++) {
        const v = vectors[row + k]!;
        d += values[k]! * v * v;
      }
      gradient[i] = d - b[i]!;
    }
  }
  return theta;
}

function norm2(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** Form G + diag(y) into `out`. */
function shifted(g: Float64Array, y: Float64Array, n: number, out: Float64Array): Float64Array {
  out.set(g.subarray(0, n * n));
  for (let i = 0; i < n; i++) out[i * n + i] = g[i * n + i]! + y[i]!;
  return out;
}

function decompose(m: Float64Array, n: number, ws: EigenWorkspace, vectors: boolean): void {
  symmetricEigen(m, n, { values: ws.values, vectors: ws.vectors, work: ws.work, computeVectors: vectors });
}

/** Semismooth Newton on the symmetric n x n row-major `a` (not modified). */
export function qiSunKernel(a: Float64Array, n: number, settings: NewtonSettings): NcmKernelResult {
  const { tolerance, maxIterations, weights } = settings;
  const maxCg = settings.maxCgIterations ?? Math.min(n, 200);
  const nn = n * n;
  const g = new Float64Array(nn);
  const b = new Float64Array(n);
  const whalf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    b[i] = weights === undefined ? 1 : weights[i]!;
    whalf[i] = Math.sqrt(b[i]!);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = a[i * n + j]! * whalf[i]! * whalf[j]!;

  let current = createEigenWorkspace(n);
  let trial = createEigenWorkspace(n);
  const work = new Float64Array(nn);
  const jac = createNcmJacobian(n);
  const y = new Float64Array(n);
  const yTrial = new Float64Array(n);
  const grad = new Float64Array(n);
  const gradTrial = new Float64Array(n);
  const d = new Float64Array(n);
  const precond = new Float64Array(n);
  const cgR = new Float64Array(n);
  const cgZ = new Float64Array(n);
  const cgP = new Float64Array(n);
  const cgW = new Float64Array(n);

  for (let i = 0; i < n; i++) y[i] = b[i]! - g[i * n + i]!;
  decompose(shifted(g, y, n, work), n, current, true);
  let eigenDecompositions = 1;
  let theta = dualObjective(current.values, current.vectors, n, y, b, grad);
  let residual = norm2(grad, n);
  let iterations = 0;
  let cgIterations = 0;
  let stopReason: NcmKernelResult['stopReason'] = 'max-iterations';

  const finish = (): NcmKernelResult => {
    const x = new Float64Array(nn);
    if (Number.isFinite(residual)) positivePartFromEigen(current.values, current.vectors, n, x, work);
    else x.fill(Number.NaN);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x[i * n + j] = x[i * n + j]! / (whalf[i]! * whalf[j]!);
    return { x, iterations, stopReason, residual, eigenDecompositions, cgIterations };
  };

  while (true) {
    if (!Number.isFinite(residual)) {
      stopReason = 'non-finite';
      return finish();
    }
    if (residual <= tolerance) {
      stopReason = 'converged';
      return finish();
    }
    if (iterations >= maxIterations) {
      stopReason = 'max-iterations';
      return finish();
    }
    iterations++;

    // Newton direction: (V + 1e-10 I) d = -F by preconditioned CG.
    prepareNcmJacobian(jac, current.values, current.vectors);
    ncmJacobianDiagonal(jac, precond);
    const eta = Math.min(1e-2, residual);
    cgIterations += preconditionedCg(jac, grad, precond, eta * residual, maxCg, n, d, cgR, cgZ, cgP, cgW);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += grad[i]! * d[i]!;
    if (!(slope < 0)) {
      // Not a descent direction (CG broke down): fall back to steepest descent.
      for (let i = 0; i < n; i++) d[i] = -grad[i]!;
      slope = -residual * residual;
    }

    // Armijo backtracking. The full step is decomposed with vectors (usually accepted); shorter trial
    // steps with eigenvalues only, then the accepted point once with vectors.
    let t = 1;
    let accepted = false;
    let needVectors = false;
    let thetaTrial = Number.NaN;
    for (let h = 0; h <= MAX_HALVINGS; h++) {
      for (let i = 0; i < n; i++) yTrial[i] = y[i]! + t * d[i]!;
      const withVectors = h === 0;
      decompose(shifted(g, yTrial, n, work), n, trial, withVectors);
      eigenDecompositions++;
      thetaTrial = dualObjective(trial.values, trial.vectors, n, yTrial, b, undefined);
      if (thetaTrial <= theta + ARMIJO_SIGMA * t * slope + 1e-14 * Math.max(1, Math.abs(theta))) {
        accepted = true;
        needVectors = !withVectors;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      stopReason = 'line-search-failed';
      return finish();
    }
    if (needVectors) {
      decompose(shifted(g, yTrial, n, work), n, trial, true);
      eigenDecompositions++;
    }
    const swap = current;
    current = trial;
    trial = swap;
    y.set(yTrial);
    theta = dualObjective(current.values, current.vectors, n, y, b, gradTrial);
    grad.set(gradTrial);
    residual = norm2(grad, n);
  }
}

/**
 * Preconditioned CG for (V + 1e-10 I) d = -grad, stopping when ||r||_2 <= tolAbs or after maxIter
 * iterations (Qi–Sun's pre_cg). Returns the iterations used; d holds the solution.
 */
function preconditionedCg(
  jac: ReturnType<typeof createNcmJacobian>,
  grad: Float64Array,
  c: Float64Array,
  tolAbs: number,
  maxIter: number,
  n: number,
  x: Float64Array,
  r: Float64Array,
  z: Float64Array,
  p: Float64Array,
  w: Float64Array,
): number {
  x.fill(0, 0, n);
  let rz = 0;
  for (let i = 0; i < n; i++) {
    r[i] = -grad[i]!;
    z[i] = r[i]! / c[i]!;
    p[i] = z[i]!;
    rz += r[i]! * z[i]!;
  }
  for (let k = 1; k <= maxIter; k++) {
    applyNcmJacobian(jac, p, w);
    let denom = 0;
    for (let i = 0; i < n; i++) denom += p[i]! * w[i]!;
    if (!(denom > 0)) {
      if (k === 1) x.set(p.subarray(0, n));
      return k;
    }
    const alpha = rz / denom;
    let rr = 0;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * w[i]!;
      rr += r[i]! * r[i]!;
    }
    if (Math.sqrt(rr) <= tolAbs) return k;
    let rzNew = 0;
    for (let i = 0; i < n; i++) {
      z[i] = r[i]! / c[i]!;
      rzNew += r[i]! * z[i]!;
    }
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
  }
  return maxIter;
}
