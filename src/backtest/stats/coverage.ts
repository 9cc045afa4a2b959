/**
 * The margin coverage ratio of a CCP-style backtest (methods.md §6.5): the share of days on which the margin
 * held at the close of day t covered the loss realised over the margin period of risk (MPOR) that follows.
 *   coverage = #{t : margin_t >= loss_t} / N,  loss_t = -pnl_t  (pnl positive = gain),
 * an exception being loss_t > margin_t (strictly). The exception count is then tested like VaR exceptions
 * (`kupiec`, `trafficLight` with coverage = the margin's confidence, e.g. 0.995). With an MPOR of h > 1 days
 * consecutive windows overlap, so exceptions cluster by construction: read Christoffersen's independence test
 * with care, or test a non-overlapping subsample (`nonOverlapping`).
 */
import { BacktestInputError } from './errors.ts';

/** Daily inputs of the coverage ratio, aligned by day t. */
export interface CoverageInput {
  /** Margin held at the close of day t (money, >= 0); NaN = not available (the day is skipped). */
  readonly margin: ArrayLike<number>;
  /** Realised P&L over the MPOR after the close of day t (money, positive = gain); NaN = not available. */
  readonly pnl: ArrayLike<number>;
}

/** The result of {@link coverageRatio}. */
export interface CoverageResult {
  /** Days with both margin and P&L available. */
  readonly n: number;
  /** Days skipped because either value was NaN. */
  readonly skipped: number;
  /** Days with loss > margin. */
  readonly exceptions: number;
  /** (n - exceptions) / n; NaN when n = 0. */
  readonly ratio: number;
  /** The exception flags of the evaluated days in order (feed to `kupiec`, `christoffersen`, `trafficLight`). */
  readonly series: readonly boolean[];
  /** Input index of each evaluated day (same order as `series`). */
  readonly days: readonly number[];
  /** The largest shortfall loss - margin over the exceptions (money) and its input index; null without exceptions. */
  readonly largestShortfall: { readonly value: number; readonly day: number } | null;
  /** The mean shortfall over the exception days (money); NaN without exceptions. */
  readonly meanShortfall: number;
}

function readNumber(values: ArrayLike<number>, i: number, field: string): number {
  const v = values[i] as unknown;
  if (typeof v !== 'number' || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
    throw new BacktestInputError(`${field}[${i}]`, v, 'must be a finite number or NaN (missing)');
  }
  return v;
}

/**
 * The coverage ratio of margins against realised MPOR losses (see the module note).
 * @throws BacktestInputError for mismatched lengths, infinite or non-numeric values, or a negative margin.
 */
export function coverageRatio(input: CoverageInput): CoverageResult {
  const { margin, pnl } = input;
  if (margin === null || typeof margin !== 'object' || typeof margin.length !== 'number') throw new BacktestInputError('margin', margin, 'must be an array of numbers');
  if (pnl === null || typeof pnl !== 'object' || typeof pnl.length !== 'number') throw new BacktestInputError('pnl', pnl, 'must be an array of numbers');
  if (pnl.length !== margin.length) throw new BacktestInputError('pnl.length', pnl.length, `must equal margin.length = ${margin.length}`);
  const series: boolean[] = [];
  const days: number[] = [];
  let exceptions = 0;
  let skipped = 0;
  let shortfallSum = 0;
  let largest: { value: number; day: number } | null = null;
  for (let t = 0; t < margin.length; t++) {
    const m = readNumber(margin, t, 'margin');
    const x = readNumber(pnl, t, 'pnl');
    if (m < 0) throw new BacktestInputError(`margin[${t}]`, m, 'must be non-negative');
    if (Number.isNaN(m) || Number.isNaN(x)) {
      skipped++;
      continue;
    }
    const shortfall = -x - m;
    const exception = shortfall > 0;
    series.push(exception);
    days.push(t);
    if (exception) {
      exceptions++;
      shortfallSum += shortfall;
      if (largest === null || shortfall > largest.value) largest = { value: shortfall, day: t };
    }
  }
  const n = series.length;
  return Object.freeze({
    n,
    skipped,
    exceptions,
    ratio: n === 0 ? Number.NaN : (n - exceptions) / n,
    series: Object.freeze(series),
    days: Object.freeze(days),
    largestShortfall: largest === null ? null : Object.freeze(largest),
    meanShortfall: exceptions === 0 ? Number.NaN : shortfallSum / exceptions,
  });
}

/**
 * The realised P&L over the `horizon` days after each close: out[t] = dailyPnl[t+1] + ... + dailyPnl[t+horizon],
 * where dailyPnl[t] is the P&L of day t (close t-1 to close t), for t = 0 .. n - horizon - 1 (so out has
 * n - horizon entries, none if n <= horizon). This is the loss the margin set at close t must cover with an
 * MPOR of `horizon` days. A window containing NaN gives NaN. Money, positive = gain.
 * @throws BacktestInputError unless horizon is a positive integer.
 */
export function forwardPnl(dailyPnl: ArrayLike<number>, horizon: number): Float64Array {
  if (!Number.isSafeInteger(horizon) || horizon < 1) throw new BacktestInputError('horizon', horizon, 'must be a positive integer (days)');
  const count = Math.max(0, dailyPnl.length - horizon);
  const out = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    let sum = 0;
    for (let k = 1; k <= horizon; k++) sum += dailyPnl[t + k] as number;
    out[t] = sum;
  }
  return out;
}

/**
 * Every `step`-th element from `offset`: values[offset], values[offset + step], ... — a non-overlapping
 * subsample of MPOR-window exceptions when step = the MPOR, so consecutive entries share no day.
 * @throws BacktestInputError unless step is a positive integer and offset an integer in [0, step).
 */
export function nonOverlapping<T>(values: ArrayLike<T>, step: number, offset = 0): T[] {
  if (!Number.isSafeInteger(step) || step < 1) throw new BacktestInputError('step', step, 'must be a positive integer');
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= step) throw new BacktestInputError('offset', offset, `must be an integer in [0, ${step})`);
  const out: T[] = [];
  for (let i = offset; i < values.length; i += step) out.push(values[i] as T);
  return out;
}
