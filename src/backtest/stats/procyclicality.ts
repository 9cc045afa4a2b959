/**
 * Procyclicality metrics of a margin time series (EMIR RTS 153/2013 Art. 28 and ESMA's anti-procyclicality
 * guidance ask CCPs to measure how much and how fast margins rise in stress):
 * - peak-to-trough ratio: max_t margin_t / min_t margin_t over the whole series (null when the trough is 0);
 * - largest h-day increase for each horizon h (default 1, 5 and 30): over all windows (t, t + h) of
 *   observations (the series' own steps, i.e. days for a daily series; calendar gaps are not filled),
 *   absolute = max_t (margin_{t+h} - margin_t) (money) and relative = max_t (margin_{t+h} / margin_t - 1)
 *   over windows with margin_t > 0. Reported even when negative (the margin never rose over that horizon).
 * NaN entries (missing margins) are skipped: they are neither peak nor trough, and windows with a NaN end are
 * left out. A horizon with no complete window gives null.
 */
import { BacktestInputError } from './errors.ts';

/** A change of the margin between two observations. */
export interface MarginChange {
  /** The change: money for `absolute`, a fraction (0.5 = +50 %) for `relative`. */
  readonly value: number;
  /** Index of the window's first observation. */
  readonly start: number;
  /** Index of its last observation (start + horizon). */
  readonly end: number;
}

/** The largest increase over one horizon. */
export interface HorizonIncrease {
  /** Horizon in observations. */
  readonly horizon: number;
  readonly absolute: MarginChange | null;
  readonly relative: MarginChange | null;
}

/** The result of {@link procyclicality}. */
export interface ProcyclicalityResult {
  /** Number of non-NaN margins. */
  readonly n: number;
  /** Largest margin and its (first) index; null for an all-NaN series. */
  readonly peak: { readonly value: number; readonly index: number } | null;
  /** Smallest margin and its (first) index; null for an all-NaN series. */
  readonly trough: { readonly value: number; readonly index: number } | null;
  /** peak / trough; null when the trough is 0 or there is no margin. */
  readonly peakToTroughRatio: number | null;
  readonly increases: readonly HorizonIncrease[];
}

/** The default horizons: 1, 5 and 30 observations. */
export const DEFAULT_PROCYCLICALITY_HORIZONS: readonly number[] = Object.freeze([1, 5, 30]);

function largestIncrease(margin: Float64Array, horizon: number): HorizonIncrease {
  let absolute: MarginChange | null = null;
  let relative: MarginChange | null = null;
  for (let start = 0; start + horizon < margin.length; start++) {
    const a = margin[start] as number;
    const b = margin[start + horizon] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    const change = b - a;
    if (absolute === null || change > absolute.value) absolute = { value: change, start, end: start + horizon };
    if (a > 0) {
      const rel = b / a - 1;
      if (relative === null || rel > relative.value) relative = { value: rel, start, end: start + horizon };
    }
  }
  return Object.freeze({
    horizon,
    absolute: absolute === null ? null : Object.freeze(absolute),
    relative: relative === null ? null : Object.freeze(relative),
  });
}

/**
 * Peak-to-trough ratio and largest h-day increases of a margin series (see the module note).
 * @param margin margins in time order (money, >= 0; NaN = missing)
 * @param horizons positive integers (default 1, 5, 30)
 * @throws BacktestInputError for a negative or infinite margin, or a bad horizon.
 */
export function procyclicality(margin: ArrayLike<number>, horizons: readonly number[] = DEFAULT_PROCYCLICALITY_HORIZONS): ProcyclicalityResult {
  if (margin === null || typeof margin !== 'object' || typeof margin.length !== 'number') throw new BacktestInputError('margin', margin, 'must be an array of numbers');
  const values = new Float64Array(margin.length);
  let n = 0;
  let peak: { value: number; index: number } | null = null;
  let trough: { value: number; index: number } | null = null;
  for (let i = 0; i < margin.length; i++) {
    const v = margin[i] as unknown;
    if (typeof v !== 'number' || v < 0 || v === Number.POSITIVE_INFINITY) throw new BacktestInputError(`margin[${i}]`, v, 'must be a non-negative finite number or NaN');
    values[i] = v;
    if (Number.isNaN(v)) continue;
    n++;
    if (peak === null || v > peak.value) peak = { value: v, index: i };
    if (trough === null || v < trough.value) trough = { value: v, index: i };
  }
  horizons.forEach((h, i) => {
    if (!Number.isSafeInteger(h) || h < 1) throw new BacktestInputError(`horizons[${i}]`, h, 'must be a positive integer');
  });
  return Object.freeze({
    n,
    peak: peak === null ? null : Object.freeze(peak),
    trough: trough === null ? null : Object.freeze(trough),
    peakToTroughRatio: peak === null || trough === null || trough.value === 0 ? null : peak.value / trough.value,
    increases: Object.freeze(horizons.map((h) => largestIncrease(values, h))),
  });
}
