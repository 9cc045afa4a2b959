/**
 * Stress batches (issue 9): the margin of every account of a portfolio file under the active calibration's stored
 * matrix and margin model, in shards; embedded (any store, in-process) or scaled out over pg-boss workers
 * (PostgreSQL), with cron schedules and a report per batch. Amounts USD; margins >= 0; P&L positive = gain.
 */
export { BatchInputError } from './errors.ts';
export { loadBatchAccounts, shardAccounts, type BatchAccounts, type BatchSource } from './accounts.ts';
export { loadBatchEngine, accountBatchResult, collateralValueOf, type BatchEngine } from './engine.ts';
export { createStressBatch, DEFAULT_SHARD_SIZE, type StressBatchRequest } from './createStressBatch.ts';
export { processShard, computeShard, cachedBatchEngine, batchSourceOf, type ShardHooks } from './processShard.ts';
export { runStressBatch, runBatchShards, type RunStressBatchOptions } from './runStressBatch.ts';
export { batchReport, type BatchReport, type BatchReportAccount } from './report.ts';
export { startBoss, enqueueBatch, isCreationRace, checkBossSchema, shardQueueOptions, SHARD_QUEUE, DEFAULT_BOSS_SCHEMA, type BossSettings, type ShardJob } from './boss.ts';
export { mirrorSchedules, scheduleQueueName, scheduleIdOfQueue, SCHEDULE_QUEUE_PREFIX } from './bossSchedules.ts';
export { startBatchWorker, type BatchWorker, type BatchWorkerOptions } from './worker.ts';
export { fireStressSchedule, parseStressSchedulePayload, STRESS_BATCH_JOB, type StressSchedulePayload } from './scheduledBatch.ts';
export { startEmbeddedScheduler, type EmbeddedScheduler, type EmbeddedSchedulerOptions } from './embeddedScheduler.ts';
export { createBatchLauncher, checkPortfolioName, DEFAULT_PORTFOLIOS_DIR, type BatchLauncher, type BatchLauncherOptions, type BatchLaunchRequest, type BatchLaunchMode } from './launcher.ts';
