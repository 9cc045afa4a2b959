/**
 * The rolling margin backtest (pure; DESIGN.md §5 "Backtest", methods.md §6.5). For each backtest date t (a row of
 * the aligned panel), the margin model is called with a view of the rows up to and including t only
 * (./historyView.ts: a copy, so nothing later is reachable), the book's exposures and its P&L function (./bookPnl.ts:
 * a linear or a response book); the realised P&L is the book's P&L over rows t+1..t+h with the book of t (the same
 * constant book at every date); an exception is loss > margin.
 *
 * Dates are in [from, to]; a date with fewer than `model.minRows` rows of history is warm-up (counted, not run).
 * Every other date gets a margin; its realised P&L is NaN when t + h runs past the panel (`mporBeyondHistory`) or
 * a needed return is NaN (`missingData`): those dates are excluded from the tests and counted. A date where the
 * model throws or returns a margin that is not a finite number >= 0 is a failure (recorded, margin NaN, run
 * `partial`), never a crash. Deterministic: no randomness here.
 */
import type { ReturnsPanel } from '../../market/index.ts';
import { BacktestInputError } from '../stats/index.ts';
import { historyView } from './historyView.ts';
import { bookPnl, realisedBookPnl } from './bookPnl.ts';
import type { BacktestBook, MarginForecast, MarginModel } from './types.ts';

/** Input of {@link runRollingBacktest}. */
export interface RollingBacktestInput {
  /** Aligned daily log returns (src/market/returns), rows oldest first. */
  readonly panel: ReturnsPanel;
  /** A linear (delta) book or a response (full-revaluation) book. */
  readonly book: BacktestBook;
  /** MPOR h, return rows (>= 1). */
  readonly mporDays: number;
  readonly model: MarginModel;
  /** First backtest date (`YYYY-MM-DD`, inclusive); default the first date with enough history. */
  readonly from?: string;
  /** Last backtest date (inclusive); default the panel's last date. */
  readonly to?: string;
}

/** A date the margin model failed on. */
export interface BacktestFailure {
  readonly date: string;
  readonly reason: string;
}

/** Counts of the dates in the range and why some are not evaluated. */
export interface BacktestCounts {
  /** Dates with a margin attempt (failed ones included). */
  readonly dates: number;
  /** Dates with both a margin and a realised P&L: the test sample. */
  readonly evaluated: number;
  readonly exceptions: number;
  /** Dates in [from, to] skipped for lack of history (fewer than `minRows` rows). */
  readonly warmUp: number;
  /** Dates whose MPOR runs past the last row (t + h > last row). */
  readonly mporBeyondHistory: number;
  /** Dates whose realised P&L needs a missing (NaN) return. */
  readonly missingData: number;
  /** Dates where the model failed. */
  readonly failed: number;
}

/** The series of one backtest (index i = the i-th backtest date). */
export interface RollingBacktestRun {
  readonly model: { readonly name: string; readonly description: string; readonly coverage: number };
  readonly book: BacktestBook;
  readonly mporDays: number;
  readonly dates: readonly string[];
  /** Panel row of each date. */
  readonly rows: Int32Array;
  /** Margin held at the close of each date, USD (NaN where the model failed). */
  readonly marginUsd: Float64Array;
  /** Realised P&L over the following MPOR, USD (NaN where not available). */
  readonly pnlUsd: Float64Array;
  /** The model's VaR / ES forecasts of the MPOR loss, USD (NaN where it gives none). */
  readonly valueAtRiskUsd: Float64Array;
  readonly expectedShortfallUsd: Float64Array;
  /** The model's forecasts as returned (components included); null where it failed. */
  readonly forecasts: readonly (MarginForecast | null)[];
  /** 1 where both margin and P&L exist. */
  readonly evaluated: Uint8Array;
  /** 1 where evaluated and loss > margin. */
  readonly exception: Uint8Array;
  readonly counts: BacktestCounts;
  readonly failures: readonly BacktestFailure[];
  readonly status: 'complete' | 'partial';
}

/** Panel row range [first, last] of the dates in [from, to]; first > last when empty. */
export function dateRange(panel: ReturnsPanel, from: string | undefined, to: string | undefined): { first: number; last: number } {
  let first = 0;
  let last = panel.dates.length - 1;
  if (from !== undefined) while (first <= last && (panel.dates[first] as string) < from) first++;
  if (to !== undefined) while (last >= first && (panel.dates[last] as string) > to) last--;
  return { first, last };
}

