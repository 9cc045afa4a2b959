/**
 * The public library API of Aftershock (DESIGN.md §6). Stable names; later stages add margins and backtests here.
 * Layers are also reachable as namespaces: `correlation`, `scenarios`, `market`.
 */
export {
  bsPrice, bsGreeks, black76Price, black76Greeks, inverseOptionPrice, inverseOptionGreeks,
  impliedVol, impliedVolBlack76, impliedVolInverse, impliedVolDetailed, impliedVolBlack76Detailed,
  ImpliedVolError, PricingInputError, IMPLIED_VOL_STATUS,
  bsPriceBatch, bsGreeksBatch, black76PriceBatch, black76GreeksBatch, inversePriceBatch, impliedVolBatch,
  impliedVolBlackBatch, allocateGreeksBuffers, normalisedBlack,
} from './pricing/index.ts';
export type {
  OptionType, BsInput, Black76Input, InverseOptionInput, BsGreeks, Black76Greeks, InverseOptionGreeks,
  BsImpliedVolInput, Black76ImpliedVolInput, InverseImpliedVolInput, ImpliedVolErrorCode, ImpliedVolResult,
  BsBatch, ForwardBatch, BsImpliedVolBatch, GreeksBuffers,
} from './pricing/index.ts';
export { normCdf, normPdf, normInv, erf, erfc, erfcx, neumaierSum, compensatedDot, createRng } from './math/index.ts';

// volatility surfaces (DESIGN.md §6 names) and arbitrage-free surfaces fitted to real option chains
export {
  sviTotalVariance, fitSviSlice, sviButterfly, ssviTotalVariance, ssviArbitrage, VolSurface, SurfaceDomainError,
} from './surface/index.ts';
export type {
  SviRawParams, SsviParams, SviSliceData, SviFitOptions, SviFitResult, SviButterflyOptions, SviButterflyResult,
  SsviArbitrageResult, VolSliceModel, VolSurfaceSliceInput, VolSurfaceJson,
} from './surface/index.ts';
export { fitChainSurface, surfaceComparison, scanSurfaceArbitrage } from './surface/chain/index.ts';
export type {
  ChainFitOptions, ChainSurfaceResult, ChainSliceReport, ChainFailure, CalendarPolicy, ChainWeightScheme,
  PreviousChainCalibration, ChainSurfaceComparison, DatedSurface, SurfaceArbitrageScan,
} from './surface/chain/index.ts';

// correlation and volatility models (DESIGN.md §6 names)
export {
  sampleCovariance, sampleCorrelation, ewmaCovariance, ledoitWolf, oasCovariance, nearestCorrelation,
  stressedCorrelation, blendCorrelations, isPositiveSemidefinite, fitGarch, garchVolatility, ewmaVolatility,
  CorrelationInputError,
} from './correlation/index.ts';
export * as correlation from './correlation/index.ts';
export * as scenarios from './scenarios/index.ts';
export * as market from './market/index.ts';

// risk: grid revaluation, the venue-compatible portfolio margin, VaR/ES (DESIGN.md §6 names)
export { stressGrid, deribitPortfolioMargin, historicalVaR, expectedShortfall } from './risk/index.ts';
export * as risk from './risk/index.ts';

// backtesting statistics (DESIGN.md §6 names)
export { kupiec, christoffersen, trafficLight } from './backtest/index.ts';
export * as backtest from './backtest/index.ts';

// the recalibration report: model, JSON schema, JSON and self-contained HTML renderers
export * as report from './report/index.ts';
