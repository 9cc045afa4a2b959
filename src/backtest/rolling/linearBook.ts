/**
 * The linear (delta-equivalent) book of the backtest (pure, USD; see `LinearBook` in ./types.ts): exposures
 * aligned with a panel's columns, the P&L of a vector of log moves, and the realised P&L over the MPOR.
 */
import { BacktestInputError } from '../stats/index.ts';
import type { LinearBook } from './types.ts';

/**
 * The book's exposures as a Float64Array aligned with `assets` (0 where the book has none).
 * @throws BacktestInputError for a missing name, an underlying not in `assets`, or a non-finite exposure.
 */
export function bookExposures(book: LinearBook, assets: readonly string[]): Float64Array {
  if (book === null || typeof book !== 'object' || typeof book.name !== 'string' || book.name === '') {
    throw new BacktestInputError('book.name', (book as { name?: unknown } | null)?.name, 'expected a named book');
  }
  if (book.exposuresUsd === null || typeof book.exposuresUsd !== 'object') throw new BacktestInputError('book.exposuresUsd', book.exposuresUsd, 'expected { underlying: USD }');
  const out = new Float64Array(assets.length);
  for (const [u, e] of Object.entries(book.exposuresUsd)) {
    const j = assets.indexOf(u);
    if (j < 0) throw new BacktestInputError(`book.exposuresUsd.${u}`, e, 'underlying not in the returns panel');
    if (typeof e !== 'number' || !Number.isFinite(e)) throw new BacktestInputError(`book.exposuresUsd.${u}`, e, 'expected a finite USD exposure');
    out[j] = e;
  }
  return out;
}

/** P&L (USD) of exposures `e` for log moves `moves[offset + j]` (j = 0..e.length-1): sum_j e_j expm1(move_j). */
export function linearPnl(e: Float64Array, moves: ArrayLike<number>, offset = 0): number {
  let s = 0;
  for (let j = 0; j < e.length; j++) {
    const x = e[j] as number;
    if (x !== 0) s += x * Math.expm1(moves[offset + j] as number);
  }
  return s;
}

/**
 * Realised P&L over the MPOR after each row's close, exposures fixed at t: out[t] = sum_j e_j expm1(sum of
 * returns[t+1..t+h][j]) for t + h <= last row, NaN after (not enough history) or when a needed cell is NaN. Only
 * assets with a non-zero exposure are read. `returns` row-major rows x e.length.
 */
export function realisedMporPnl(returns: Float64Array, rows: number, e: Float64Array, mporDays: number, out?: Float64Array): Float64Array {
  if (!Number.isSafeInteger(mporDays) || mporDays < 1) throw new BacktestInputError('mporDays', mporDays, 'must be a positive integer (rows)');
  const cols = e.length;
  const result = out ?? new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    if (t + mporDays > rows - 1) {
      result[t] = Number.NaN;
      continue;
    }
    let pnl = 0;
    for (let j = 0; j < cols; j++) {
      const x = e[j] as number;
      if (x === 0) continue;
      let s = 0;
      for (let k = 1; k <= mporDays; k++) s += returns[(t + k) * cols + j] as number;
      pnl += x * Math.expm1(s);
    }
    result[t] = pnl;
  }
  return result;
}
