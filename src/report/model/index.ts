/** The report model: types, the builder's input and the pure builder. */
export * from './types.ts';
export type * from './input.ts';
export * from './errors.ts';
export * from './histogram.ts';
export * from './buildReportModel.ts';
