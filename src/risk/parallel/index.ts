/**
 * Worker threads for large books (piscina): the revaluation kernels of src/risk/revaluation run on a pool over
 * SharedArrayBuffer-backed arrays, with the same numbers as the single-thread path. This folder is the only place in
 * src/risk that starts threads (see the architecture test's exception).
 */
export { createRevaluationPool, type RevaluationPool, type RevaluationPoolOptions } from './pool.ts';
export { isShared, sharedFloat64, sharedInt32, sharedUint8, toSharedFloat64, toSharedInt32, toSharedCsr } from './shared.ts';
export { runRevaluationTask, type RevaluationTask, type PriceTask, type AggregateTask, type WorstCaseTask } from './tasks.ts';
