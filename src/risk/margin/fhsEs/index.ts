/** FHS expected-shortfall margin: MPOR scaling, anti-procyclicality, liquidity and concentration add-ons. */
export { validateFhsEsModel, type FhsEsModel, type ApcConfig, type LiquidityParams } from './fhsEsModel.ts';
export { overlappingSums, sqrtTimeFactor } from './mporScaling.ts';
export { applyApc, type ApcResult, type ApcInputs } from './antiProcyclicality.ts';
export { liquidityAddOn, concentrationAddOn, netExposures, type Exposure } from './liquidityAddOns.ts';
export { fhsEsMargin, fhsEsMarginOfModel, mporExpectedShortfall, type FhsEsMarginInput, type FhsEsMarginResult } from './fhsEsMargin.ts';
