/**
 * Correlation and volatility-model layer: sample / EWMA / shrinkage estimators, stressed correlation
 * and blends, nearest-correlation repair (Higham alternating projections, Qi–Sun Newton), definiteness
 * checks, and per-asset EWMA / GARCH(1,1) conditional volatilities for filtered historical simulation.
 * Returns panels are `number[][]` with rows = dates (oldest first) and columns = assets; matrices are
 * `number[][]`; per-period units (no annualisation). Pure: no I/O, clock or global randomness.
 */
export { CorrelationInputError, type CorrelationErrorCode } from './errors.ts';
export type { MissingPolicy } from './panel.ts';
export { sampleCovariance, type SampleEstimatorOptions } from './sampleCovariance.ts';
export { sampleCorrelation } from './sampleCorrelation.ts';
export { correlationFromCovariance, covarianceFromCorrelation, volatilitiesFromCovariance } from './convertCovariance.ts';
export { ewmaCovariance, ewmaCovarianceKernel, type EwmaCovarianceOptions } from './ewmaCovariance.ts';
export { ledoitWolf, type LedoitWolfOptions, type ShrinkageResult } from './ledoitWolf.ts';
export { oasCovariance } from './oasCovariance.ts';
export { stressedCorrelation, type StressWindow, type StressedCorrelationOptions, type StressedCorrelationResult } from './stressedCorrelation.ts';
export { blendCorrelations, type BlendCorrelationsOptions, type BlendCorrelationsResult } from './blendCorrelations.ts';
export {
  nearestCorrelation,
  nearestCorrelationFlat,
  NEWTON_DEFAULT_MIN_SIZE,
  type NearestCorrelationOptions,
  type NearestCorrelationResult,
  type NearestCorrelationFlatResult,
} from './nearestCorrelation.ts';
export { isPositiveSemidefinite, minEigenvalue, minEigenvalueFlat, symmetricEigenvalues } from './positiveSemidefinite.ts';
export { ewmaVolatility, type ConditionalVolatility, type EwmaVolatilityOptions } from './volatility/ewmaVolatility.ts';
export { garchVolatility, type GarchParams, type GarchInitialVariance } from './volatility/garchVariance.ts';
export { fitGarch, type FitGarchOptions, type GarchFit, type GarchStandardErrors } from './volatility/fitGarch.ts';
export { simulateGarch, type GarchPath, type NormalSource } from './volatility/simulateGarch.ts';
export { fitAssetVolatilities, type AssetVolatilityResult, type VolatilityModelSpec } from './volatility/assetVolatilities.ts';
