/**
 * Progress of a long job (DESIGN.md §1, §7): the pipeline emits one event when a stage starts, as it advances
 * (`done` of `total` objects: expiries, accounts, dates...), for each per-object failure, and when the stage ends.
 * The CLI renders them as progress bars on a terminal or as JSON log lines otherwise; the store records the stage
 * and the overall progress on the run (updateRunProgress), which the API serves.
 */

/** The stages of a recalibration, in order. */
export const RECALIBRATION_STAGES = Object.freeze([
  'load',
  'clean',
  'surfaces',
  'correlation',
  'scenarios',
  'revaluation',
  /** margins before/after, collateral after haircuts, margin calls and the attribution, per account */
  'margin',
  'backtest',
  'report',
  'store',
] as const);
export type RecalibrationStage = (typeof RECALIBRATION_STAGES)[number];

/** One progress event. `at` is epoch ms from the job's clock. */
export type ProgressEvent =
  | { readonly type: 'stage-start'; readonly stage: string; readonly index: number; readonly stages: number; readonly total: number; readonly at: number }
  | { readonly type: 'stage-progress'; readonly stage: string; readonly done: number; readonly total: number; readonly at: number }
  | { readonly type: 'object-failure'; readonly stage: string; readonly object: string; readonly reason: string; readonly at: number }
  | { readonly type: 'stage-end'; readonly stage: string; readonly done: number; readonly total: number; readonly failures: number; readonly elapsedMs: number; readonly at: number }
  | { readonly type: 'message'; readonly stage: string | null; readonly text: string; readonly at: number };

/** Receives progress events; must not throw (a throwing listener is ignored by the emitter). */
export type ProgressListener = (event: ProgressEvent) => void;
