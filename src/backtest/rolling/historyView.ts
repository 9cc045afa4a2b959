/**
 * The read-only history handed to a margin model (pure): rows up to and including t, copied out of the panel so
 * that nothing after t is reachable from the view (a `subarray` would expose the whole buffer).
 */
import type { ReturnsPanel } from '../../market/index.ts';
import { BacktestInputError } from '../stats/index.ts';
import type { HistoryView } from './types.ts';

/**
 * The view of `panel` ending at row `endIndex` (= t): its last `lookbackRows` rows (all rows from 0 when
 * undefined or larger than t + 1). Returns and weights are copies, dates and tags fresh slices (of the panel's
 * frozen tag lists), so nothing after t is reachable and nothing the model writes reaches the panel. The slices
 * are not frozen (freezing long arrays per date costs more than the margin).
 * @throws BacktestInputError for an end row outside the panel or a bad lookback.
 */
export function historyView(panel: ReturnsPanel, endIndex: number, lookbackRows?: number): HistoryView {
  const total = panel.dates.length;
  if (!Number.isSafeInteger(endIndex) || endIndex < 0 || endIndex >= total) {
    throw new BacktestInputError('endIndex', endIndex, `must be a row of the panel (0..${total - 1})`);
  }
  if (lookbackRows !== undefined && (!Number.isSafeInteger(lookbackRows) || lookbackRows < 1)) {
    throw new BacktestInputError('lookbackRows', lookbackRows, 'must be a positive integer (rows)');
  }
  const start = lookbackRows === undefined ? 0 : Math.max(0, endIndex - lookbackRows + 1);
  const cols = panel.assets.length;
  const rows = endIndex - start + 1;
  return Object.freeze({
    endIndex,
    startIndex: start,
    rows,
    dates: panel.dates.slice(start, endIndex + 1),
    asOf: panel.dates[endIndex] as string,
    assets: panel.assets,
    returns: panel.returns.slice(start * cols, (endIndex + 1) * cols),
    weights: panel.weights.slice(start, endIndex + 1),
    tags: panel.tags.slice(start, endIndex + 1),
  });
}
