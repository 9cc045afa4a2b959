/**
 * The recalibration report model (issue 6, DESIGN.md §2 `report/`): one plain, JSON-serialisable value holding
 * everything the report shows, so that the JSON and HTML renderers are functions of it alone. Its JSON schema is
 * `REPORT_JSON_SCHEMA` in ../schema.ts; field docs there and here say the same.
 *
 * Conventions (DESIGN.md §3): money in USD, P&L positive for a gain, margins non-negative; vols annualised
 * decimals (0.55 = 55 %); time to expiry in years ACT/365; log-moneyness k = ln(K / F). A value that could not be
 * computed is `null`, never NaN (JSON has no NaN). Arrays are in a stated order so that output is reproducible.
 */

/** Version of the model's shape; bumped on any incompatible change of the schema. */
export const REPORT_SCHEMA_VERSION = '1.0.0' as const;

/** A traffic-light zone of a coverage backtest (Basel: green below 95 %, red from 99.99 % cumulative probability). */
export type ReportZone = 'green' | 'yellow' | 'red';

/** One input file of the run and its SHA-256 (lower-case hex, 64 characters). */
export interface ReportInputFile {
  readonly name: string;
  readonly sha256: string;
}

/** One versioned methodology config the run used (models/<family>/<name>/<version>.json). */
export interface ReportModelVersion {
  readonly family: string;
  readonly name: string;
  readonly version: string;
}

/** Where the run came from: enough to reproduce it byte for byte. */
export interface ReportProvenance {
  readonly runId: string;
  readonly incident: {
    readonly id: string;
    readonly title: string;
    readonly kind: string | null;
    /** ISO 8601 UTC timestamps, or null when unknown. */
    readonly startedAt: string | null;
    readonly endedAt: string | null;
  };
  /** The run's as-of time, ISO 8601 UTC. */
  readonly asOf: string;
  /** Input files sorted by name. */
  readonly inputs: readonly ReportInputFile[];
  /** Model configs sorted by family, name, version. */
  readonly models: readonly ReportModelVersion[];
  /** Code version (package version and/or git commit). */
  readonly codeVersion: string;
  /** The run's seed (integer or string). */
  readonly seed: number | string;
}

/** One quote of a smile: strike (USD), log-moneyness k = ln(K/F), and implied vols (bid/ask null when absent). */
export interface ReportSmileQuote {
  readonly strike: number;
  readonly k: number;
  readonly bidVol: number | null;
  readonly askVol: number | null;
  readonly midVol: number;
}

/** One point of a fitted smile on the grid: log-moneyness k, strike = F e^k (USD) and vol. */
export interface ReportSmilePoint {
  readonly k: number;
  readonly strike: number;
  readonly vol: number;
}

/** One side (before or after the incident) of an expiry's smile. */
export interface ReportSmileSide {
  /** Forward of the expiry (USD). */
  readonly forward: number;
  /** Quotes sorted by strike. */
  readonly quotes: readonly ReportSmileQuote[];
  /** Fitted smile sorted by k; empty when the fit failed. */
  readonly fit: readonly ReportSmilePoint[];
}

/** The smiles of one expiry before and after; a side is null when that snapshot has no such expiry. */
export interface ReportExpirySmile {
  /** Expiry label, e.g. '2026-03-27' (ISO date, UTC). */
  readonly expiry: string;
  /** Time to expiry in years (ACT/365) at the after snapshot (or the before one when after is null). */
  readonly timeYears: number;
  readonly before: ReportSmileSide | null;
  readonly after: ReportSmileSide | null;
}

/** One expiry's ATM vol and 25-delta risk reversal / butterfly, before and after (null where unavailable). */
export interface ReportTermPoint {
  readonly expiry: string;
  readonly timeYears: number;
  readonly atmVolBefore: number | null;
  readonly atmVolAfter: number | null;
  /** 25-delta risk reversal: vol(25d call) - vol(25d put). */
  readonly rr25Before: number | null;
  readonly rr25After: number | null;
  /** 25-delta butterfly: (vol(25d call) + vol(25d put)) / 2 - ATM vol. */
  readonly bf25Before: number | null;
  readonly bf25After: number | null;
}

/** All surface views of one underlying. Expiries and term points sorted by timeYears. */
export interface ReportSurface {
  readonly underlying: string;
  readonly expiries: readonly ReportExpirySmile[];
  readonly termStructure: readonly ReportTermPoint[];
}

/** A correlation matrix before and after, on the same assets (row-major n x n, symmetric, unit diagonal). */
export interface ReportCorrelation {
  /** What the matrix is, e.g. 'EWMA daily log returns, shrunk'. */
  readonly label: string;
  readonly assets: readonly string[];
  readonly before: readonly (readonly number[])[];
  readonly after: readonly (readonly number[])[];
  /** max |after - before| over the off-diagonal entries. */
  readonly maxAbsChange: number;
}

