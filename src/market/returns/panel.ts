/**
 * Views and selections over a returns panel (pure): row views for the correlation layer (which takes rows of
 * `ArrayLike<number>`), column subsets, and the rows of named dates.
 */
import { MarketInputError } from '../errors.ts';
import type { ReturnsPanel } from './types.ts';

/** Row views (`Float64Array.subarray`, no copy) of the panel's returns: rows = dates, columns = assets. */
export function returnRows(panel: ReturnsPanel): Float64Array[] {
  const cols = panel.assets.length;
  return panel.dates.map((_, t) => panel.returns.subarray(t * cols, (t + 1) * cols));
}

/** The returns as `number[][]` (rows = dates, columns = assets), the public-API matrix form. */
export function returnsMatrix(panel: ReturnsPanel): number[][] {
  return returnRows(panel).map((r) => Array.from(r));
}

/** A new panel with the columns of `assets` (in that order); dates, weights and tags unchanged. */
export function selectAssets(panel: ReturnsPanel, assets: readonly string[]): ReturnsPanel {
  const cols = panel.assets.length;
  const idx = assets.map((a, k) => {
    const j = panel.assets.indexOf(a);
    if (j < 0) throw new MarketInputError(`assets[${k}]`, a, 'not a column of the panel');
    return j;
  });
  const rows = panel.dates.length;
  const out = new Float64Array(rows * idx.length);
  for (let t = 0; t < rows; t++) for (let k = 0; k < idx.length; k++) out[t * idx.length + k] = panel.returns[t * cols + (idx[k] as number)] as number;
  return Object.freeze({ dates: panel.dates, assets: Object.freeze([...assets]), returns: out, weights: panel.weights, tags: panel.tags });
}

/**
 * Builds a panel from plain data (rows = dates oldest first); weights default to 1 and tags to none.
 * @throws MarketInputError when shapes disagree or dates are not strictly ascending.
 */
export function createReturnsPanel(input: {
  readonly dates: readonly string[];
  readonly assets: readonly string[];
  readonly returns: ReadonlyArray<ArrayLike<number>>;
  readonly weights?: ArrayLike<number>;
  readonly tags?: readonly (readonly string[])[];
}): ReturnsPanel {
  const rows = input.dates.length;
  const cols = input.assets.length;
  if (input.returns.length !== rows) throw new MarketInputError('returns', input.returns.length, `expected ${rows} rows (one per date)`);
  for (let t = 1; t < rows; t++) {
    if (!((input.dates[t] as string) > (input.dates[t - 1] as string))) throw new MarketInputError(`dates[${t}]`, input.dates[t], 'dates must be strictly ascending');
  }
  const returns = new Float64Array(rows * cols);
  input.returns.forEach((r, t) => {
    if (r.length !== cols) throw new MarketInputError(`returns[${t}]`, r.length, `expected ${cols} columns (one per asset)`);
    for (let j = 0; j < cols; j++) returns[t * cols + j] = r[j] as number;
  });
  const weights = new Float64Array(rows).fill(1);
  if (input.weights !== undefined) {
    if (input.weights.length !== rows) throw new MarketInputError('weights', input.weights.length, `expected ${rows} weights`);
    for (let t = 0; t < rows; t++) weights[t] = input.weights[t] as number;
  }
  const tags = input.tags ?? input.dates.map(() => Object.freeze([] as string[]));
  if (tags.length !== rows) throw new MarketInputError('tags', tags.length, `expected ${rows} tag lists`);
  return Object.freeze({ dates: Object.freeze([...input.dates]), assets: Object.freeze([...input.assets]), returns, weights, tags: Object.freeze(tags.map((x) => Object.freeze([...x]))) });
}
