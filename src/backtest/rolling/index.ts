/**
 * The rolling margin backtest (pure): a margin model re-run at each past date on the history up to that date only
 * (a copied view), the realised P&L over the MPOR of a linear USD book or of a response (full-revaluation) book,
 * exceptions, the statistics of ../stats, and calibrations (e.g. pre- and post-incident) side by side on the same
 * history. Two margin models: FHS-ES (over src/risk/margin/fhsEs and the src/correlation vol models) and plain
 * historical VaR/ES; both take either kind of book through `BookPnl` (./bookPnl.ts).
 */
export type {
  BacktestBook, BookPnl, HistoryView, LinearBook, MarginContext, MarginForecast, MarginModel, ResponseBook, UnderlyingResponse,
} from './types.ts';
export { historyView } from './historyView.ts';
export { bookExposures, linearPnl, realisedMporPnl } from './linearBook.ts';
export { bookPnl, linearBookPnl, realisedBookPnl } from './bookPnl.ts';
export { isResponseBook, validateResponseBook } from './responseBook.ts';
export { responseGrid, type ResponseGridOptions } from './responseGrid.ts';
export { keptRows, isStressRow, stressRowFlags, gatherRows, type StressSelection } from './viewRows.ts';
export { createFhsEsMarginModel, type FhsEsMarginModelConfig } from './fhsEsMarginModel.ts';
export { createHistoricalMarginModel, type HistoricalMarginModelConfig } from './historicalMarginModel.ts';
export {
  runRollingBacktest, dateRange, type RollingBacktestInput, type RollingBacktestRun, type BacktestCounts, type BacktestFailure,
} from './runRollingBacktest.ts';
export {
  evaluateBacktest, type EvaluateOptions, type BacktestPeriod, type BacktestStatistics, type TrafficLightWindow, type Z2Outcome,
} from './evaluateBacktest.ts';
export {
  compareCalibrations, type Calibration, type CompareCalibrationsInput, type CalibrationComparison, type CalibrationResult,
  type CalibrationSummary,
} from './compareCalibrations.ts';
export { incidentCalibrations, type IncidentCalibrationsInput } from './incidentCalibrations.ts';
export { evaluatedSeries, backtestTestSummary, type EvaluatedSeries, type BacktestTestSummary } from './backtestSeries.ts';
