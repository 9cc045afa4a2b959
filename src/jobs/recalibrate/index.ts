/** The recalibration job: inputs, pipeline, gates and shadow comparison, and the job that stores a run. */
export { loadRecalibrationInputs, DEFAULT_INPUT_LIMITS, type InputLimits, type RecalibrationRequest, type RecalibrationInputs, type HashedFile, type LoadedSnapshot } from './inputs.ts';
export { RecalibrationInputError } from './errors.ts';
export { validateRecalibrationModel, type RecalibrationModel } from './model.ts';
export { runRecalibrationPipeline, type PipelineOptions, type PipelineOutput } from './pipeline.ts';
export { evaluateGates, shadowCompare, type GateResult, type ShadowComparison } from './gates.ts';
export { runRecalibrationJob, RECALIBRATION_HEARTBEAT_MS, RECALIBRATION_LEASE_MS, type RecalibrationJobOptions, type RecalibrationJobResult } from './job.ts';
export type { StageFailure } from './failures.ts';
