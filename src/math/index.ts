/** Special functions, compensated sums, seeded randomness and small solvers: the bottom layer, pure. */
export * from './erf.ts';
export * from './normal.ts';
export * from './sum.ts';
export * from './rng.ts';
export * from './levenbergMarquardt.ts';
export * from './symmetricEigen.ts';
export * from './optim/index.ts';
export * from './linalg/index.ts';
