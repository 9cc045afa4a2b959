/**
 * Types of the rolling margin backtest (pure data). Conventions:
 * - rows are the return rows of an aligned panel (src/market/returns: row t = log return from the close of the
 *   previous aligned date to the close of `dates[t]`); "date t" means the close of `dates[t]`;
 * - the MPOR is counted in return rows (crypto trades every calendar day; calendar gaps are reported by
 *   `alignLogReturns` and a multi-day row counts as one row);
 * - money in USD; P&L positive = gain; margins >= 0; a loss is -P&L; an exception is loss > margin (strict).
 */

/**
 * The history a margin model may see at date t: rows `startIndex..endIndex` (= t) of the panel, copied. It never
 * holds a row after t: the runner builds it from the panel's rows up to t only, so a model cannot look ahead even
 * through `returns.buffer`. Mutating it changes nothing outside the call.
 */
export interface HistoryView {
  /** Panel row of the view's last row: the backtest date t. */
  readonly endIndex: number;
  /** Panel row of the view's first row (0 unless the model asked for a bounded lookback). */
  readonly startIndex: number;
  /** Number of rows (endIndex - startIndex + 1). */
  readonly rows: number;
  /** The view's return dates `YYYY-MM-DD`, ascending; the last one is `asOf`. */
  readonly dates: readonly string[];
  /** Date t (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** Column order of `returns`. */
  readonly assets: readonly string[];
  /** Log returns, row-major rows x assets (a private copy). */
  readonly returns: Float64Array;
  /** Observation weights per row (a private copy). */
  readonly weights: Float64Array;
  /** Tags per row (e.g. `stress:<window>`), a private slice. */
  readonly tags: readonly (readonly string[])[];
}

/**
 * A book simple enough for a daily history: a delta-equivalent (linear) USD exposure per underlying, e.g. the
 * net delta x index of an account. At each backtest date t the book holds exposure E_u (USD), i.e. E_u / P_u(t)
 * units, fixed over the MPOR: its P&L over rows t+1..t+h is sum_u E_u (P_u(t+h) / P_u(t) - 1)
 * = sum_u E_u expm1(r_u,t+1 + ... + r_u,t+h). The same USD exposures are re-established every date (a
 * constant-exposure book), so every date's margin and P&L are comparable.
 */
export interface LinearBook {
  /** Name for reports. */
  readonly name: string;
  /** Signed USD exposure per underlying (long > 0). Underlyings absent from the panel are an input error. */
  readonly exposuresUsd: Readonly<Record<string, number>>;
}

/** What a margin model receives besides the history. */
export interface MarginContext {
  /** Exposures of the book aligned with `view.assets` (USD; 0 for assets not in the book). */
  readonly exposuresUsd: Float64Array;
  /** The book's exposures as given. */
  readonly book: LinearBook;
  /** Margin period of risk, return rows. */
  readonly mporDays: number;
  /**
   * The model's own forecast at the previous backtest date (for anti-procyclicality buffers). It was computed from
   * data up to that earlier date, so it carries no information after t. Absent on the first date.
   */
  readonly previous?: MarginForecast;
}

/** A margin model's output at one date. */
export interface MarginForecast {
  /** Margin held at the close of t for the next MPOR, USD (finite, >= 0), add-ons included. */
  readonly marginUsd: number;
  /** The model's VaR forecast of the MPOR loss at `coverage`, USD (positive = loss), if it has one. */
  readonly valueAtRiskUsd?: number;
  /** The model's ES forecast of the MPOR loss at `coverage`, USD (positive = loss), if it has one. */
  readonly expectedShortfallUsd?: number;
  /** Named parts of the margin, USD (e.g. `esMporUsd`, `apcMarginUsd`, `residualAddOnUsd`), for reports. */
  readonly components?: Readonly<Record<string, number>>;
}

/**
 * A margin model for the backtest: a pure function of the history up to t (and the context), plus what it needs.
 * Implementations must not keep state between calls (the runner may call them in any order).
 */
export interface MarginModel {
  /** Short name, e.g. `fhs-es`. */
  readonly name: string;
  /** One line saying what the model is (for reports). */
  readonly description: string;
  /** Confidence the exceptions are tested at (e.g. 0.995): the model's own confidence level. */
  readonly coverage: number;
  /** Rows of history the model reads (the view's length); undefined = everything from the panel's first row. */
  readonly lookbackRows?: number;
  /** Fewest rows of history (from the panel's first row to t) the model needs; earlier dates are warm-up. */
  readonly minRows: number;
  /** The margin at the view's last date. */
  margin(view: HistoryView, context: MarginContext): MarginForecast;
}