/** One histogram bin [lower, upper) (the last bin also holds its upper edge). */
export interface ReportHistogramBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
}

/** A histogram with equal-width bins on a 1-2-5 step. */
export interface ReportHistogram {
  readonly binWidth: number;
  readonly bins: readonly ReportHistogramBin[];
}

/** The P&L distribution of one scenario set over a portfolio (USD per scenario, in scenario order). */
export interface ReportScenarioPnl {
  readonly scenarioSet: string;
  /** Which portfolio the P&L is of, e.g. 'all fixture accounts'. */
  readonly portfolio: string;
  readonly values: readonly number[];
  readonly histogram: ReportHistogram;
  readonly worst: number;
  readonly best: number;
}

/** One account's initial margin before and after (USD). */
export interface ReportAccountMargin {
  readonly accountId: string;
  readonly desk: string;
  readonly before: number;
  readonly after: number;
  /** after - before. */
  readonly change: number;
  /** Margin call amount under the new calibration (USD, >= 0; 0 = no call). */
  readonly marginCall: number;
}

/** Margins of all accounts (sorted by accountId), their totals and the histogram of the changes. */
export interface ReportMargins {
  readonly accounts: readonly ReportAccountMargin[];
  readonly totalBefore: number;
  readonly totalAfter: number;
  readonly totalChange: number;
  readonly accountsWithCall: number;
  readonly totalMarginCall: number;
  readonly changeHistogram: ReportHistogram;
}

/** One effect of a margin-change attribution (USD); the effects of an account sum to its change. */
export interface ReportEffect {
  readonly name: string;
  readonly amount: number;
}

/** One position's P&L in the account's worst scenario (USD, negative = loss). */
export interface ReportDriver {
  readonly instrument: string;
  readonly pnl: number;
}

/** An account with one of the largest margin increases, with why it changed. */
export interface ReportTopAccount {
  readonly accountId: string;
  readonly desk: string;
  readonly before: number;
  readonly after: number;
  readonly change: number;
  /** Waterfall effects in the order they were applied. */
  readonly effects: readonly ReportEffect[];
  /** The account's worst scenario under the new calibration and its P&L there (USD). */
  readonly worstScenario: { readonly name: string; readonly pnl: number };
  /** Largest losses first. */
  readonly drivers: readonly ReportDriver[];
}

/** One day of a backtest: margin at the close of `date`, realised P&L over the MPOR after it, exception flag. */
export interface ReportBacktestDay {
  /** ISO date (UTC). */
  readonly date: string;
  readonly margin: number;
  readonly pnl: number;
  /** loss (-pnl) > margin. */
  readonly exception: boolean;
}

/** The test table row of one calibration's backtest; p-values and statistics dimensionless, null if undefined. */
export interface ReportBacktestTests {
  readonly observations: number;
  readonly exceptions: number;
  readonly expectedExceptions: number;
  readonly kupiecLr: number | null;
  readonly kupiecP: number | null;
  readonly kupiecExactP: number | null;
  readonly christoffersenLr: number | null;
  readonly christoffersenP: number | null;
  readonly conditionalCoverageLr: number | null;
  readonly conditionalCoverageP: number | null;
  readonly zone: ReportZone;
  /** Share of days whose margin covered the loss, (n - x) / n. */
  readonly coverageRatio: number | null;
}

/** The backtest of one calibration (e.g. 'pre-incident', 'post-incident') on the history. */
export interface ReportBacktest {
  readonly calibration: string;
  /** Forecast confidence, e.g. 0.99. */
  readonly coverage: number;
  /** Margin period of risk in days. */
  readonly horizonDays: number;
  /** Days in date order. */
  readonly days: readonly ReportBacktestDay[];
  readonly tests: ReportBacktestTests;
}

/** The numbers a reader sees first. */
export interface ReportHeadline {
  readonly accounts: number;
  readonly totalMarginBefore: number;
  readonly totalMarginAfter: number;
  readonly totalMarginChange: number;
  /** totalMarginChange / totalMarginBefore; null when the total before is 0. */
  readonly totalMarginChangeRatio: number | null;
  readonly accountsWithCall: number;
  readonly totalMarginCall: number;
  readonly backtestZones: readonly { readonly calibration: string; readonly zone: ReportZone; readonly exceptions: number; readonly observations: number }[];
}

/** The whole report. */
export interface ReportModel {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly provenance: ReportProvenance;
  readonly headline: ReportHeadline;
  readonly surfaces: readonly ReportSurface[];
  readonly correlations: readonly ReportCorrelation[];
  readonly scenarioPnl: readonly ReportScenarioPnl[];
  readonly margins: ReportMargins;
  readonly topAccounts: readonly ReportTopAccount[];
  readonly backtests: readonly ReportBacktest[];
}
