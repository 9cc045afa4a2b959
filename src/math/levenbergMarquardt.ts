/**
 * Levenberg–Marquardt for small dense nonlinear least-squares problems min_x 1/2 sum_i r_i(x)^2
 * (Madsen, Nielsen & Tingleff 2004, "Methods for non-linear least squares problems", Algorithm 3.16,
 * with Marquardt's diagonal scaling D = diag(J^T J) and Nielsen's damping update).
 *
 * Pure: no I/O, no clock, no randomness. Bounds are not handled here: reparametrise (e.g. x = exp(u),
 * rho = tanh(u)) in the residual function. Intended for a handful of parameters (the normal equations are
 * solved by Cholesky on an n x n matrix); the residual count can be large.
 */

/** A least-squares problem: n parameters, m residuals. */
export interface LeastSquaresProblem {
  /** Number of parameters n (>= 1). */
  readonly parameterCount: number;
  /** Number of residuals m (>= 1). */
  readonly residualCount: number;
  /** Writes the m residuals at x into out (length m). Non-finite residuals mark x as unacceptable. */
  residuals(x: Float64Array, out: Float64Array): void;
  /**
   * Optional analytic Jacobian: writes dr_i/dx_j into out[i * n + j] (row-major m x n). `r` holds the
   * residuals at x. When absent, central finite differences are used (2n residual evaluations).
   */
  jacobian?(x: Float64Array, r: Float64Array, out: Float64Array): void;
}

/** Options of levenbergMarquardt (all optional). */
export interface LevenbergMarquardtOptions {
  /** Maximum number of iterations (trial steps), default 200. */
  readonly maxIterations?: number;
  /** Maximum number of residual evaluations, including finite differences, default 10 000. */
  readonly maxEvaluations?: number;
  /** Stop when ||J^T r||_inf <= gradientTolerance (absolute), default 1e-12. */
  readonly gradientTolerance?: number;
  /** Stop when ||h||_2 <= stepTolerance (||x||_2 + stepTolerance), default 1e-12. */
  readonly stepTolerance?: number;
  /** Stop when an accepted step reduces the cost by less than functionTolerance * cost, default 1e-15. */
  readonly functionTolerance?: number;
  /** Initial damping mu_0 multiplying the Marquardt scaling diag(J^T J), default 1e-3. */
  readonly initialDamping?: number;
  /** Relative step of the central finite differences, default 1e-6 (absolute for |x_j| < 1). */
  readonly finiteDifferenceStep?: number;
}

/** Why levenbergMarquardt stopped. */
export type LevenbergMarquardtStopReason =
  | 'converged-gradient'
  | 'converged-step'
  | 'converged-function'
  | 'max-iterations'
  | 'max-evaluations'
  | 'damping-overflow'
  | 'non-finite-start';

/** Result of levenbergMarquardt. */
export interface LevenbergMarquardtResult {
  /** Best parameters found (the start if nothing better was found). */
  readonly x: Float64Array;
  /** Residuals at x. */
  readonly residuals: Float64Array;
  /** Cost 1/2 sum r_i^2 at x. */
  readonly cost: number;
  /** Iterations (trial steps, accepted or rejected). */
  readonly iterations: number;
  /** Residual evaluations, including those of finite-difference Jacobians. */
  readonly evaluations: number;
  /** Jacobian evaluations (analytic or finite-difference). */
  readonly jacobianEvaluations: number;
  /** ||J^T r||_inf at x (the last Jacobian computed). */
  readonly gradientNorm: number;
  readonly stopReason: LevenbergMarquardtStopReason;
}

