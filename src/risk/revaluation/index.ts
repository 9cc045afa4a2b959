/**
 * Revaluation (pure): every instrument priced once per scenario into instrument x scenario P&L matrices (sticky strike
 * or sticky moneyness), accounts aggregated by sparse products, collateral revalued in the same scenarios, and the
 * public `stressGrid` of DESIGN.md §6. Worker-thread execution of the same kernels is in src/risk/parallel.
 */
export {
  STABLECOINS, CELL_STATUS, CELL_STATUS_NAMES, type UnderlyingMarket, type BaseMarket, type VolStickiness, type RevaluationOptions,
} from './types.ts';
export {
  buildRevaluationPlan, planSurfaces, plainArrays, sharedArrays, type RevaluationPlan, type RevaluationPlanArrays, type ArrayFactory,
} from './plan.ts';
export { priceRows, priceRowsScratch, type InstrumentPnlBuffers, type PriceRowsScratch } from './priceRows.ts';
export {
  revalueInstruments, allocateInstrumentPnl, instrumentPnlResult, type InstrumentPnl, type InstrumentFailure,
} from './revalueInstruments.ts';
export {
  accumulateRow, aggregateRows, aggregateAccounts, checkProductShapes, worstCaseRows, allocateWorstCase, type AccountWorstCase, type WorstCaseScratch,
} from './aggregate.ts';
export {
  revaluePortfolio, settlementPnl, accountFailuresOf, type PortfolioPnl, type AccountRevaluationFailure,
} from './revaluePortfolio.ts';
export {
  stressGrid, type StressGridInput, type StressGridResult, type StressGridUnderlying, type StressGridPosition, type StressGridSviSlice,
} from './stressGrid.ts';
export { baseMarketFromUniverse, type UniverseMarketOptions } from './universeMarket.ts';
