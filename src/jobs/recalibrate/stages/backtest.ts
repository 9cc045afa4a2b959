/**
 * Backtest stage (pure): would the new calibration have held? The venue's open book (all accounts together) is
 * backtested over the daily history (2017 onwards for BTC and ETH) with the pre-incident and the post-incident
 * calibrations of src/backtest (incidentCalibrations: FHS-ES and historical VaR each, no look-ahead), as a RESPONSE
 * book: per underlying, the book's USD P&L for a simple move of that underlying alone, by full revaluation of every
 * instrument on the response grid (post-incident market and surfaces, sticky strike, vols held: vol dynamics are not
 * in the daily history). Every instrument depends on one underlying, so the book's P&L is the sum of the responses.
 */
import {
  backtestTestSummary, compareCalibrations, evaluatedSeries, incidentCalibrations, responseGrid,
  type CalibrationResult, type ResponseBook,
} from '../../../backtest/index.ts';
import type { AlignedReturns } from '../../../market/returns/index.ts';
import type { BacktestInput as ReportBacktestInput } from '../../../report/index.ts';
import { revalueInstruments, type BaseMarket, type PortfolioBook } from '../../../risk/index.ts';
import { buildScenarioSet, NO_VOL_SHIFT, type Incident, type IncidentPolicyModel } from '../../../scenarios/index.ts';
import type { StageFailures } from '../failures.ts';
import type { AccountResult } from './margins.ts';

/** One backtest of one calibration on one book. */
export interface BacktestOutcome {
  readonly id: string;
  readonly book: string;
  readonly calibration: string;
  readonly summary: CalibrationResult['summary'];
  readonly report: ReportBacktestInput;
}

/** Inputs of {@link buildBacktests}. */
export interface BacktestStageInput {
  readonly panel: AlignedReturns;
  readonly incident: Incident;
  readonly policy: IncidentPolicyModel;
  /** The pre-incident `margin/fhs-es` model JSON (daily scenarios, MPOR scaling). */
  readonly fhsEsModel: unknown;
  /** How the FHS-ES backtest reaches the MPOR: 'moves' (scale each move by sqrt(h), revalue) or 'pnl' (ES x sqrt(h)). */
  readonly fhsMporScaling: 'pnl' | 'moves';
  readonly book: PortfolioBook;
  readonly market: BaseMarket;
  readonly accounts: readonly AccountResult[];
  readonly underlyings: readonly string[];
}

/** The venue book's response per underlying (see the module comment). */
export function venueResponseBook(input: BacktestStageInput): ResponseBook {
  const grid = responseGrid();
  const t = input.book.table;
  const quantity = new Float64Array(t.length);
  for (const a of input.accounts) {
    for (const p of a.positions) {
      const row = t.rowOf.get(p.instrument);
      if (row !== undefined) quantity[row] = (quantity[row] as number) + p.quantity;
    }
  }
  const responses: Record<string, { returns: Float64Array; pnlUsd: Float64Array }> = {};
  input.underlyings.forEach((u, ui) => {
    const set = buildScenarioSet({
      id: `response:${u}`, kind: 'hypothetical', modelVersion: 'scenarios/response-grid@1.0.0', underlyings: input.underlyings,
      weightMeaning: 'probability',
      scenarios: Array.from(grid, (r, g) => {
        const moves = new Float64Array(input.underlyings.length);
        moves[ui] = r;
        return { id: `${u}:${g}`, label: `${u} ${r}`, spotReturns: moves, volShifts: input.underlyings.map(() => NO_VOL_SHIFT) };
      }),
    });
    const pnl = revalueInstruments(t, input.market, set, { missingAsset: 'hold-flat' });
    const S = grid.length;
    const out = new Float64Array(S);
    for (let i = 0; i < t.length; i++) {
      const q = quantity[i] as number;
      if (q === 0 || pnl.rowFailed[i] === 1) continue;
      for (let g = 0; g < S; g++) out[g] = (out[g] as number) + q * (pnl.pnlUsd[i * S + g] as number);
    }
    responses[u] = { returns: grid, pnlUsd: out };
  });
  return { name: 'venue book', responses };
}

/** Runs the pre- and post-incident calibrations on the venue book; returns one outcome per calibration. */
export function buildBacktests(input: BacktestStageInput, failures: StageFailures, tick: (done: number) => void): BacktestOutcome[] {
  const book = venueResponseBook(input);
  tick(1);
  const fhs = input.fhsEsModel as { mpor_days?: unknown };
  const mporDays = typeof fhs?.mpor_days === 'number' ? fhs.mpor_days : 2;
  try {
    const calibrations = incidentCalibrations({ incident: input.incident, policy: input.policy, fhsEsModel: input.fhsEsModel, mporDays, fhsMporScaling: input.fhsMporScaling });
    const comparison = compareCalibrations({ panel: input.panel, book, mporDays, calibrations, evaluation: { seed: 'backtest-z2' } });
    return comparison.results.flatMap((r) => {
      const series = evaluatedSeries(r.run);
      const tests = backtestTestSummary(r.statistics);
      const numbers = [tests.kupiecLr, tests.kupiecP, tests.kupiecExactP, tests.christoffersenLr, tests.christoffersenP, tests.conditionalCoverageLr, tests.conditionalCoverageP];
      if (tests.zone === null || numbers.some((x) => !Number.isFinite(x))) {
        // a test without a value (too short a sample, no exception transitions) is reported, never shown as 0
        failures.note('backtest', `${book.name} ${r.label}`, `a test has no value over ${tests.observations} observations; left out of the report`);
        return [];
      }
      return [Object.freeze({
        id: `${book.name}:${r.label}`.replace(/\s+/g, '-'),
        book: book.name, calibration: r.label, summary: r.summary,
        report: {
          calibration: `${r.label} (${book.name})`, coverage: r.run.model.coverage, horizonDays: r.run.mporDays,
          dates: series.dates, margin: series.marginUsd, pnl: series.pnlUsd, exceptions: series.exceptions,
          tests: {
            expectedExceptions: tests.expectedExceptions, kupiecLr: tests.kupiecLr, kupiecP: tests.kupiecP,
            kupiecExactP: tests.kupiecExactP, christoffersenLr: tests.christoffersenLr, christoffersenP: tests.christoffersenP,
            conditionalCoverageLr: tests.conditionalCoverageLr, conditionalCoverageP: tests.conditionalCoverageP,
            zone: tests.zone,
          },
        },
      })];
    });
  } catch (e) {
    failures.add('backtest', book.name, e instanceof Error ? e.message : String(e));
    return [];
  }
}
