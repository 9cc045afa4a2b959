/**
 * One P&L abstraction over both kinds of backtest book (pure, USD, P&L positive = gain; moves are LOG returns):
 * `bookPnl(book, assets)` gives a {@link BookPnl} aligned with a panel's columns, built once per run, that the
 * runner and the margin models evaluate in their per-scenario loops without allocating.
 *
 * - linear book: column j's P&L for a log move m is E_j expm1(m) (exactly the arithmetic of ./linearBook.ts);
 * - response book: R_j(expm1(m)), R_j the piecewise-linear interpolation of the grid, evaluated as
 *   a_k + b_k r on the segment k holding r (b_k the segment's slope, a_k its value at r = 0), the end segments
 *   extended beyond the grid. The segment is found in O(1): a table over uniform bins no wider than the shortest
 *   segment (at most 2^16 bins) gives the segment at the bin's start, then a step or two forward (or back, against
 *   rounding) lands on the largest k with x_k <= r. A two-point grid [-1, 1] -> [-E, E] has b = E and a = 0
 *   exactly, so it reproduces the linear book to the last bit.
 */
import { BacktestInputError } from '../stats/index.ts';
import { bookExposures } from './linearBook.ts';
import { isResponseBook, validateResponseBook } from './responseBook.ts';
import type { BacktestBook, BookPnl, ResponseBook } from './types.ts';

/** Most bins of a segment table (a grid with a very short segment gets coarser bins and a longer walk). */
const MAX_BINS = 1 << 16;

/** Largest k in [0, x.length - 2] with x[k] <= r (0 when r < x[0] or r is NaN). x ascending, length >= 2. */
function segmentOf(x: Float64Array, r: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((x[mid] as number) <= r) lo = mid;
    else hi = mid;
  }
  return lo;
}

class LinearBookPnl implements BookPnl {
  readonly kind = 'linear' as const;
  readonly columns: Int32Array;
  constructor(readonly assets: readonly string[], readonly exposuresUsd: Float64Array) {
    const cols: number[] = [];
    for (let j = 0; j < exposuresUsd.length; j++) if ((exposuresUsd[j] as number) !== 0) cols.push(j);
    this.columns = Int32Array.from(cols);
  }

  columnPnl(j: number, logMove: number): number {
    const e = this.exposuresUsd[j] as number;
    return e === 0 ? 0 : e * Math.expm1(logMove);
  }

  pnlOfMoves(moves: ArrayLike<number>, offset = 0): number {
    let s = 0;
    const c = this.columns;
    for (let k = 0; k < c.length; k++) {
      const j = c[k] as number;
      s += (this.exposuresUsd[j] as number) * Math.expm1(moves[offset + j] as number);
    }
    return s;
  }
}

/** One underlying's interpolant: nodes x, per segment k the intercept a_k and slope b_k, the bin table. */
class GridResponse {
  readonly x: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** The slope at 0: the segment's holding 0, or the mean of the two adjacent slopes when 0 is a node. */
  readonly slopeAtZero: number;
  private readonly x0: number;
  private readonly xLast: number;
  private readonly lastSegment: number;
  /** Segment holding the start of each uniform bin, and 1 / bin width. */
  private readonly table: Int32Array;
  private readonly inverseWidth: number;

  constructor(returns: ArrayLike<number>, pnl: ArrayLike<number>) {
    const x = Float64Array.from(returns);
    const last = x.length - 1;
    const a = new Float64Array(last);
    const b = new Float64Array(last);
    let shortest = Number.POSITIVE_INFINITY;
    for (let k = 0; k < last; k++) {
      const dx = (x[k + 1] as number) - (x[k] as number);
      const slope = ((pnl[k + 1] as number) - (pnl[k] as number)) / dx;
      b[k] = slope;
      a[k] = (pnl[k] as number) - slope * (x[k] as number);
      shortest = Math.min(shortest, dx);
    }
    const x0 = x[0] as number;
    const range = (x[last] as number) - x0;
    const count = Math.max(1, Math.min(MAX_BINS, Math.ceil(range / shortest)));
    const table = new Int32Array(count);
    for (let i = 0, k = 0; i < count; i++) {
      const binStart = x0 + (i * range) / count;
      while (k < last - 1 && (x[k + 1] as number) <= binStart) k++;
      table[i] = k;
    }
    this.x = x;
    this.a = a;
    this.b = b;
    this.x0 = x0;
    this.xLast = x[last] as number;
    this.lastSegment = last - 1;
    this.table = table;
    this.inverseWidth = count / range;
    const k0 = segmentOf(x, 0);
    this.slopeAtZero = x[k0] === 0 && k0 > 0 ? ((b[k0 - 1] as number) + (b[k0] as number)) / 2 : (b[k0] as number);
  }

