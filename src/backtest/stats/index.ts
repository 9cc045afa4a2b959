/**
 * Backtest statistics (DESIGN.md §5 "Backtest", §6): Kupiec POF, Christoffersen independence and conditional
 * coverage, the traffic light for any window and coverage, the Acerbi-Szekely Z2 ES test with simulated
 * critical values, the margin coverage ratio and procyclicality metrics, and the accurate binomial/chi-square
 * tails they stand on. Pure: randomness comes in as a seed or generator.
 */
export * from './errors.ts';
export * from './decimal.ts';
export * from './exceptions.ts';
export * from './special/index.ts';
export * from './distributions/index.ts';
export * from './binomialTest.ts';
export * from './kupiec.ts';
export * from './christoffersen.ts';
export * from './trafficLight.ts';
export * from './acerbiSzekely.ts';
export * from './esForecast.ts';
export * from './acerbiSzekelyTest.ts';
export * from './coverage.ts';
export * from './procyclicality.ts';
