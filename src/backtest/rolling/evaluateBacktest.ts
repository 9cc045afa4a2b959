/**
 * The statistics of one rolling backtest (pure; seeded): on the evaluated dates (margin and realised P&L both
 * available), at the model's coverage,
 * - coverage ratio and exceptions (`coverageRatio`), Kupiec POF with asymptotic and exact p-values;
 * - Christoffersen on the daily series and on the non-overlapping subsample (every h-th evaluated date): with an
 *   MPOR h > 1 consecutive windows share days, so the daily series clusters by construction (methods.md §6.5);
 * - the traffic light on the whole sample, on the last `trafficLightWindows` evaluated dates and on named periods;
 * - the Acerbi-Szekely Z2 ES test where the model gives VaR and ES forecasts with 0 < VaR < ES on every evaluated
 *   date (critical values simulated under a normal forecast fitted to each day's VaR/ES, `seed`); otherwise the
 *   reason it was skipped;
 * - procyclicality of the margin series (all dates with a margin): peak-to-trough, largest 1/5/30-day increases.
 */
import type { RngSeed } from '../../math/index.ts';
import {
  acerbiSzekelyZ2Test, christoffersen, coverageRatio, kupiec, nonOverlapping, procyclicality, trafficLight,
  DEFAULT_PROCYCLICALITY_HORIZONS,
  type ChristoffersenResult, type CoverageResult, type KupiecResult, type ProcyclicalityResult, type TrafficLightResult,
  type Z2TestResult,
} from '../stats/index.ts';
import type { RollingBacktestRun } from './runRollingBacktest.ts';

/** A named date range (`YYYY-MM-DD`, inclusive). */
export interface BacktestPeriod {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** Options of {@link evaluateBacktest}. */
export interface EvaluateOptions {
  /** Seed of the Z2 simulation. */
  readonly seed: RngSeed;
  /** Simulated paths for the Z2 critical values (default 2000). */
  readonly z2Simulations?: number;
  /** Trailing windows (evaluated dates) for extra traffic lights (default [250]). */
  readonly trafficLightWindows?: readonly number[];
  /** Named periods for extra traffic lights (e.g. before and after an incident). */
  readonly periods?: readonly BacktestPeriod[];
  readonly procyclicalityHorizons?: readonly number[];
}

/** A traffic light over part of the sample. */
export interface TrafficLightWindow {
  /** `all`, `last <n>` or the period's name. */
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly result: TrafficLightResult;
}

/** The Z2 outcome: the test, or why it could not be run. */
export type Z2Outcome = { readonly ok: true; readonly test: Z2TestResult } | { readonly ok: false; readonly reason: string };

/** The statistics of one backtest (null members when the sample is empty). */
export interface BacktestStatistics {
  readonly coverage: number;
  /** Evaluated dates. */
  readonly n: number;
  readonly exceptions: number;
  /** n (1 - coverage). */
  readonly expectedExceptions: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly coverageRatio: CoverageResult;
  readonly kupiec: KupiecResult | null;
  readonly christoffersen: ChristoffersenResult | null;
  readonly christoffersenNonOverlapping: ChristoffersenResult | null;
  readonly trafficLight: readonly TrafficLightWindow[];
  readonly z2: Z2Outcome;
  readonly procyclicality: ProcyclicalityResult;
  /** Mean margin over the evaluated dates, USD. */
  readonly meanMarginUsd: number;
}

function z2Of(run: RollingBacktestRun, days: readonly number[], options: EvaluateOptions): Z2Outcome {
  if (days.length === 0) return { ok: false, reason: 'no evaluated date' };
  const pnl = new Float64Array(days.length);
  const v = new Float64Array(days.length);
  const es = new Float64Array(days.length);
  for (let k = 0; k < days.length; k++) {
    const i = days[k] as number;
    const a = run.valueAtRiskUsd[i] as number;
    const b = run.expectedShortfallUsd[i] as number;
    if (!(a > 0 && b > a)) return { ok: false, reason: `needs 0 < VaR < ES on every evaluated date; ${run.dates[i]}: VaR ${a}, ES ${b}` };
    pnl[k] = run.pnlUsd[i] as number;
    v[k] = a;
    es[k] = b;
  }
  const test = acerbiSzekelyZ2Test(
    { pnl, valueAtRisk: v, expectedShortfall: es, coverage: run.model.coverage },
    { forecast: { family: 'normal' }, seed: options.seed, simulations: options.z2Simulations ?? 2000 },
  );
  return { ok: true, test };
}

/** The statistics of `run`; see the module comment. */
export function evaluateBacktest(run: RollingBacktestRun, options: EvaluateOptions): BacktestStatistics {
  const c = run.model.coverage;
  const margin = new Float64Array(run.dates.length);
  const pnl = new Float64Array(run.dates.length);
  for (let i = 0; i < margin.length; i++) {
    const ok = run.evaluated[i] === 1;
    margin[i] = ok ? (run.marginUsd[i] as number) : Number.NaN;
    pnl[i] = ok ? (run.pnlUsd[i] as number) : Number.NaN;
  }
  const cov = coverageRatio({ margin, pnl });
  const days = cov.days;
  const n = cov.n;
  const series = cov.series;
  const dateOf = (k: number): string => run.dates[days[k] as number] as string;
  const lights: TrafficLightWindow[] = [];
  if (n > 0) {
    lights.push({ label: 'all', from: dateOf(0), to: dateOf(n - 1), result: trafficLight(series, c) });
    for (const w of options.trafficLightWindows ?? [250]) {
      if (w >= n) continue;
      lights.push({ label: `last ${w}`, from: dateOf(n - w), to: dateOf(n - 1), result: trafficLight(series.slice(n - w), c) });
    }
    for (const p of options.periods ?? []) {
      const idx: number[] = [];
      for (let k = 0; k < n; k++) if (dateOf(k) >= p.from && dateOf(k) <= p.to) idx.push(k);
      if (idx.length === 0) continue;
      lights.push({ label: p.name, from: dateOf(idx[0] as number), to: dateOf(idx[idx.length - 1] as number), result: trafficLight(idx.map((k) => series[k] as boolean), c) });
    }
  }
  const sub = nonOverlapping(series, run.mporDays);
  const allMargins = run.marginUsd;
  let sum = 0;
  for (const i of days) sum += run.marginUsd[i] as number;
  return Object.freeze({
    coverage: c,
    n,
    exceptions: cov.exceptions,
    expectedExceptions: n * (1 - c),
    firstDate: n > 0 ? dateOf(0) : null,
    lastDate: n > 0 ? dateOf(n - 1) : null,
    coverageRatio: cov,
    kupiec: n > 0 ? kupiec(series, c) : null,
    christoffersen: n > 0 ? christoffersen(series, c) : null,
    christoffersenNonOverlapping: sub.length > 0 ? christoffersen(sub, c) : null,
    trafficLight: Object.freeze(lights.map((l) => Object.freeze(l))),
    z2: Object.freeze(z2Of(run, days, options)),
    procyclicality: procyclicality(allMargins, options.procyclicalityHorizons ?? DEFAULT_PROCYCLICALITY_HORIZONS),
    meanMarginUsd: n > 0 ? sum / n : Number.NaN,
  });
}
