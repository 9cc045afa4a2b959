/** Distributions the backtests need, accurate in their tails: binomial, chi-square, Student t. */
export * from './binomial.ts';
export * from './chiSquare.ts';
export * from './sampleGamma.ts';
export * from './studentT.ts';
