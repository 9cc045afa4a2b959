/**
 * Margin models (pure): the Deribit-compatible portfolio margin, SPAN-style scanning risk, the FHS expected-shortfall
 * margin with MPOR scaling, liquidity/concentration add-ons and anti-procyclicality, and the incident residual-risk
 * add-on; plus the VaR/ES measures they build on (re-exported from ../measures).
 */
export * from '../measures/index.ts';
export * from './deribitPm/index.ts';
export * from './span/index.ts';
export * from './fhsEs/index.ts';
export * from './addOns/index.ts';
export * from './scenarioMargin/index.ts';
