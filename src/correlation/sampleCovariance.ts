/**
 * Sample covariance of a returns panel (rows = dates, columns = assets).
 *
 * Convention: returns are demeaned per column and the divisor is n - 1 (the unbiased estimator),
 * i.e. S_ij = sum_t (r_ti - mean_i)(r_tj - mean_j) / (n - 1). Units: squared return units per
 * observation period (daily returns give a daily covariance; no annualisation).
 *
 * Gaps (NaN) are never handled silently: by default they raise MISSING_VALUE; `missing: 'pairwise'`
 * computes each entry over the rows where both assets are present (each pair with its own means and
 * its own n - 1; the matrix may then fail to be positive semidefinite); `missing: 'complete-rows'`
 * drops every row with a gap first.
 */
import { CorrelationInputError } from './errors.ts';
import { dropIncompleteRows, readReturnsPanel, toNestedMatrix, type MissingPolicy, type ReturnsPanel } from './panel.ts';

/** Options of {@link sampleCovariance} and {@link sampleCorrelation}. */
export interface SampleEstimatorOptions {
  /** Treatment of NaN gaps: 'error' (default), 'pairwise' or 'complete-rows'. */
  readonly missing?: MissingPolicy;
}

/**
 * Column means and the covariance kernel over a complete panel (no NaN):
 * out[i*cols+j] = sum_t (x_ti - m_i)(x_tj - m_j) / divisor. Two-pass (means first) for accuracy.
 * Returns `out` (allocated when not given, length cols*cols).
 */
export function covarianceKernel(
  data: Float64Array,
  rows: number,
  cols: number,
  divisor: number,
  out: Float64Array = new Float64Array(cols * cols),
  means: Float64Array = new Float64Array(cols),
): Float64Array {
  means.fill(0, 0, cols);
  out.fill(0, 0, cols * cols);
  for (let t = 0; t < rows; t++) {
    const base = t * cols;
    for (let j = 0; j < cols; j++) means[j] = means[j]! + data[base + j]!;
  }
  for (let j = 0; j < cols; j++) means[j] = means[j]! / rows;
  pinConstantColumnMeans(data, rows, cols, means);
  const centred = new Float64Array(cols);
  for (let t = 0; t < rows; t++) {
    const base = t * cols;
    for (let j = 0; j < cols; j++) centred[j] = data[base + j]! - means[j]!;
    for (let i = 0; i < cols; i++) {
      const ci = centred[i]!;
      const rowI = i * cols;
      for (let j = i; j < cols; j++) out[rowI + j] = out[rowI + j]! + ci * centred[j]!;
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      const v = out[i * cols + j]! / divisor;
      out[i * cols + j] = v;
      out[j * cols + i] = v;
    }
  }
  return out;
}

/**
 * A column whose values are all identical gets that value as its mean, so it centres to exact zeros
 * (a summed-and-divided mean can miss it by an ulp, leaving a spurious ~1e-36 variance).
 */
export function pinConstantColumnMeans(data: Float64Array, rows: number, cols: number, means: Float64Array): void {
  for (let j = 0; j < cols; j++) {
    const first = data[j]!;
    let constant = true;
    for (let t = 1; t < rows && constant; t++) if (data[t * cols + j] !== first) constant = false;
    if (constant) means[j] = first;
  }
}

/**
 * Pairwise-complete covariance (divisor n_ij - 1) and, when `correlation` is set, the pairwise
 * correlation using the same common rows for the two variances (so |rho| <= 1). Raises TOO_FEW_ROWS
 * when a pair has fewer than 2 common rows, ZERO_VARIANCE when a correlation is undefined.
 */
export function pairwiseCovarianceKernel(panel: ReturnsPanel, correlation: boolean, field = 'returns'): Float64Array {
  const { data, rows, cols } = panel;
  const out = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      let count = 0;
      let mi = 0;
      let mj = 0;
      let firstA = Number.NaN;
      let firstB = Number.NaN;
      let constA = true;
      let constB = true;
      for (let t = 0; t < rows; t++) {
        const a = data[t * cols + i]!;
        const b = data[t * cols + j]!;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        if (count === 0) {
          firstA = a;
          firstB = b;
        } else {
          if (a !== firstA) constA = false;
          if (b !== firstB) constB = false;
        }
        count++;
        mi += a;
        mj += b;
      }
      if (count < 2) {
        throw new CorrelationInputError('TOO_FEW_ROWS', `${field}[*][${i}],${field}[*][${j}]`, count, 'fewer than 2 rows where both assets are present');
      }
      mi = constA ? firstA : mi / count; // constant over the common rows: centre to exact zeros
      mj = constB ? firstB : mj / count;
      let sij = 0;
      let sii = 0;
      let sjj = 0;
      for (let t = 0; t < rows; t++) {
        const a = data[t * cols + i]!;
        const b = data[t * cols + j]!;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        const da = a - mi;
        const db = b - mj;
        sij += da * db;
        sii += da * da;
        sjj += db * db;
      }
      let v: number;
      if (correlation) {
        if (sii === 0 || sjj === 0) {
          const k = sii === 0 ? i : j;
          throw new CorrelationInputError('ZERO_VARIANCE', `${field}[*][${k}]`, 0, 'constant over the common rows: correlation undefined');
        }
        v = i === j ? 1 : Math.max(-1, Math.min(1, sij / Math.sqrt(sii * sjj)));
      } else {
        v = sij / (count - 1);
      }
      out[i * cols + j] = v;
      out[j * cols + i] = v;
    }
  }
  return out;
}

/**
 * Read `returns` per the missing-value policy: the panel to pass to a complete-data kernel, or
 * (pairwise) the panel with its gaps.
 */
export function readPanelForPolicy(returns: ReadonlyArray<ArrayLike<number>>, missing: MissingPolicy): ReturnsPanel {
  if (missing !== 'error' && missing !== 'pairwise' && missing !== 'complete-rows') {
    throw new CorrelationInputError('BAD_OPTION', 'options.missing', missing, "expected 'error', 'pairwise' or 'complete-rows'");
  }
  const panel = readReturnsPanel(returns, missing !== 'error');
  return missing === 'complete-rows' ? dropIncompleteRows(panel) : panel;
}

/**
 * Unbiased (n - 1) sample covariance matrix of `returns` (rows = dates, cols = assets), in squared
 * return units per period. Raises TOO_FEW_ROWS with fewer than 2 (complete) rows. With fewer rows than
 * assets the result is singular (rank <= n - 1) but still returned: use {@link ledoitWolf} then.
 */
export function sampleCovariance(returns: ReadonlyArray<ArrayLike<number>>, options: SampleEstimatorOptions = {}): number[][] {
  const missing = options.missing ?? 'error';
  const panel = readPanelForPolicy(returns, missing);
  if (missing === 'pairwise') return toNestedMatrix(pairwiseCovarianceKernel(panel, false), panel.cols);
  if (panel.rows < 2) throw new CorrelationInputError('TOO_FEW_ROWS', 'returns', panel.rows, 'need at least 2 complete rows');
  return toNestedMatrix(covarianceKernel(panel.data, panel.rows, panel.cols, panel.rows - 1), panel.cols);
}
