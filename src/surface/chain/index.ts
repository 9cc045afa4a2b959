/**
 * Surfaces from real option chains: fitChainSurface (per-expiry SVI, fallbacks, calendar repair, arbitrage scan),
 * the numerical scan of a VolSurface, and the before/after comparison for reports and the API.
 */
export type {
  ChainFitOptions, ChainWeightScheme, CalendarPolicy, PreviousChainCalibration, ChainSliceSource, FallbackLevelSource,
  ChainSliceReport, ChainFailure, CalendarViolation, CalendarRepair, ChainSurfaceResult,
} from './types.ts';
export { fitChainSurface } from './fitChainSurface.ts';
export { scanSurfaceArbitrage, type SurfaceArbitrageScan, type SurfaceArbitrageScanOptions, type ScanPoint } from './scanSurfaceArbitrage.ts';
export {
  surfaceComparison, type DatedSurface, type SurfaceComparisonOptions, type ExpiryComparisonRow, type TenorComparisonRow,
  type ChainSurfaceComparison,
} from './surfaceComparison.ts';
