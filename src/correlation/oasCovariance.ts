/**
 * Oracle Approximating Shrinkage (Chen, Wiesel, Eldar & Hero 2010, IEEE Trans. Signal Process.
 * 58:5016-5029) as implemented in scikit-learn (`sklearn.covariance.oas`): with S the divisor-n
 * covariance of the demeaned panel, mu = tr(S)/p, alpha = mean(S o S),
 *   s = min( (alpha + mu^2) / ((n + 1)(alpha - mu^2/p)), 1 )   (s = 1 when the denominator is 0),
 *   Sigma = (1 - s) S + s mu I.
 * scikit-learn drops the 2/p terms of the paper's Eq. (23); we follow scikit-learn. One asset: s = 0.
 */
import { CorrelationInputError } from './errors.ts';
import { readReturnsPanel, toNestedMatrix } from './panel.ts';
import { centreColumns, crossProduct, type ShrinkageKernelResult } from './ledoitWolf.ts';

/** OAS shrinkage of a CENTRED panel X (rows x cols). */
export function oasKernel(x: Float64Array, rows: number, cols: number): ShrinkageKernelResult {
  const s = crossProduct(x, rows, cols, rows);
  if (cols === 1) return { covariance: s, shrinkage: 0 };
  let trace = 0;
  for (let i = 0; i < cols; i++) trace += s[i * cols + i]!;
  const mu = trace / cols;
  let sq = 0;
  for (let k = 0; k < cols * cols; k++) sq += s[k]! * s[k]!;
  const alpha = sq / (cols * cols);
  const num = alpha + mu * mu;
  const den = (rows + 1) * (alpha - (mu * mu) / cols);
  const shrinkage = den === 0 ? 1 : Math.min(num / den, 1);
  for (let k = 0; k < cols * cols; k++) s[k] = (1 - shrinkage) * s[k]!;
  for (let i = 0; i < cols; i++) s[i * cols + i] = s[i * cols + i]! + shrinkage * mu;
  return { covariance: s, shrinkage };
}

/** OAS shrunk covariance of `returns` (rows = dates, cols = assets, no gaps, >= 2 rows), divisor n. */
export function oasCovariance(returns: ReadonlyArray<ArrayLike<number>>): { readonly covariance: number[][]; readonly shrinkage: number } {
  const panel = readReturnsPanel(returns, false);
  if (panel.rows < 2) throw new CorrelationInputError('TOO_FEW_ROWS', 'returns', panel.rows, 'need at least 2 rows');
  const x = centreColumns(Float64Array.from(panel.data), panel.rows, panel.cols);
  const r = oasKernel(x, panel.rows, panel.cols);
  return Object.freeze({ covariance: toNestedMatrix(r.covariance, panel.cols), shrinkage: r.shrinkage });
}
