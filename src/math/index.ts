/** Special functions, compensated sums and seeded randomness: the bottom layer, pure and allocation-free. */
export * from './erf.ts';
export * from './normal.ts';
export * from './sum.ts';
export * from './rng.ts';
