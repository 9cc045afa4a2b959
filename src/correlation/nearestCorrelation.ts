/**
 * Nearest correlation matrix: the closest (Frobenius, or W-weighted with W = diag(weights)) symmetric
 * positive semidefinite matrix with unit diagonal to a symmetric input (Higham 2002).
 *
 * Methods: 'higham' = alternating projections with Dykstra's correction (linear convergence; the
 * stopping measure is the largest relative change of the iterates, see nearestCorrelationHigham.ts);
 * 'newton' = Qi–Sun semismooth Newton on the dual with diagonally preconditioned CG (quadratic
 * convergence; the stopping measure is ||diag(X) - 1||_2 of the PSD iterate, see
 * nearestCorrelationNewton.ts). Default: 'higham' below 50 assets, 'newton' from 50.
 *
 * The returned matrix is the final PSD iterate X scaled to unit diagonal, D^-1/2 X D^-1/2 with
 * D = diag(X): a correlation matrix up to rounding (min eigenvalue >= -1e-15 or so), within O(tolerance)
 * of the exact nearest correlation matrix. `distance` = ||A - X||_F (unweighted) for that matrix.
 */
import { CorrelationInputError } from './errors.ts';
import { assertSymmetric, readSquareMatrix, toNestedMatrix } from './panel.ts';
import { highamKernel, type NcmKernelResult } from './nearestCorrelationHigham.ts';
import { qiSunKernel } from './nearestCorrelationNewton.ts';

/** Options of {@link nearestCorrelation}. */
export interface NearestCorrelationOptions {
  /** Stopping tolerance of the chosen method (default 1e-8); see the module comment. */
  readonly tolerance?: number;
  /** 'higham' (alternating projections) or 'newton' (Qi–Sun); default by size (see module comment). */
  readonly method?: 'higham' | 'newton';
  /** Positive diagonal weights w of the W-norm ||W^1/2 (A - X) W^1/2||_F (default all 1). */
  readonly weights?: ArrayLike<number>;
  /** Iteration cap (default 2000 for 'higham', 200 Newton steps for 'newton'). */
  readonly maxIterations?: number;
}

/** Result of {@link nearestCorrelation}. */
export interface NearestCorrelationResult {
  /** The nearest correlation matrix (unit diagonal, PSD up to rounding). */
  readonly matrix: number[][];
  /** Alternating-projection iterations, or Newton steps. */
  readonly iterations: number;
  /** Frobenius repair distance ||A - X||_F (unweighted). */
  readonly distance: number;
  readonly method: 'higham' | 'newton';
  /** 'converged'; 'max-iterations' / 'line-search-failed' return the best iterate so far. */
  readonly stopReason: NcmKernelResult['stopReason'];
  /** Final value of the method's stopping measure. */
  readonly residual: number;
  readonly eigenDecompositions: number;
  /** CG iterations summed over Newton steps (0 for 'higham'). */
  readonly cgIterations: number;
}

/** Flat variant of {@link NearestCorrelationResult}. */
export interface NearestCorrelationFlatResult extends Omit<NearestCorrelationResult, 'matrix'> {
  readonly matrix: Float64Array;
}

/** Size from which the default method is Newton. */
export const NEWTON_DEFAULT_MIN_SIZE = 50;

/**
 * Flat kernel entry: nearest correlation matrix of the symmetric n x n row-major `a` (validated by
 * the caller; it is symmetrised here by averaging with its transpose).
 */
export function nearestCorrelationFlat(a: Float64Array, n: number, options: NearestCorrelationOptions = {}): NearestCorrelationFlatResult {
  const method = options.method ?? (n >= NEWTON_DEFAULT_MIN_SIZE ? 'newton' : 'higham');
  if (method !== 'higham' && method !== 'newton') throw new CorrelationInputError('BAD_OPTION', 'options.method', method, "expected 'higham' or 'newton'");
  const tolerance = options.tolerance ?? 1e-8;
  if (typeof tolerance !== 'number' || !(tolerance > 0) || !Number.isFinite(tolerance)) {
    throw new CorrelationInputError('BAD_OPTION', 'options.tolerance', tolerance, 'must be a positive finite number');
  }
  const maxIterations = options.maxIterations ?? (method === 'higham' ? 2000 : 200);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new CorrelationInputError('BAD_OPTION', 'options.maxIterations', maxIterations, 'must be a positive integer');
  let weights: Float64Array | undefined;
  if (options.weights !== undefined) {
    const w = options.weights;
    if (w === null || typeof w !== 'object' || w.length !== n) throw new CorrelationInputError('BAD_OPTION', 'options.weights', w, `expected ${n} positive weights`);
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (typeof wi !== 'number' || !(wi > 0) || !Number.isFinite(wi)) throw new CorrelationInputError('BAD_OPTION', `options.weights[${i}]`, wi, 'weight must be positive and finite');
      weights[i] = wi;
    }
  }
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = 0.5 * (a[i * n + j]! + a[j * n + i]!);

  const k = method === 'higham'
    ? highamKernel(sym, n, { tolerance, maxIterations, weights })
    : qiSunKernel(sym, n, { tolerance, maxIterations, weights });
  const x = k.x;
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dii = x[i * n + i]!;
    scale[i] = dii > 0 ? 1 / Math.sqrt(dii) : 1;
  }
  let dist = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = i === j ? 1 : x[i * n + j]! * scale[i]! * scale[j]!;
      if (v > 1) v = 1;
      else if (v < -1) v = -1;
      x[i * n + j] = v;
      const diff = a[i * n + j]! - v;
      dist += diff * diff;
    }
  }
  return Object.freeze({
    matrix: x,
    iterations: k.iterations,
    distance: Math.sqrt(dist),
    method,
    stopReason: k.stopReason,
    residual: k.residual,
    eigenDecompositions: k.eigenDecompositions,
    cgIterations: k.cgIterations,
  });
}

/**
 * Nearest correlation matrix of the symmetric square `matrix` (finite entries; symmetric to 1e-10
 * relative, else NOT_SYMMETRIC). See the module comment for methods, tolerance and the result.
 */
export function nearestCorrelation(matrix: ReadonlyArray<ArrayLike<number>>, options: NearestCorrelationOptions = {}): NearestCorrelationResult {
  const m = readSquareMatrix(matrix, 'matrix');
  assertSymmetric(m, 'matrix', 1e-10);
  const r = nearestCorrelationFlat(m.data, m.n, options);
  return Object.freeze({ ...r, matrix: toNestedMatrix(r.matrix, m.n) });
}
