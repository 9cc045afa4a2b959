/**
 * A backtest run and its statistics as flat, evaluated-only series and numbers (pure): what a report or a store
 * needs (dates, margin, realised P&L, exception flags, test statistics, zone) without NaN placeholders. The
 * report layer's `BacktestInput` maps one to one: dates/margin/pnl/exceptions from {@link evaluatedSeries},
 * `tests` from {@link backtestTestSummary}, coverage = `run.model.coverage`, horizonDays = `run.mporDays`.
 */
import type { TrafficLightZone } from '../stats/index.ts';
import type { BacktestStatistics } from './evaluateBacktest.ts';
import type { RollingBacktestRun } from './runRollingBacktest.ts';

/** The evaluated dates of a run (margin and realised P&L both available), in date order. */
export interface EvaluatedSeries {
  /** `YYYY-MM-DD` (the close of the date the margin is held at). */
  readonly dates: readonly string[];
  /** Index of each date in `run.dates`. */
  readonly runIndex: Int32Array;
  /** Margin at the close of the date, USD (finite, >= 0). */
  readonly marginUsd: Float64Array;
  /** Realised P&L over the following MPOR, USD (finite; gain > 0). */
  readonly pnlUsd: Float64Array;
  /** Loss > margin (strict), day by day: `-pnlUsd[i] > marginUsd[i]`. */
  readonly exceptions: readonly boolean[];
}

/** The evaluated days of `run` (those with `run.evaluated[i] === 1`); see {@link EvaluatedSeries}. */
export function evaluatedSeries(run: RollingBacktestRun): EvaluatedSeries {
  const idx: number[] = [];
  for (let i = 0; i < run.dates.length; i++) if (run.evaluated[i] === 1) idx.push(i);
  const marginUsd = Float64Array.from(idx, (i) => run.marginUsd[i] as number);
  const pnlUsd = Float64Array.from(idx, (i) => run.pnlUsd[i] as number);
  return Object.freeze({
    dates: Object.freeze(idx.map((i) => run.dates[i] as string)),
    runIndex: Int32Array.from(idx),
    marginUsd,
    pnlUsd,
    exceptions: Object.freeze(idx.map((i) => run.exception[i] === 1)),
  });
}

/** The tests of one backtest as plain numbers (NaN where a test has no value: empty sample). */
export interface BacktestTestSummary {
  readonly observations: number;
  readonly exceptions: number;
  /** n (1 - coverage). */
  readonly expectedExceptions: number;
  readonly kupiecLr: number;
  /** Asymptotic chi-square(1) p-value. */
  readonly kupiecP: number;
  /** Exact two-sided binomial p-value. */
  readonly kupiecExactP: number;
  /** Which exception series the Christoffersen numbers come from. */
  readonly christoffersenBasis: 'daily' | 'non-overlapping';
  /** Independence LR (chi-square(1)) and its p-value. */
  readonly christoffersenLr: number;
  readonly christoffersenP: number;
  /** Conditional coverage LR (chi-square(2)) and its p-value. */
  readonly conditionalCoverageLr: number;
  readonly conditionalCoverageP: number;
  /** Traffic-light zone over the whole sample; null for an empty sample. */
  readonly zone: TrafficLightZone | null;
}

/**
 * The tests of `statistics` flattened. Christoffersen on the non-overlapping subsample by default (with an MPOR
 * h > 1 the daily series clusters by construction; methods.md §6.5), or on the daily series.
 */
export function backtestTestSummary(
  statistics: BacktestStatistics,
  options: { readonly christoffersen?: 'daily' | 'non-overlapping' } = {},
): BacktestTestSummary {
  const basis = options.christoffersen ?? 'non-overlapping';
  const c = basis === 'daily' ? statistics.christoffersen : statistics.christoffersenNonOverlapping;
  const k = statistics.kupiec;
  return Object.freeze({
    observations: statistics.n,
    exceptions: statistics.exceptions,
    expectedExceptions: statistics.expectedExceptions,
    kupiecLr: k?.lr ?? Number.NaN,
    kupiecP: k?.pValue ?? Number.NaN,
    kupiecExactP: k?.pValueExact ?? Number.NaN,
    christoffersenBasis: basis,
    christoffersenLr: c?.independence.lr ?? Number.NaN,
    christoffersenP: c?.independence.pValue ?? Number.NaN,
    conditionalCoverageLr: c?.conditionalCoverage.lr ?? Number.NaN,
    conditionalCoverageP: c?.conditionalCoverage.pValue ?? Number.NaN,
    zone: statistics.trafficLight.find((t) => t.label === 'all')?.result.zone ?? null,
  });
}
