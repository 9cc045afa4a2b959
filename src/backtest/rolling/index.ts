/**
 * The rolling margin backtest (pure): a margin model re-run at each past date on the history up to that date only
 * (a copied view), the realised P&L of a linear USD book over the MPOR, exceptions, the statistics of ../stats, and
 * calibrations (e.g. pre- and post-incident) side by side on the same history. Two margin models: FHS-ES (over
 * src/risk/margin/fhsEs and the src/correlation vol models) and plain historical VaR/ES.
 */
export type { HistoryView, LinearBook, MarginContext, MarginForecast, MarginModel } from './types.ts';
export { historyView } from './historyView.ts';
export { bookExposures, linearPnl, realisedMporPnl } from './linearBook.ts';
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