/** Runs one margin model over the history; see the module comment. */
export function runRollingBacktest(input: RollingBacktestInput): RollingBacktestRun {
  const { panel, book, mporDays: h, model } = input;
  if (!Number.isSafeInteger(h) || h < 1) throw new BacktestInputError('mporDays', h, 'must be a positive integer (rows)');
  if (model === null || typeof model !== 'object' || typeof model.margin !== 'function') throw new BacktestInputError('model', model, 'expected a MarginModel');
  if (!Number.isSafeInteger(model.minRows) || model.minRows < 1) throw new BacktestInputError('model.minRows', model.minRows, 'must be a positive integer');
  const pnlOf = bookPnl(book, panel.assets);
  const exposures = pnlOf.exposuresUsd;
  // plain (unfrozen) copies of the row lists: slicing a frozen array per date is V8's slow path
  const source: ReturnsPanel = { dates: Array.from(panel.dates), assets: panel.assets, returns: panel.returns, weights: panel.weights, tags: Array.from(panel.tags) };
  const total = panel.dates.length;
  const realised = realisedBookPnl(panel.returns, total, pnlOf, h);
  const range = dateRange(panel, input.from, input.to);
  const start = Math.max(range.first, model.minRows - 1);
  const warmUp = Math.max(0, Math.min(range.last + 1, start) - range.first);
  const count = Math.max(0, range.last - start + 1);

  const dates: string[] = [];
  const rows = new Int32Array(count);
  const marginUsd = new Float64Array(count);
  const pnlUsd = new Float64Array(count);
  const valueAtRiskUsd = new Float64Array(count);
  const expectedShortfallUsd = new Float64Array(count);
  const evaluated = new Uint8Array(count);
  const exception = new Uint8Array(count);
  const forecasts: (MarginForecast | null)[] = [];
  const failures: BacktestFailure[] = [];
  let previous: MarginForecast | undefined;
  let beyond = 0;
  let missing = 0;
  let exceptions = 0;
  let nEvaluated = 0;
  for (let i = 0; i < count; i++) {
    const t = start + i;
    const date = panel.dates[t] as string;
    dates.push(date);
    rows[i] = t;
    let f: MarginForecast | null = null;
    try {
      const view = historyView(source, t, model.lookbackRows);
      const out = model.margin(view, { exposuresUsd: exposures.slice(), book, pnl: pnlOf, mporDays: h, ...(previous === undefined ? {} : { previous }) });
      const m = out?.marginUsd;
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) failures.push({ date, reason: `margin model returned marginUsd = ${String(m)} (expected a finite number >= 0)` });
      else f = out;
    } catch (e) {
      failures.push({ date, reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
    forecasts.push(f);
    marginUsd[i] = f === null ? Number.NaN : f.marginUsd;
    valueAtRiskUsd[i] = f?.valueAtRiskUsd ?? Number.NaN;
    expectedShortfallUsd[i] = f?.expectedShortfallUsd ?? Number.NaN;
    if (f !== null) previous = f;
    const pnl = realised[t] as number;
    pnlUsd[i] = pnl;
    if (Number.isNaN(pnl)) {
      if (t + h > total - 1) beyond++;
      else missing++;
      continue;
    }
    if (f === null) continue;
    evaluated[i] = 1;
    nEvaluated++;
    if (-pnl > f.marginUsd) {
      exception[i] = 1;
      exceptions++;
    }
  }
  return Object.freeze({
    model: Object.freeze({ name: model.name, description: model.description, coverage: model.coverage }),
    book,
    mporDays: h,
    dates: Object.freeze(dates),
    rows,
    marginUsd,
    pnlUsd,
    valueAtRiskUsd,
    expectedShortfallUsd,
    forecasts: Object.freeze(forecasts),
    evaluated,
    exception,
    counts: Object.freeze({ dates: count, evaluated: nEvaluated, exceptions, warmUp, mporBeyondHistory: beyond, missingData: missing, failed: failures.length }),
    failures: Object.freeze(failures.map((x) => Object.freeze(x))),
    status: failures.length === 0 ? 'complete' : 'partial',
  });
}
