/** Deribit-compatible portfolio margin (reference/margin-methods.md §1): parameters, vectors, aggregation, shocks. */
export {
  validateDeribitPmParams, VENUE_EXTENDED_MOVES, type DeribitPmParams, type DeribitPmPairParams, type DeribitPmCurrencyParams,
} from './params.ts';
export { pairGrid, gridModelOf, type PairGrid } from './grid.ts';
export { resolveLegs, asOfMs, type PmLeg, type PmMark, type PmPosition } from './legs.ts';
export { legVectors, pnlPerUnit, type LegVectors } from './vectors.ts';
export { aggregateKey, sumVectors, dampenerAmount, type AggregationSettings } from './aggregate.ts';
export { deltaShock, rollShock, type DeltaShockDetail, type RollTerm } from './shocks.ts';
export { worstCaseOf, type WorstCaseBucket } from './worstCase.ts';
export {
  deribitPortfolioMargin, type DeribitPmInput, type DeribitPmResult, type PmFigures, type PmKeyDetail, type RiskVectors,
} from './deribitPortfolioMargin.ts';
