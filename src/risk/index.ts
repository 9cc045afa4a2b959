export * from './portfolio/index.ts';
export * from './revaluation/index.ts';
export * from './parallel/index.ts';
export * from './margin/index.ts';
export * from './collateral/index.ts';
export * from './attribution/index.ts';
