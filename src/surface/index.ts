/**
 * Volatility surfaces: raw/natural/JW SVI, Durrleman butterfly checks, quasi-explicit SVI calibration, SSVI and
 * eSSVI with their no-arbitrage conditions and fits, calendar checks, the immutable VolSurface and surface
 * comparisons. Conventions: k = ln(K/F_T), w = sigma_BS^2 T (total implied variance), T in years (ACT/365),
 * vols annualised decimals (reference/methods.md §3).
 */
export type {
  SviRawParams, SviNaturalParams, SviJwParams, SsviParams, SsviPowerLawParams, SsviHestonParams, SsviPhiKind,
  EssviSliceParams,
} from './types.ts';
export { SurfaceDomainError } from './errors.ts';
export { checkSviRawParams, validateSviRawParams, type SviParamsProblem } from './validateSviParams.ts';
export {
  sviTotalVariance, sviTotalVarianceUnchecked, sviFirstDerivative, sviSecondDerivative, sviTotalVarianceBatch,
} from './sviTotalVariance.ts';
export { sviRawToNatural, sviNaturalToRaw, sviRawToJw, sviJwToRaw } from './convertSviParams.ts';
export { durrlemanGFromDerivatives, sviDurrlemanG, densityFromDurrleman, sviLogMoneynessDensity } from './durrlemanG.ts';
export { sviButterfly, type SviButterflyOptions, type SviButterflyResult } from './sviButterfly.ts';
export {
  fitSviSlice, type SviSliceData, type SviFitOptions, type SviFitResult, type SviFitStatus, type SviFitDiagnostics,
  type SviFitStopReason,
} from './fitSviSlice.ts';
export { measureSviFit, type SviQuoteSet, type SviFitStatistics } from './measureSviFit.ts';
export { normalisedVega, vegaWeights, inverseSpreadWeights, type InverseSpreadWeightOptions } from './sviFitWeights.ts';
export { sviCalendarCheck, scanCalendar, type CalendarCheckResult, type CalendarCheckOptions } from './calendarCheck.ts';
export {
  ssviTotalVariance, ssviPhi, ssviThetaPhiDerivative, ssviToRawSvi, validateSsviParams, essviTotalVariance,
  essviTotalVarianceUnchecked, essviToRawSvi, validateEssviSlice,
} from './ssviTotalVariance.ts';
export { ssviArbitrage, type SsviArbitrageResult, type SsviSliceArbitrage, type SsviSliceSpec } from './ssviArbitrage.ts';
export { essviCalendarConditions, essviPsiCap, essviWingFactor, type EssviCalendarConditions } from './essviConditions.ts';
export { fitSsviSurface, type SsviFitOptions, type SsviFitResult } from './fitSsviSurface.ts';
export { fitEssviSurface, type EssviFitOptions, type EssviFitResult, type EssviFittedSlice } from './fitEssviSurface.ts';
export { prepareSurfaceQuotes, isotonicNonDecreasing, type SurfaceSliceQuotes, type PreparedSlice } from './prepareSurfaceQuotes.ts';
export { atmTotalVariance, cleanSliceQuotes, type CleanedSliceQuotes } from './cleanSliceQuotes.ts';
export { leeBoundedSlice, type LeeBoundedSlice } from './leeBoundedSlice.ts';
export {
  VolSurface, sliceRawParams, type VolSliceModel, type VolSurfaceSlice, type VolSurfaceSliceInput, type VolSurfaceJson,
} from './VolSurface.ts';
export { smileSummary, compareSurfaces, type SmileSummary, type SurfaceComparison, type SurfaceComparisonRow } from './compareSurfaces.ts';