  /** Largest k in [0, x.length - 2] with x[k] <= r (0 below the grid or for NaN, the last segment above it). */
  segment(r: number): number {
    if (!(r > this.x0)) return 0;
    if (r >= this.xLast) return this.lastSegment;
    const x = this.x;
    const bin = Math.min(this.table.length - 1, Math.floor((r - this.x0) * this.inverseWidth));
    let k = this.table[bin] as number;
    k += (x[k + 1] as number) <= r ? 1 : 0; // bins are no wider than a segment: at most one step, branch-free
    while ((x[k + 1] as number) <= r) k++; // only when the table was capped at MAX_BINS
    while ((x[k] as number) > r) k--; // only against rounding of the bin index
    return k;
  }

  /** R(r) for the simple return r. */
  at(r: number): number {
    const k = this.segment(r);
    return (this.a[k] as number) + (this.b[k] as number) * r;
  }
}

class ResponseBookPnl implements BookPnl {
  readonly kind = 'response' as const;
  readonly columns: Int32Array;
  readonly exposuresUsd: Float64Array;
  /** Per panel column: its interpolant, null for columns outside the book. */
  private readonly grids: (GridResponse | null)[];

  constructor(readonly assets: readonly string[], book: ResponseBook) {
    const n = assets.length;
    this.grids = Array.from({ length: n }, () => null);
    this.exposuresUsd = new Float64Array(n);
    const cols: number[] = [];
    for (const [u, r] of Object.entries(book.responses)) {
      const j = assets.indexOf(u);
      const g = new GridResponse(r.returns, r.pnlUsd);
      this.grids[j] = g;
      this.exposuresUsd[j] = g.slopeAtZero;
      cols.push(j);
    }
    this.columns = Int32Array.from(cols.sort((p, q) => p - q));
  }

  columnPnl(j: number, logMove: number): number {
    const g = this.grids[j];
    return g === null || g === undefined ? 0 : g.at(Math.expm1(logMove));
  }

  pnlOfMoves(moves: ArrayLike<number>, offset = 0): number {
    let s = 0;
    const c = this.columns;
    for (let k = 0; k < c.length; k++) {
      const j = c[k] as number;
      s += this.columnPnl(j, moves[offset + j] as number);
    }
    return s;
  }
}

/**
 * The P&L function of `book` aligned with `assets` (the panel's columns); see the module comment.
 * @throws BacktestInputError naming the field (`book.responses.BTC.returns[3]`, `book.exposuresUsd.XRP`) for an
 *   invalid book or an underlying not in `assets`.
 */
export function bookPnl(book: BacktestBook, assets: readonly string[]): BookPnl {
  if (book === null || typeof book !== 'object') throw new BacktestInputError('book', book, 'expected a LinearBook or a ResponseBook');
  if (!isResponseBook(book)) return Object.freeze(new LinearBookPnl(assets, bookExposures(book, assets)));
  const v = validateResponseBook(book, assets);
  if (!v.ok) {
    const first = v.errors[0];
    const all = v.errors.map((e) => `${e.path}: ${e.reason}`).join('; ');
    throw new BacktestInputError(`book${first?.path ? `.${first.path}` : ''}`, book.name, `invalid response book (${all})`);
  }
  return Object.freeze(new ResponseBookPnl(assets, v.value));
}

/** The linear book of exposures `e` aligned with `assets` (for contexts built without a BookPnl). */
export function linearBookPnl(e: Float64Array, assets: readonly string[]): BookPnl {
  return Object.freeze(new LinearBookPnl(assets, e));
}

/**
 * Realised P&L over the MPOR after each row's close with the book of t: out[t] = sum over `book.columns` of
 * columnPnl(j, returns[t+1][j] + ... + returns[t+h][j]) for t + h <= last row; NaN after (not enough history) or
 * when a needed cell is NaN. For a linear book this is `realisedMporPnl` to the bit. `returns` row-major
 * rows x book.assets.length.
 */
export function realisedBookPnl(returns: Float64Array, rows: number, book: BookPnl, mporDays: number, out?: Float64Array): Float64Array {
  if (!Number.isSafeInteger(mporDays) || mporDays < 1) throw new BacktestInputError('mporDays', mporDays, 'must be a positive integer (rows)');
  const cols = book.assets.length;
  const c = book.columns;
  const result = out ?? new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    if (t + mporDays > rows - 1) {
      result[t] = Number.NaN;
      continue;
    }
    let pnl = 0;
    for (let k = 0; k < c.length; k++) {
      const j = c[k] as number;
      let s = 0;
      for (let d = 1; d <= mporDays; d++) s += returns[(t + d) * cols + j] as number;
      pnl += book.columnPnl(j, s);
    }
    result[t] = pnl;
  }
  return result;
}
