/** Option pricing: Black-Scholes with yield, Black-76, coin-settled options, Greeks, implied vol, batch kernels. */
export * from './types.ts';
export * from './errors.ts';
export { bsPrice, bsGreeks } from './blackScholes.ts';
export { black76Price, black76Greeks } from './black76.ts';
export { inverseOptionPrice, inverseOptionGreeks } from './inverse.ts';
export {
  impliedVol, impliedVolBlack76, impliedVolInverse, impliedVolDetailed, impliedVolBlack76Detailed,
  type ImpliedVolResult,
} from './impliedVol.ts';
export * from './batch.ts';
export {
  normalisedBlack, normalisedOtmCall, normalisedVega, normalisedIntrinsic,
} from './normalisedBlack.ts';
export {
  impliedTotalVolOtmCall, DEFAULT_HOUSEHOLDER_STEPS, type ImpliedVolDiagnostics, type ImpliedVolStopReason,
  type ImpliedVolBranch,
} from './impliedVolNormalised.ts';
export {
  bsPriceKernel, black76PriceKernel, inversePriceKernel, impliedVolUndiscountedKernel, black76PriceOfParts,
  inversePriceOfParts, logRatio,
} from './kernels.ts';
