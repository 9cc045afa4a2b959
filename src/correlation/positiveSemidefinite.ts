/**
 * Definiteness checks of symmetric matrices through their eigenvalues (src/math/symmetricEigen.ts,
 * eigenvalues-only mode: Householder tridiagonalisation + QL, O(n^3) with a small constant).
 */
import { symmetricEigen } from '../math/symmetricEigen.ts';
import { CorrelationInputError } from './errors.ts';
import { assertSymmetric, readSquareMatrix } from './panel.ts';

/** Eigenvalues, ascending, of a symmetric square matrix (symmetric to 1e-10 relative, else NOT_SYMMETRIC). */
export function symmetricEigenvalues(matrix: ReadonlyArray<ArrayLike<number>>): number[] {
  const m = readSquareMatrix(matrix, 'matrix');
  assertSymmetric(m, 'matrix', 1e-10);
  return Object.freeze(Array.from(symmetricEigen(m.data, m.n, { computeVectors: false }).values)) as number[];
}

/** Smallest eigenvalue of a symmetric square matrix (same units as its entries). */
export function minEigenvalue(matrix: ReadonlyArray<ArrayLike<number>>): number {
  return symmetricEigenvalues(matrix)[0]!;
}

/** Smallest eigenvalue of a flat symmetric n x n row-major matrix (lower triangle read). */
export function minEigenvalueFlat(a: Float64Array, n: number): number {
  return n === 0 ? Number.NaN : symmetricEigen(a, n, { computeVectors: false }).values[0]!;
}

/**
 * True when the symmetric matrix is positive semidefinite up to rounding:
 * lambda_min >= -tolerance * max(1, |lambda_max|) (default tolerance 1e-10).
 */
export function isPositiveSemidefinite(matrix: ReadonlyArray<ArrayLike<number>>, options: { readonly tolerance?: number } = {}): boolean {
  const tolerance = options.tolerance ?? 1e-10;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new CorrelationInputError('BAD_OPTION', 'options.tolerance', tolerance, 'must be a non-negative finite number');
  }
  const values = symmetricEigenvalues(matrix);
  const lo = values[0]!;
  const hi = values[values.length - 1]!;
  return lo >= -tolerance * Math.max(1, Math.abs(hi));
}
