/**
 * Persistence (DESIGN.md §9): one Kysely query layer over SQLite (better-sqlite3, the embedded default) and
 * PostgreSQL (pg), one set of migrations, small repositories per aggregate, and the calibration lifecycle.
 * Open with `openStore(target)`; resolve the target with src/config's `resolveDatabaseTarget`.
 */
export { openStore, appliedMigrations, dialectOf } from './open.ts';
export type { Store, StoreDb, OpenStoreOptions } from './open.ts';
export { storeMigrations, MIGRATION_TABLE, MIGRATION_LOCK_TABLE } from './migrations.ts';
export type { StoreDialect } from './migrations.ts';
export type { StoreSchema } from './schema.ts';
export {
  StoreDataError, StoreNotFoundError, RunLifecycleError, StoreBusyError, StoreOpenError, StoreUnavailableError, StoreFullError,
} from './errors.ts';
export type { LifecycleRefusal } from './errors.ts';
export { encodeFloat64, decodeFloat64, encodeJson, decodeJson } from './codec.ts';
export { withTransaction, withStoreRetry, withRetryPolicy, isStoreFault, DEFAULT_STORE_RETRY } from './transaction.ts';
export type { StoreRetryPolicy, StoreRetryEvent } from './transaction.ts';

export {
  RUN_STATUSES, createRun, getRun, findRun, listRuns, updateRunProgress, heartbeatRun, finishRun,
} from './runs.ts';
export type { RunStatus, FinishedStatus, RunSeed, ObjectFailure, RunRecord, CreateRunInput, FinishRunInput } from './runs.ts';
export { promoteRun, rollbackCalibration, rollbackCalibration as rollback, getActiveRun, getActivePointer, markInterruptedRuns } from './lifecycle.ts';
export type { PromotionGate, PromoteOptions, RollbackOptions, LifecycleResult } from './lifecycle.ts';

export { putIncident, getIncident, listIncidents } from './incidents.ts';
export type { IncidentInput, IncidentRecord } from './incidents.ts';
export { putSurfaces, getSurface, listSurfaces } from './surfaces.ts';
export type { SurfaceInput, SurfaceRecord } from './surfaces.ts';
export { putCorrelation, getCorrelation } from './correlation.ts';
export type { CorrelationInput, CorrelationRecord } from './correlation.ts';
export { putScenarioSet, getScenarioSet, listScenarioSets } from './scenarioSets.ts';
export type { ScenarioSetInput, ScenarioSetRecord } from './scenarioSets.ts';
export type { NamedArray } from './arrays.ts';
export { putPnlMatrix, getPnlMatrix } from './pnlMatrix.ts';
export type { PnlMatrixInput, PnlMatrixRecord } from './pnlMatrix.ts';
export { putAccountMargins, getAccountMargin, listAccountMargins } from './margins.ts';
export type { AccountMarginInput, AccountMarginRecord } from './margins.ts';
export { putCollateralHoldings, listCollateralHoldings } from './collateral.ts';
export type { CollateralHoldingInput, CollateralHoldingRecord } from './collateral.ts';
export { putBacktest, getBacktest, listBacktests } from './backtests.ts';
export type { BacktestInput, BacktestRecord } from './backtests.ts';
export { createSchedule, getSchedule, listSchedules, setScheduleEnabled, markScheduleFired, deleteSchedule } from './schedules.ts';
export type { ScheduleInput, ScheduleRecord } from './schedules.ts';
export { createApiKey, verifyApiKey, getApiKey, listApiKeys, revokeApiKey, apiKeyIdOf } from './apiKeys.ts';
export type { ApiKeyRole, ApiKeyRecord } from './apiKeys.ts';
export { appendAudit, listAudit } from './audit.ts';
export type { AuditInput, AuditEntry } from './audit.ts';
export { putRunMarginModel, getRunMarginModel, putRunReport, getRunReport } from './runArtifacts.ts';
export type { RunReportInput, RunReportRecord } from './runArtifacts.ts';
export {
  createBatch, getBatch, listBatches, listBatchShards, startShard, completeShard, failBatch, batchTotals, listBatchResults,
} from './batches.ts';
export type {
  BatchStatus, BatchInput, BatchRecord, BatchShardRecord, BatchResultInput, BatchResultRecord, BatchTotals, ShardCompletion,
} from './batches.ts';
