/** Special functions of the backtest statistics: ln Gamma, Stirling's error, Loader's deviance, incomplete gamma. */
export * from './logGamma.ts';
export * from './stirlingError.ts';
export * from './stirlingSeries.ts';
export * from './deviance.ts';
export * from './regularizedGamma.ts';
export * from './regularizedBeta.ts';