/**
 * Minimises 1/2 ||r(x)||^2 from x0 by Levenberg–Marquardt. Throws RangeError only for malformed
 * problems (n or m not positive integers, x0 of the wrong length); numerical trouble is reported through
 * stopReason ('non-finite-start' when r(x0) is not finite, 'damping-overflow' when no step reduces the cost).
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  x0: ArrayLike<number>,
  options: LevenbergMarquardtOptions = {},
): LevenbergMarquardtResult {
  const n = problem.parameterCount;
  const m = problem.residualCount;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`parameterCount = ${n}: must be a positive integer`);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`residualCount = ${m}: must be a positive integer`);
  if (x0.length !== n) throw new RangeError(`x0.length = ${x0.length}: must equal parameterCount ${n}`);
  const maxIterations = options.maxIterations ?? 200;
  const maxEvaluations = options.maxEvaluations ?? 10_000;
  const gTol = options.gradientTolerance ?? 1e-12;
  const xTol = options.stepTolerance ?? 1e-12;
  const fTol = options.functionTolerance ?? 1e-15;
  const tau = options.initialDamping ?? 1e-3;
  const fdStep = options.finiteDifferenceStep ?? 1e-6;

  const x = Float64Array.from(x0);
  const r = new Float64Array(m);
  const xNew = new Float64Array(n);
  const rNew = new Float64Array(m);
  const jac = new Float64Array(m * n);
  const a = new Float64Array(n * n);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const h = new Float64Array(n);
  const work = new Float64Array(n * n);
  const rPlus = problem.jacobian ? new Float64Array(0) : new Float64Array(m);
  const rMinus = problem.jacobian ? new Float64Array(0) : new Float64Array(m);
  let evaluations = 0;
  let jacobianEvaluations = 0;

  const evalResiduals = (at: Float64Array, out: Float64Array): number => {
    problem.residuals(at, out);
    evaluations++;
    let s = 0;
    for (let i = 0; i < m; i++) {
      const v = out[i] as number;
      s += v * v;
    }
    return Number.isFinite(s) ? 0.5 * s : Number.NaN;
  };

  const computeJacobian = (): void => {
    jacobianEvaluations++;
    if (problem.jacobian) {
      problem.jacobian(x, r, jac);
      return;
    }
    for (let j = 0; j < n; j++) {
      const xj = x[j] as number;
      const step = fdStep * Math.max(1, Math.abs(xj));
      x[j] = xj + step;
      evalResiduals(x, rPlus);
      x[j] = xj - step;
      evalResiduals(x, rMinus);
      x[j] = xj;
      const inv = 1 / (2 * step);
      for (let i = 0; i < m; i++) jac[i * n + j] = ((rPlus[i] as number) - (rMinus[i] as number)) * inv;
    }
  };

  // A = J^T J, g = J^T r; returns ||g||_inf (NaN if the Jacobian is not finite)
  const normalEquations = (): number => {
    a.fill(0);
    g.fill(0);
    for (let i = 0; i < m; i++) {
      const ri = r[i] as number;
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const jij = jac[row + j] as number;
        g[j] = (g[j] as number) + jij * ri;
        for (let l = 0; l <= j; l++) a[j * n + l] = (a[j * n + l] as number) + jij * (jac[row + l] as number);
      }
    }
    let gNorm = 0;
    let maxDiag = 0;
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < j; l++) a[l * n + j] = a[j * n + l] as number;
      gNorm = Math.max(gNorm, Math.abs(g[j] as number));
      maxDiag = Math.max(maxDiag, a[j * n + j] as number);
    }
    // Marquardt scaling, floored so that a parameter with a zero Jacobian column stays solvable
    const floor = 1e-14 * maxDiag + 1e-300;
    for (let j = 0; j < n; j++) d[j] = Math.max(a[j * n + j] as number, floor);
    return Number.isFinite(gNorm) ? gNorm : Number.NaN;
  };

  let cost = evalResiduals(x, r);
  if (Number.isNaN(cost)) {
    return freezeResult(x, r, Number.NaN, 0, evaluations, 0, Number.NaN, 'non-finite-start');
  }
  computeJacobian();
  let gNorm = normalEquations();
  if (Number.isNaN(gNorm)) {
    return freezeResult(x, r, cost, 0, evaluations, jacobianEvaluations, gNorm, 'non-finite-start');
  }
  if (gNorm <= gTol) {
    return freezeResult(x, r, cost, 0, evaluations, jacobianEvaluations, gNorm, 'converged-gradient');
  }
  let mu = tau; // dimensionless: the scaling matrix D = diag(J^T J) carries the magnitudes
  let nu = 2;
  let iterations = 0;
  let stop: LevenbergMarquardtStopReason = 'max-iterations';

  while (iterations < maxIterations) {
    if (evaluations >= maxEvaluations) {
      stop = 'max-evaluations';
      break;
    }
    iterations++;
    // solve (A + mu D) h = -g
    for (let j = 0; j < n * n; j++) work[j] = a[j] as number;
    for (let j = 0; j < n; j++) work[j * n + j] = (work[j * n + j] as number) + mu * (d[j] as number);
    if (!choleskySolve(work, g, h, n)) {
      mu *= nu;
      nu *= 2;
      if (!(mu < 1e30)) {
        stop = 'damping-overflow';
        break;
      }
      continue;
    }
    let hNorm = 0;
    let xNorm = 0;
    for (let j = 0; j < n; j++) {
      const hj = -(h[j] as number);
      h[j] = hj;
      hNorm += hj * hj;
      xNorm += (x[j] as number) * (x[j] as number);
    }
    hNorm = Math.sqrt(hNorm);
    xNorm = Math.sqrt(xNorm);
    if (hNorm <= xTol * (xNorm + xTol)) {
      stop = 'converged-step';
      break;
    }
    for (let j = 0; j < n; j++) xNew[j] = (x[j] as number) + (h[j] as number);
    const costNew = evalResiduals(xNew, rNew);
    let predicted = 0;
    for (let j = 0; j < n; j++) predicted += (h[j] as number) * (mu * (d[j] as number) * (h[j] as number) - (g[j] as number));
    predicted *= 0.5;
    const actual = cost - costNew;
    const gain = Number.isNaN(costNew) || !(predicted > 0) ? -1 : actual / predicted;
    if (gain > 0) {
      x.set(xNew);
      r.set(rNew);
      const previous = cost;
      cost = costNew;
      computeJacobian();
      gNorm = normalEquations();
      if (Number.isNaN(gNorm)) {
        stop = 'damping-overflow';
        break;
      }
      if (gNorm <= gTol || cost === 0) {
        stop = 'converged-gradient';
        break;
      }
      if (previous - cost <= fTol * previous) {
        stop = 'converged-function';
        break;
      }
      const t = 2 * gain - 1;
      mu *= Math.max(1 / 3, 1 - t * t * t);
      nu = 2;
    } else {
      mu *= nu;
      nu *= 2;
      if (!(mu < 1e30)) {
        stop = 'damping-overflow';
        break;
      }
    }
  }
  if (stop === 'max-iterations' && evaluations >= maxEvaluations) stop = 'max-evaluations';
  return freezeResult(x, r, cost, iterations, evaluations, jacobianEvaluations, gNorm, stop);
}

function freezeResult(
  x: Float64Array,
  r: Float64Array,
  cost: number,
  iterations: number,
  evaluations: number,
  jacobianEvaluations: number,
  gradientNorm: number,
  stopReason: LevenbergMarquardtStopReason,
): LevenbergMarquardtResult {
  return Object.freeze({
    x: Float64Array.from(x),
    residuals: Float64Array.from(r),
    cost,
    iterations,
    evaluations,
    jacobianEvaluations,
    gradientNorm,
    stopReason,
  });
}

/**
 * Solves S z = b for a symmetric positive definite n x n matrix S (row-major, overwritten by its Cholesky
 * factor). Returns false when S is not numerically positive definite.
 */
function choleskySolve(s: Float64Array, b: Float64Array, z: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let diag = s[j * n + j] as number;
    for (let k = 0; k < j; k++) diag -= (s[j * n + k] as number) ** 2;
    if (!(diag > 0) || !Number.isFinite(diag)) return false;
    const ljj = Math.sqrt(diag);
    s[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = s[i * n + j] as number;
      for (let k = 0; k < j; k++) v -= (s[i * n + k] as number) * (s[j * n + k] as number);
      s[i * n + j] = v / ljj;
    }
  }
  for (let i = 0; i < n; i++) {
    let v = b[i] as number;
    for (let k = 0; k < i; k++) v -= (s[i * n + k] as number) * (z[k] as number);
    z[i] = v / (s[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = z[i] as number;
    for (let k = i + 1; k < n; k++) v -= (s[k * n + i] as number) * (z[k] as number);
    z[i] = v / (s[i * n + i] as number);
  }
  return true;
}
