/**
 * Collateral (pure): the haircut schedule, volatility haircuts with floors and caps, collateral value after haircuts,
 * collateral P&L inside the scenarios, excess/deficit and the margin call. All amounts USD.
 */
export { validateHaircutSchedule, type HaircutSchedule, type HaircutBounds } from './haircutSchedule.ts';
export { haircutFor, haircutBounds, postIncidentDailyVolatility, type Haircut, type HaircutBinding } from './haircut.ts';
export {
  valueCollateral, priceOf, type Holding, type CollateralInput, type CollateralValue, type ValuedHolding,
} from './valueCollateral.ts';
export { marginCall, type MarginCallInput, type MarginCallResult } from './marginCall.ts';
export { collateralScenarioPnl } from './collateralScenarioPnl.ts';
