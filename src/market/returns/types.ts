/**
 * Types of the aligned-returns panel (pure data). Conventions:
 * - a return row is dated by the later close: the log return on date `D` is `ln(close(D) / close(D'))` where `D'`
 *   is the previous date of the aligned calendar; with daily UTC closes it covers the interval
 *   `(close time of D', close time of D]` = `(D' + 1 day 00:00Z, D + 1 day 00:00Z]` (a daily close is the last
 *   trade of its UTC day, i.e. the instant of the next midnight);
 * - returns are natural-log returns per row, not annualised; `spanDays[t]` says how many calendar days row `t`
 *   covers (1 on a contiguous calendar, more after a day missing for every asset);
 * - matrices are row-major `Float64Array` (rows = dates oldest first, columns = `assets`).
 */

/** What to do with a row where some asset has no return (its price is missing on the date or the date before). */
export type GapPolicy = 'drop-row' | 'keep-nan';

/** What to do with a row that spans more than one calendar day because a date is missing for every asset. */
export type CalendarGapPolicy = 'keep' | 'drop-row';

/** How an incident window's rows are treated (DESIGN.md §4; `models/incident-policy`). */
export type WindowTreatmentKind = 'exclude' | 'keep-as-stress' | 'downweight';

/**
 * A named window of time and its treatment. A row is in the window when the interval it covers overlaps
 * `[startMs, endMs]` (both inclusive).
 */
export interface WindowTreatment {
  /** Name of the window (e.g. the incident id `2026-02-05-drawdown`); stress tags are `stress:<name>`. */
  readonly name: string;
  /** Window start, UTC epoch ms. */
  readonly startMs: number;
  /** Window end, UTC epoch ms (>= startMs). */
  readonly endMs: number;
  /** `exclude`: rows removed and recorded; `keep-as-stress`: kept and tagged `stress:<name>`;
   * `downweight`: kept with weight `weight` (and tagged `downweighted:<name>`). */
  readonly treatment: WindowTreatmentKind;
  /** Observation weight of the rows in the window for `downweight`, in [0, 1). Ignored otherwise. */
  readonly weight?: number;
  /** With `downweight`: also tag the rows `stress:<name>` and list the window as a stress period. */
  readonly stress?: boolean;
}

/** One gap found while aligning. Nothing is forward-filled: a gap is either a dropped row or a NaN cell. */
export interface ReturnGap {
  /**
   * - `missing-price`: inside the asset's own date range, the close of `date` (or of the previous aligned date)
   *   is missing, so the asset has no return on `date`;
   * - `outside-coverage`: the asset's series starts after (or ends before) the row; one entry per asset and
   *   contiguous range (`date` .. `toDate`, `rows` rows);
   * - `calendar`: every asset misses the dates between the previous aligned date and `date`; the row's returns
   *   span `spanDays` days.
   */
  readonly kind: 'missing-price' | 'outside-coverage' | 'calendar';
  /** First return date concerned (`YYYY-MM-DD`). */
  readonly date: string;
  /** Last return date concerned (equal to `date` except for `outside-coverage`). */
  readonly toDate: string;
  /** Number of return rows concerned. */
  readonly rows: number;
  /** Assets without a return on those rows (every aligned asset for `calendar`). */
  readonly assets: readonly string[];
  /** Calendar days the row covers (`calendar` only). */
  readonly spanDays?: number;
  /** What was done: rows dropped, NaN cells kept, or (calendar) the multi-day row kept. */
  readonly action: 'dropped' | 'kept-nan' | 'kept-span';
}

/** A row removed by an `exclude` window. */
export interface ExcludedRow {
  readonly date: string;
  /** Name of the window that removed it. */
  readonly window: string;
}

/** A named stress period: the dates of the kept rows of a `keep-as-stress` window. */
export interface StressPeriod {
  readonly name: string;
  /** First and last return date of the period (`YYYY-MM-DD`). */
  readonly from: string;
  readonly to: string;
  /** Return dates in the period, ascending. */
  readonly dates: readonly string[];
}

/** An asset's price coverage (first and last close date, number of closes). */
export interface AssetCoverage {
  readonly asset: string;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly closes: number;
}

/**
 * A returns panel: the minimal shape scenario generators need. `returns[t * assets.length + j]` is the log return
 * of `assets[j]` on `dates[t]`.
 */
export interface ReturnsPanel {
  /** Return dates `YYYY-MM-DD`, strictly ascending. */
  readonly dates: readonly string[];
  /** Asset codes, the column order. */
  readonly assets: readonly string[];
  /** Log returns, row-major, length `dates.length * assets.length`; NaN only under `gaps: 'keep-nan'`. */
  readonly returns: Float64Array;
  /** Observation weight per row (1 by default; the `downweight` weight inside such windows). */
  readonly weights: Float64Array;
  /** Tags per row, e.g. `stress:<name>`, `downweighted:<name>`, `calendar-gap`. */
  readonly tags: readonly (readonly string[])[];
}

/** The output of `alignLogReturns`. */
export interface AlignedReturns extends ReturnsPanel {
  /** Calendar days covered by each row (see the module comment). */
  readonly spanDays: Int32Array;
  /** Every gap found, in date order (per kind). */
  readonly gaps: readonly ReturnGap[];
  /** Rows removed by `exclude` windows. */
  readonly excluded: readonly ExcludedRow[];
  /** Stress periods from `keep-as-stress` (and `downweight` + `stress`) windows (a window whose rows were all dropped is listed with no dates). */
  readonly stressPeriods: readonly StressPeriod[];
  /** Per asset, its close coverage before alignment. */
  readonly coverage: readonly AssetCoverage[];
  /** The options used, resolved (for the run record). */
  readonly options: {
    readonly gaps: GapPolicy;
    readonly calendarGaps: CalendarGapPolicy;
    readonly from?: string;
    readonly to?: string;
    readonly windows: readonly WindowTreatment[];
  };
}
