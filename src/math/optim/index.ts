/** Derivative-free and quasi-Newton minimisers, 1-D minimisation and root finding, finite differences. */
export * from './nelderMead.ts';
export * from './bfgs.ts';
export * from './finiteDifferences.ts';
export * from './brentMinimize.ts';
export * from './brentRoot.ts';
