/**
 * Conversions between covariance, correlation and volatilities:
 * rho_ij = S_ij / sqrt(S_ii S_jj), sigma_i = sqrt(S_ii), S_ij = rho_ij sigma_i sigma_j.
 * Volatilities are in the covariance's own units and period (no annualisation here).
 */
import { CorrelationInputError } from './errors.ts';
import { assertSymmetric, readSquareMatrix, toNestedMatrix } from './panel.ts';

/**
 * Flat kernel: correlation from a covariance (n x n row-major), diagonal exactly 1, off-diagonal
 * clamped to [-1, 1]. A non-positive variance raises ZERO_VARIANCE named by `fieldOf(j)`.
 */
export function correlationFromCovarianceKernel(
  cov: Float64Array,
  n: number,
  field: string | ((j: number) => string),
  out: Float64Array = new Float64Array(n * n),
): Float64Array {
  for (let j = 0; j < n; j++) {
    const v = cov[j * n + j]!;
    if (!(v > 0)) {
      const name = typeof field === 'string' ? `${field}[${j}]` : field(j);
      throw new CorrelationInputError('ZERO_VARIANCE', name, v, 'variance must be positive for a correlation (constant column?)');
    }
  }
  for (let i = 0; i < n; i++) {
    const vi = cov[i * n + i]!;
    for (let j = 0; j < n; j++) {
      // sqrt of the product (two roundings) keeps exactly collinear columns at exactly +-1 more often
      const r = i === j ? 1 : cov[i * n + j]! / Math.sqrt(vi * cov[j * n + j]!);
      out[i * n + j] = r > 1 ? 1 : r < -1 ? -1 : r;
    }
  }
  return out;
}

/** Correlation matrix of a symmetric covariance matrix (positive diagonal required). */
export function correlationFromCovariance(covariance: ReadonlyArray<ArrayLike<number>>): number[][] {
  const m = readSquareMatrix(covariance, 'covariance');
  assertSymmetric(m, 'covariance');
  return toNestedMatrix(correlationFromCovarianceKernel(m.data, m.n, (j) => `covariance[${j}][${j}]`), m.n);
}

/** Volatilities sqrt(S_ii) of a covariance matrix (same units/period as the covariance). */
export function volatilitiesFromCovariance(covariance: ReadonlyArray<ArrayLike<number>>): number[] {
  const m = readSquareMatrix(covariance, 'covariance');
  const out: number[] = [];
  for (let j = 0; j < m.n; j++) {
    const v = m.data[j * m.n + j]!;
    if (v < 0) throw new CorrelationInputError('BAD_OPTION', `covariance[${j}][${j}]`, v, 'variance must be non-negative');
    out.push(Math.sqrt(v));
  }
  return Object.freeze(out) as number[];
}

/** Covariance S_ij = rho_ij sigma_i sigma_j from a correlation matrix and non-negative volatilities. */
export function covarianceFromCorrelation(correlation: ReadonlyArray<ArrayLike<number>>, volatilities: ArrayLike<number>): number[][] {
  const m = readSquareMatrix(correlation, 'correlation');
  const { n, data } = m;
  if (volatilities.length !== n) throw new CorrelationInputError('NOT_SQUARE', 'volatilities', volatilities.length, `length must equal the matrix size ${n}`);
  for (let j = 0; j < n; j++) {
    const s = volatilities[j]!;
    if (!(s >= 0) || !Number.isFinite(s)) throw new CorrelationInputError('BAD_OPTION', `volatilities[${j}]`, s, 'volatility must be finite and non-negative');
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = data[i * n + j]! * volatilities[i]! * volatilities[j]!;
  return toNestedMatrix(out, n);
}
