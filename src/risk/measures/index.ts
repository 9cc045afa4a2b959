/**
 * Risk measures over scenario P&L vectors (pure): historical VaR and expected shortfall with the exact order-statistic
 * convention (k = ceil(n (1 - alpha)) in integers), per vector and per row of an accounts x scenarios matrix.
 */
export { MarginInputError } from './errors.ts';
export { tailMass, tailCount, decimalFraction, type TailMass } from './tailCount.ts';
export { largestLossesKernel, INSERTION_LIMIT } from './largestLosses.ts';
export {
  historicalVaR, expectedShortfall, esFromTail, checkPnlVector, type EsMethod, type ExpectedShortfallOptions,
} from './varEs.ts';
export { historicalVaRRows, expectedShortfallRows } from './rows.ts';
