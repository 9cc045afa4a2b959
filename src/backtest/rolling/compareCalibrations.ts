/**
 * Calibrations side by side on the same history (pure; seeded): every margin model runs over the same backtest
 * dates — from the first date on which every model has its `minRows` of history (or `from`, if later) to `to` —
 * against the same book, MPOR and realised P&L, and is evaluated with the same options and seed. The summary has
 * one row per calibration: exceptions against the expected count, traffic-light zone, coverage ratio, test
 * p-values, Z2 and procyclicality.
 */
import type { ReturnsPanel } from '../../market/index.ts';
import { BacktestInputError, type TrafficLightZone } from '../stats/index.ts';
import { evaluateBacktest, type BacktestStatistics, type EvaluateOptions } from './evaluateBacktest.ts';
import { dateRange, runRollingBacktest, type RollingBacktestRun } from './runRollingBacktest.ts';
import type { BacktestBook, MarginModel } from './types.ts';

/** One calibration: a label (e.g. `pre-incident`) and its margin model. */
export interface Calibration {
  readonly label: string;
  readonly model: MarginModel;
}

/** Input of {@link compareCalibrations}. */
export interface CompareCalibrationsInput {
  readonly panel: ReturnsPanel;
  readonly book: BacktestBook;
  readonly mporDays: number;
  readonly calibrations: readonly Calibration[];
  readonly from?: string;
  readonly to?: string;
  readonly evaluation: EvaluateOptions;
}

/** One row of the side-by-side summary. */
export interface CalibrationSummary {
  readonly label: string;
  readonly model: string;
  readonly coverage: number;
  readonly n: number;
  readonly exceptions: number;
  readonly expectedExceptions: number;
  /** Zone over the whole sample. */
  readonly zone: TrafficLightZone | null;
  readonly coverageRatio: number;
  readonly kupiecPValue: number | null;
  readonly kupiecPValueExact: number | null;
  /** Christoffersen conditional coverage p-value on the non-overlapping subsample. */
  readonly conditionalCoveragePValue: number | null;
  readonly z2: number | null;
  readonly z2PValue: number | null;
  readonly peakToTroughRatio: number | null;
  /** Largest relative 5-day margin increase (0.5 = +50 %). */
  readonly largest5DayIncrease: number | null;
  readonly meanMarginUsd: number;
  readonly status: RollingBacktestRun['status'];
}

/** The result of one calibration. */
export interface CalibrationResult {
  readonly label: string;
  readonly run: RollingBacktestRun;
  readonly statistics: BacktestStatistics;
  readonly summary: CalibrationSummary;
}

/** The comparison. */
export interface CalibrationComparison {
  readonly book: BacktestBook;
  readonly mporDays: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly results: readonly CalibrationResult[];
}

function summaryOf(label: string, run: RollingBacktestRun, s: BacktestStatistics): CalibrationSummary {
  const five = s.procyclicality.increases.find((x) => x.horizon === 5);
  return Object.freeze({
    label,
    model: run.model.name,
    coverage: s.coverage,
    n: s.n,
    exceptions: s.exceptions,
    expectedExceptions: s.expectedExceptions,
    zone: s.trafficLight[0]?.result.zone ?? null,
    coverageRatio: s.coverageRatio.ratio,
    kupiecPValue: s.kupiec?.pValue ?? null,
    kupiecPValueExact: s.kupiec?.pValueExact ?? null,
    conditionalCoveragePValue: s.christoffersenNonOverlapping?.conditionalCoverage.pValue ?? null,
    z2: s.z2.ok ? s.z2.test.statistic : null,
    z2PValue: s.z2.ok ? s.z2.test.pValue : null,
    peakToTroughRatio: s.procyclicality.peakToTroughRatio,
    largest5DayIncrease: five?.relative?.value ?? null,
    meanMarginUsd: s.meanMarginUsd,
    status: run.status,
  });
}

/** Runs and evaluates every calibration over the same dates; see the module comment. */
export function compareCalibrations(input: CompareCalibrationsInput): CalibrationComparison {
  if (!Array.isArray(input.calibrations) || input.calibrations.length === 0) throw new BacktestInputError('calibrations', input.calibrations, 'expected at least one calibration');
  const labels = new Set<string>();
  input.calibrations.forEach((c, i) => {
    if (typeof c?.label !== 'string' || c.label === '' || labels.has(c.label)) throw new BacktestInputError(`calibrations[${i}].label`, c?.label, 'expected a unique non-empty label');
    labels.add(c.label);
  });
  const { panel } = input;
  const range = dateRange(panel, input.from, input.to);
  const need = Math.max(...input.calibrations.map((c) => c.model.minRows)) - 1;
  const first = Math.max(range.first, need);
  const from = first <= range.last ? (panel.dates[first] as string) : null;
  const to = first <= range.last ? (panel.dates[range.last] as string) : null;
  const results = input.calibrations.map((c): CalibrationResult => {
    const run = runRollingBacktest({
      panel, book: input.book, mporDays: input.mporDays, model: c.model,
      ...(from === null ? { from: '9999-12-31' } : { from }),
      ...(to === null ? {} : { to }),
    });
    const statistics = evaluateBacktest(run, input.evaluation);
    return Object.freeze({ label: c.label, run, statistics, summary: summaryOf(c.label, run, statistics) });
  });
  return Object.freeze({ book: input.book, mporDays: input.mporDays, from, to, results: Object.freeze(results) });
}
