/**
 * The builder's input: plain, already-computed values from the pipeline (surfaces, correlation, risk, backtest).
 * The builder sorts, checks and derives (totals, histograms, headline); it runs no model. Units as in ./types.ts.
 */
import type {
  ReportDriver, ReportEffect, ReportExpirySmile, ReportProvenance, ReportTermPoint, ReportZone,
} from './types.ts';

/** One underlying's smiles and term structure, in any order (the builder sorts by time to expiry). */
export interface SurfaceInput {
  readonly underlying: string;
  readonly expiries: readonly ReportExpirySmile[];
  readonly termStructure: readonly ReportTermPoint[];
}

/** A correlation matrix pair on one asset list (row-major n x n). */
export interface CorrelationInput {
  readonly label: string;
  readonly assets: readonly string[];
  readonly before: readonly (readonly number[])[];
  readonly after: readonly (readonly number[])[];
}

/** The P&L of one portfolio under every scenario of one set (USD, in scenario order). */
export interface ScenarioPnlInput {
  readonly scenarioSet: string;
  readonly portfolio: string;
  readonly values: ArrayLike<number>;
}

/** One account's initial margin before/after and its margin call under the new calibration (USD, >= 0). */
export interface AccountMarginInput {
  readonly accountId: string;
  readonly desk: string;
  readonly before: number;
  readonly after: number;
  readonly marginCall: number;
}

/** The attribution of one account's change (from risk/attribution): effects sum to after - before. */
export interface AccountAttributionInput {
  readonly accountId: string;
  readonly effects: readonly ReportEffect[];
  readonly worstScenario: { readonly name: string; readonly pnl: number };
  readonly drivers: readonly ReportDriver[];
}

/** The already-computed tests of one backtest (from src/backtest: kupiec, christoffersen, trafficLight, coverageRatio). */
export interface BacktestTestsInput {
  readonly expectedExceptions: number;
  readonly kupiecLr: number;
  readonly kupiecP: number;
  readonly kupiecExactP: number;
  readonly christoffersenLr: number;
  readonly christoffersenP: number;
  readonly conditionalCoverageLr: number;
  readonly conditionalCoverageP: number;
  readonly zone: ReportZone;
}

/** One calibration's backtest: aligned daily dates, margins, realised MPOR P&L and exception flags. */
export interface BacktestInput {
  readonly calibration: string;
  readonly coverage: number;
  readonly horizonDays: number;
  readonly dates: readonly string[];
  readonly margin: ArrayLike<number>;
  readonly pnl: ArrayLike<number>;
  /** Exception flags as computed by the backtest (checked: must equal loss > margin day by day). */
  readonly exceptions: ArrayLike<boolean>;
  readonly tests: BacktestTestsInput;
}

/** Everything the report needs. */
export interface ReportInput {
  readonly provenance: ReportProvenance;
  readonly surfaces: readonly SurfaceInput[];
  readonly correlations: readonly CorrelationInput[];
  readonly scenarioPnl: readonly ScenarioPnlInput[];
  readonly accounts: readonly AccountMarginInput[];
  readonly attributions: readonly AccountAttributionInput[];
  readonly backtests: readonly BacktestInput[];
}

/** Options of the builder. */
export interface ReportBuildOptions {
  /** How many accounts with the largest margin increase to show with their attribution (default 10). */
  readonly topAccounts?: number;
  /** Maximum number of histogram bins (default 24). */
  readonly maxBins?: number;
}
