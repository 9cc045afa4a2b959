/**
 * Row selection inside a history view (pure), shared by the backtest margin models: rows kept after a
 * calibration's exclusions, and the rows of stress periods seen so far.
 */
import type { NamedPeriod } from '../../scenarios/index.ts';
import type { HistoryView } from './types.ts';

/**
 * Which rows count as stress observations: rows tagged `stress:<name>` by the returns alignment (an incident window
 * kept as stress, `tagged: true`) and rows whose date falls in one of `periods` (inclusive). Only rows of the view
 * (dates <= t) can match, so a period is used only once it has happened.
 */
export interface StressSelection {
  readonly tagged?: boolean;
  readonly periods?: readonly NamedPeriod[];
}

/** View rows (indices into the view) without any of `excludeTags`, ascending. */
export function keptRows(view: HistoryView, excludeTags: readonly string[] | undefined): Int32Array {
  if (excludeTags === undefined || excludeTags.length === 0) {
    const all = new Int32Array(view.rows);
    for (let i = 0; i < view.rows; i++) all[i] = i;
    return all;
  }
  const out: number[] = [];
  for (let i = 0; i < view.rows; i++) {
    const tags = view.tags[i] ?? [];
    if (!tags.some((t) => excludeTags.includes(t))) out.push(i);
  }
  return Int32Array.from(out);
}

/** True when view row `i` is a stress observation under `stress`. */
export function isStressRow(view: HistoryView, i: number, stress: StressSelection | undefined): boolean {
  if (stress === undefined) return false;
  if (stress.tagged === true && (view.tags[i] ?? []).some((t) => t.startsWith('stress:'))) return true;
  const d = view.dates[i] as string;
  return (stress.periods ?? []).some((p) => d >= p.from && d <= p.to);
}

/** First index i in [lo, n) with dates[i] >= d (dates ascending). */
function lowerBound(dates: readonly string[], d: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as string) < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Flags (1 = stress) of every view row under `stress`: tagged rows by one pass over the tags, named periods by
 * binary search on the ascending dates (cost O(rows + periods x log rows)).
 */
export function stressRowFlags(view: HistoryView, stress: StressSelection | undefined): Uint8Array {
  const flags = new Uint8Array(view.rows);
  if (stress === undefined) return flags;
  if (stress.tagged === true) {
    for (let i = 0; i < view.rows; i++) {
      const tags = view.tags[i];
      if (tags !== undefined && tags.length > 0 && tags.some((t) => t.startsWith('stress:'))) flags[i] = 1;
    }
  }
  for (const p of stress.periods ?? []) {
    for (let i = lowerBound(view.dates, p.from); i < view.rows && (view.dates[i] as string) <= p.to; i++) flags[i] = 1;
  }
  return flags;
}

/** Returns of `rows` (view row indices) copied into a new row-major matrix rows.length x view.assets.length. */
export function gatherRows(view: HistoryView, rows: Int32Array): Float64Array {
  const cols = view.assets.length;
  const out = new Float64Array(rows.length * cols);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    for (let j = 0; j < cols; j++) out[k * cols + j] = view.returns[i * cols + j] as number;
  }
  return out;
}
