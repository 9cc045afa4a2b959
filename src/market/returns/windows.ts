/**
 * Incident-window treatment of return rows (pure). A row covering the interval `(a, b]` (UTC ms) is in a window
 * `[startMs, endMs]` when `a < endMs` and `b >= startMs`. Treatments, applied window by window:
 * - `exclude`: the row is removed and listed in `excluded` (first excluding window named);
 * - `keep-as-stress`: the row is kept and tagged `stress:<name>`; the window becomes a named stress period;
 * - `downweight`: the row is kept, its weight multiplied by the window's `weight`, tagged `downweighted:<name>`
 *   (and, with `stress: true`, also tagged `stress:<name>` and listed as a stress period).
 * A row removed by `exclude` is removed whatever other window also covers it.
 */
import { MarketInputError } from '../errors.ts';
import type { ExcludedRow, StressPeriod, WindowTreatment } from './types.ts';

/** Validates windows and returns frozen copies; a bad field raises a MarketInputError naming it. */
export function validateWindows(windows: readonly WindowTreatment[]): readonly WindowTreatment[] {
  if (!Array.isArray(windows)) throw new MarketInputError('options.windows', windows, 'expected an array of windows');
  const names = new Set<string>();
  return Object.freeze(windows.map((w, i) => {
    const f = `options.windows[${i}]`;
    if (w === null || typeof w !== 'object') throw new MarketInputError(f, w, 'expected a window object');
    if (typeof w.name !== 'string' || w.name === '') throw new MarketInputError(`${f}.name`, w.name, 'expected a non-empty name');
    if (names.has(w.name)) throw new MarketInputError(`${f}.name`, w.name, 'window names must be unique');
    names.add(w.name);
    if (typeof w.startMs !== 'number' || !Number.isFinite(w.startMs)) throw new MarketInputError(`${f}.startMs`, w.startMs, 'expected epoch milliseconds');
    if (typeof w.endMs !== 'number' || !Number.isFinite(w.endMs) || w.endMs < w.startMs) {
      throw new MarketInputError(`${f}.endMs`, w.endMs, 'expected epoch milliseconds >= startMs');
    }
    if (w.treatment !== 'exclude' && w.treatment !== 'keep-as-stress' && w.treatment !== 'downweight') {
      throw new MarketInputError(`${f}.treatment`, w.treatment, "expected 'exclude', 'keep-as-stress' or 'downweight'");
    }
    if (w.treatment === 'downweight') {
      if (typeof w.weight !== 'number' || !(w.weight >= 0 && w.weight < 1)) {
        throw new MarketInputError(`${f}.weight`, w.weight, 'a downweight window needs a weight in [0, 1)');
      }
      if (w.stress !== undefined && typeof w.stress !== 'boolean') throw new MarketInputError(`${f}.stress`, w.stress, 'expected a boolean');
      return Object.freeze({ name: w.name, startMs: w.startMs, endMs: w.endMs, treatment: w.treatment, weight: w.weight, stress: w.stress === true });
    }
    return Object.freeze({ name: w.name, startMs: w.startMs, endMs: w.endMs, treatment: w.treatment });
  }));
}

/** Rows to treat: dates, covered intervals and the tag lists (extended in place). */
export interface WindowRows {
  readonly dates: readonly string[];
  readonly intervalStart: readonly number[];
  readonly intervalEnd: readonly number[];
  readonly tags: string[][];
}

/** Result of {@link applyWindows}: indices of the rows kept, a weight per input row, removed rows, stress periods. */
export interface WindowResult {
  readonly keep: readonly number[];
  readonly weights: Float64Array;
  readonly excluded: readonly ExcludedRow[];
  readonly stressPeriods: readonly StressPeriod[];
}

/** Is the row interval `(a, b]` overlapping `[s, e]`? */
export function intervalOverlaps(a: number, b: number, s: number, e: number): boolean {
  return a < e && b >= s;
}

/** Applies validated windows to the rows; see the module comment. */
export function applyWindows(rows: WindowRows, windows: readonly WindowTreatment[]): WindowResult {
  const n = rows.dates.length;
  const weights = new Float64Array(n).fill(1);
  const excludedBy: (string | undefined)[] = new Array(n).fill(undefined);
  const inWindow: boolean[][] = windows.map(() => new Array<boolean>(n).fill(false));
  windows.forEach((w, k) => {
    for (let t = 0; t < n; t++) {
      if (!intervalOverlaps(rows.intervalStart[t] as number, rows.intervalEnd[t] as number, w.startMs, w.endMs)) continue;
      (inWindow[k] as boolean[])[t] = true;
      if (w.treatment === 'exclude') {
        if (excludedBy[t] === undefined) excludedBy[t] = w.name;
      } else if (w.treatment === 'keep-as-stress') {
        (rows.tags[t] as string[]).push(`stress:${w.name}`);
      } else {
        weights[t] = (weights[t] as number) * (w.weight as number);
        (rows.tags[t] as string[]).push(`downweighted:${w.name}`);
        if (w.stress === true) (rows.tags[t] as string[]).push(`stress:${w.name}`);
      }
    }
  });
  const keep: number[] = [];
  const excluded: ExcludedRow[] = [];
  for (let t = 0; t < n; t++) {
    const by = excludedBy[t];
    if (by === undefined) keep.push(t);
    else excluded.push(Object.freeze({ date: rows.dates[t] as string, window: by }));
  }
  const stressPeriods: StressPeriod[] = [];
  windows.forEach((w, k) => {
    if (w.treatment !== 'keep-as-stress' && !(w.treatment === 'downweight' && w.stress === true)) return;
    const dates = keep.filter((t) => (inWindow[k] as boolean[])[t]).map((t) => rows.dates[t] as string);
    stressPeriods.push(Object.freeze({ name: w.name, from: dates[0] ?? '', to: dates[dates.length - 1] ?? '', dates: Object.freeze(dates) }));
  });
  return { keep, weights, excluded: Object.freeze(excluded), stressPeriods: Object.freeze(stressPeriods) };
}
