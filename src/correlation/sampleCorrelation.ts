/**
 * Sample (Pearson) correlation of a returns panel: the {@link sampleCovariance} scaled to unit
 * diagonal (the n - 1 divisors cancel). Diagonal exactly 1; off-diagonal clamped to [-1, 1] against
 * rounding. A constant column has no correlation: ZERO_VARIANCE error naming the column.
 */
import { CorrelationInputError } from './errors.ts';
import { toNestedMatrix } from './panel.ts';
import { covarianceKernel, pairwiseCovarianceKernel, readPanelForPolicy, type SampleEstimatorOptions } from './sampleCovariance.ts';
import { correlationFromCovarianceKernel } from './convertCovariance.ts';

/** Sample correlation matrix of `returns` (rows = dates, cols = assets); see {@link sampleCovariance} for gaps. */
export function sampleCorrelation(returns: ReadonlyArray<ArrayLike<number>>, options: SampleEstimatorOptions = {}): number[][] {
  const missing = options.missing ?? 'error';
  const panel = readPanelForPolicy(returns, missing);
  if (missing === 'pairwise') return toNestedMatrix(pairwiseCovarianceKernel(panel, true), panel.cols);
  if (panel.rows < 2) throw new CorrelationInputError('TOO_FEW_ROWS', 'returns', panel.rows, 'need at least 2 complete rows');
  const cov = covarianceKernel(panel.data, panel.rows, panel.cols, panel.rows - 1);
  return toNestedMatrix(correlationFromCovarianceKernel(cov, panel.cols, 'returns[*]'), panel.cols);
}
