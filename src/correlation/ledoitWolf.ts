/**
 * Ledoit–Wolf shrinkage covariance, Sigma = (1 - s) S + s F, with the sample covariance S computed
 * with divisor n (the maximum-likelihood estimator, as in scikit-learn and covCor.m; NOT n - 1) after
 * demeaning each column. Units: squared return units per period.
 *
 * Targets:
 *  - 'identity' (default): F = mu I with mu = tr(S)/p; s from Ledoit & Wolf (2004, J. Multivariate
 *    Anal. 88:365-411) exactly as scikit-learn's `ledoit_wolf_shrinkage` (methods.md 4.2(a)).
 *    With one asset s = 0 (scikit-learn's convention).
 *  - 'constant-correlation': F_ij = rbar sqrt(S_ii S_jj), F_ii = S_ii; s = delta* of Ledoit & Wolf
 *    (2003/2004, "Honey, I shrunk the sample covariance matrix") as in the authors' covCor.m (2014
 *    version, methods.md 4.2(b)); needs >= 2 assets and no constant column.
 */
import { CorrelationInputError } from './errors.ts';
import { readReturnsPanel, toNestedMatrix } from './panel.ts';
import { constantCorrelationShrinkageKernel } from './constantCorrelationShrinkage.ts';
import { pinConstantColumnMeans } from './sampleCovariance.ts';

/** Options of {@link ledoitWolf}. */
export interface LedoitWolfOptions {
  readonly target?: 'identity' | 'constant-correlation';
}

/** A shrunk covariance: the matrix, the shrinkage intensity s in [0, 1] and the target used. */
export interface ShrinkageResult {
  readonly covariance: number[][];
  readonly shrinkage: number;
  readonly target: 'identity' | 'constant-correlation';
  /** Mean sample correlation rbar (constant-correlation target only). */
  readonly meanCorrelation?: number;
}

/** Flat result of a shrinkage kernel. */
export interface ShrinkageKernelResult {
  readonly covariance: Float64Array;
  readonly shrinkage: number;
  readonly meanCorrelation?: number;
}

/** Centre each column of a rows x cols panel in place (constant columns to exact zeros); returns it. */
export function centreColumns(data: Float64Array, rows: number, cols: number): Float64Array {
  const means = new Float64Array(cols);
  for (let t = 0; t < rows; t++) for (let j = 0; j < cols; j++) means[j] = means[j]! + data[t * cols + j]!;
  for (let j = 0; j < cols; j++) means[j] = means[j]! / rows;
  pinConstantColumnMeans(data, rows, cols, means);
  for (let t = 0; t < rows; t++) for (let j = 0; j < cols; j++) data[t * cols + j] = data[t * cols + j]! - means[j]!;
  return data;
}

/** S = X^T X / divisor for a centred panel X (rows x cols), full symmetric cols x cols matrix. */
export function crossProduct(x: Float64Array, rows: number, cols: number, divisor: number): Float64Array {
  const s = new Float64Array(cols * cols);
  for (let t = 0; t < rows; t++) {
    const base = t * cols;
    for (let i = 0; i < cols; i++) {
      const xi = x[base + i]!;
      for (let j = i; j < cols; j++) s[i * cols + j] = s[i * cols + j]! + xi * x[base + j]!;
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      const v = s[i * cols + j]! / divisor;
      s[i * cols + j] = v;
      s[j * cols + i] = v;
    }
  }
  return s;
}

/**
 * Ledoit–Wolf 2004 identity-target shrinkage of a CENTRED panel X (n rows x p cols), following
 * scikit-learn: S = X^T X/n, mu = tr(S)/p, delta_ = sum S_ij^2, beta_ = sum_t (sum_i x_ti^2)^2,
 * beta = (beta_/n - delta_)/(p n), delta = (delta_ - 2 mu tr S + p mu^2)/p, s = min(beta, delta)/delta.
 */
export function ledoitWolfIdentityKernel(x: Float64Array, rows: number, cols: number): ShrinkageKernelResult {
  const s = crossProduct(x, rows, cols, rows);
  if (cols === 1) return { covariance: s, shrinkage: 0 };
  let trace = 0;
  for (let i = 0; i < cols; i++) trace += s[i * cols + i]!;
  const mu = trace / cols;
  let deltaSum = 0;
  for (let k = 0; k < cols * cols; k++) deltaSum += s[k]! * s[k]!;
  let betaSum = 0;
  for (let t = 0; t < rows; t++) {
    let q = 0;
    for (let i = 0; i < cols; i++) q += x[t * cols + i]! * x[t * cols + i]!;
    betaSum += q * q;
  }
  let beta = (betaSum / rows - deltaSum) / (cols * rows);
  const delta = (deltaSum - 2 * mu * trace + cols * mu * mu) / cols;
  beta = Math.min(beta, delta);
  const shrinkage = beta === 0 ? 0 : beta / delta;
  for (let k = 0; k < cols * cols; k++) s[k] = (1 - shrinkage) * s[k]!;
  for (let i = 0; i < cols; i++) s[i * cols + i] = s[i * cols + i]! + shrinkage * mu;
  return { covariance: s, shrinkage };
}

/**
 * Ledoit–Wolf shrinkage covariance of `returns` (rows = dates, cols = assets, no gaps, >= 2 rows).
 * See the module comment for the two targets and the n-divisor convention.
 */
export function ledoitWolf(returns: ReadonlyArray<ArrayLike<number>>, options: LedoitWolfOptions = {}): ShrinkageResult {
  const target = options.target ?? 'identity';
  if (target !== 'identity' && target !== 'constant-correlation') {
    throw new CorrelationInputError('BAD_OPTION', 'options.target', target, "expected 'identity' or 'constant-correlation'");
  }
  const panel = readReturnsPanel(returns, false);
  if (panel.rows < 2) throw new CorrelationInputError('TOO_FEW_ROWS', 'returns', panel.rows, 'need at least 2 rows');
  const x = centreColumns(Float64Array.from(panel.data), panel.rows, panel.cols);
  const r = target === 'identity' ? ledoitWolfIdentityKernel(x, panel.rows, panel.cols) : constantCorrelationShrinkageKernel(x, panel.rows, panel.cols);
  const out: ShrinkageResult = r.meanCorrelation === undefined
    ? { covariance: toNestedMatrix(r.covariance, panel.cols), shrinkage: r.shrinkage, target }
    : { covariance: toNestedMatrix(r.covariance, panel.cols), shrinkage: r.shrinkage, target, meanCorrelation: r.meanCorrelation };
  return Object.freeze(out);
}
