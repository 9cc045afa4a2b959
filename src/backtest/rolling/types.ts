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

/**
 * A book given by its full-revaluation response to each underlying's move: the option book of an account or desk
 * (convexity included) where a {@link LinearBook} would keep only its delta. For underlying u, `responses[u]` is a
 * grid of simple returns r_i (strictly ascending, >= -1, e.g. from `responseGrid()`: -0.95 .. +3.0) and the book's
 * USD P&L R_u(r_i) when u's price moves by r_i with everything else fixed (full revaluation of every instrument on
 * u). The book's P&L for log moves m_u is sum_u R_u(expm1(m_u)), R_u the piecewise-linear interpolation of the grid,
 * extrapolated outside it with the end segments' slopes (./bookPnl.ts).
 *
 * Assumptions, stated:
 * - separable: every instrument depends on one underlying (true of a Deribit book: each option, future and
 *   perpetual settles on one index), so there is no cross-gamma between underlyings and P&Ls add;
 * - vol dynamics held fixed: R_u is the response to the spot move alone under whatever rule the pipeline revalued
 *   with (implied vols, rates and time to expiry at today's values, or e.g. sticky strike); the backtest measures
 *   spot risk with its convexity, not vega or theta (R_u(0) is normally 0);
 * - constant book: the responses are in USD for today's prices and are used unchanged at every backtest date, i.e.
 *   the book is re-established each date with the same USD response to a simple return (a position sized in USD, not
 *   in coins), like the constant USD exposures of a LinearBook; so every date's margin and P&L are comparable.
 *
 * A LinearBook is the special case R_u(r) = E_u r: the two-point response { returns: [-1, 1], pnlUsd: [-E_u, E_u] }
 * gives bit-identical margins and P&L.
 */
export interface ResponseBook {
  /** Name for reports. */
  readonly name: string;
  /** Per underlying (a column of the returns panel): the response grid. Underlyings absent from the panel are an input error. */
  readonly responses: Readonly<Record<string, UnderlyingResponse>>;
}

/** One underlying's response: `pnlUsd[i]` = the book's USD P&L (gain > 0) when the underlying moves by the simple return `returns[i]`. */
export interface UnderlyingResponse {
  /** Simple returns (P'/P - 1), strictly ascending, finite, >= -1; at least 2. */
  readonly returns: Float64Array | readonly number[];
  /** USD P&L at each return (same length), finite. */
  readonly pnlUsd: Float64Array | readonly number[];
}

/** Either kind of book the rolling backtest runs on. */
export type BacktestBook = LinearBook | ResponseBook;

/**
 * A book's P&L as the margin models and the runner use it, aligned with the columns of one returns panel (built once
 * per run by `bookPnl`; read-only: do not mutate its arrays). Money in USD, P&L positive = gain, moves are LOG returns.
 */
export interface BookPnl {
  readonly kind: 'linear' | 'response';
  /** The panel's columns, in order. */
  readonly assets: readonly string[];
  /**
   * Panel columns (ascending) the book's P&L depends on: the non-zero exposures of a linear book, every underlying
   * of a response book (even one whose slope at 0 is 0, e.g. a delta-neutral straddle).
   */
  readonly columns: Int32Array;
  /**
   * Delta-equivalent USD exposure per panel column (0 where none), for the liquidity/concentration add-ons: E_u for a
   * linear book; for a response book the slope of R_u at 0, (R_u(+h) - R_u(-h)) / 2h with h the grid step next to 0
   * (the slope of the segment holding 0; the mean of the two adjacent slopes when 0 is a node).
   */
  readonly exposuresUsd: Float64Array;
  /** P&L of panel column j's sub-book for the log move m: E_j expm1(m), or R_j(expm1(m)); 0 for a column not in `columns`. */
  columnPnl(j: number, logMove: number): number;
  /** Book P&L for the log moves `moves[offset + j]` (j = 0..assets.length-1): the sum of `columnPnl` over `columns` in order. */
  pnlOfMoves(moves: ArrayLike<number>, offset?: number): number;
}

/** What a margin model receives besides the history. */
export interface MarginContext {
  /** Exposures of the book aligned with `view.assets` (USD; 0 for assets not in the book): `pnl.exposuresUsd`, copied. */
  readonly exposuresUsd: Float64Array;
  /** The book as given. */
  readonly book: BacktestBook;
  /**
   * The book's P&L function aligned with `view.assets`. Absent (a hand-built context): the models use the linear book
   * of `exposuresUsd`.
   */
  readonly pnl?: BookPnl;
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
