/**
 * A scale-out worker (PostgreSQL): takes shard jobs from pg-boss and processes them (processShard: a shard already
 * done is skipped, so a retry never double counts), with `concurrency` independent pollers; mirrors the store's
 * stress-batch schedules to pg-boss and takes their ticks (creating the batch and enqueueing its shards). A shard
 * whose batch cannot be used (file gone, run without matrix) fails the batch without retrying; any other error is
 * rethrown so pg-boss retries the job with backoff.
 */
import type PgBoss from 'pg-boss';
import { failBatch, listBatchShards, type Store } from '../../store/index.ts';
import { enqueueBatch, isCreationRace, SHARD_QUEUE, type BossSettings, type ShardJob } from './boss.ts';
import { mirrorSchedules, scheduleIdOfQueue } from './bossSchedules.ts';
import { BatchInputError } from './errors.ts';
import { processShard, type ShardHooks } from './processShard.ts';
import { fireStressSchedule } from './scheduledBatch.ts';

/** Options of {@link startBatchWorker}. */
export interface BatchWorkerOptions {
  readonly store: Store;
  readonly boss: PgBoss;
  readonly settings: BossSettings;
  /** Worker id recorded on the shards it completes. */
  readonly workerId: string;
  /** Shards processed at once by this process (default 1). */
  readonly concurrency?: number;
  /** Polling interval, seconds (>= 0.5, default 2). */
  readonly pollingIntervalSeconds?: number;
  /** How often the store's schedules are mirrored and their queues picked up, seconds (default 30; 0: never). */
  readonly scheduleSyncSeconds?: number;
  /** Event lines (shard done, schedule fired, errors). */
  readonly log?: (event: Record<string, unknown>) => void;
  readonly hooks?: ShardHooks;
}

/** A running worker. */
export interface BatchWorker {
  /** Stops taking jobs and waits for the running ones (pg-boss itself is stopped by the caller). */
  stop(): Promise<void>;
}

/** Starts the worker (see the module comment). */
export async function startBatchWorker(options: BatchWorkerOptions): Promise<BatchWorker> {
  const { store, boss, settings, workerId } = options;
  const log = options.log ?? (() => undefined);
  const polling = options.pollingIntervalSeconds ?? 2;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new BatchInputError('concurrency', concurrency, 'must be an integer >= 1');

  const onShard = async (jobs: PgBoss.Job<ShardJob>[]): Promise<void> => {
    for (const job of jobs) {
      const { batchId, shardIndex } = job.data;
      try {
        const done = await processShard(store, batchId, shardIndex, workerId, options.hooks);
        log({ event: 'shard', batchId, shardIndex, applied: done.applied, batchDone: done.batchDone });
      } catch (error) {
        if (error instanceof BatchInputError) {
          await failBatch(store, batchId, error.message);
          log({ event: 'batch-failed', batchId, shardIndex, error: error.message });
          continue;
        }
        log({ event: 'shard-error', batchId, shardIndex, error: (error as Error).message });
        throw error;
      }
    }
  };
  for (let i = 0; i < concurrency; i++) await boss.work<ShardJob>(SHARD_QUEUE, { batchSize: 1, pollingIntervalSeconds: polling }, onShard);

  const working = new Set<string>();
  const onTick = async (jobs: PgBoss.Job<{ scheduleId?: string }>[]): Promise<void> => {
    for (const job of jobs) {
      const scheduleId = job.data.scheduleId ?? scheduleIdOfQueue(job.name);
      if (scheduleId === null) continue;
      let batch;
      try {
        // one batch per tick job: a tick retried after a crash re-enqueues the undone shards of its own batch
        batch = await fireStressSchedule(store, scheduleId, store.now(), `${scheduleId}@${job.id}`);
      } catch (error) {
        if (!(error instanceof BatchInputError)) throw error;
        log({ event: 'schedule-refused', scheduleId, error: error.message });
        continue;
      }
      if (batch === null) continue;
      const undone = batch.status === 'running'
        ? (await listBatchShards(store, batch.id)).filter((s) => s.status !== 'done').map((s) => s.shardIndex)
        : [];
      const shards = await enqueueBatch(boss, batch, settings, undone);
      log({ event: 'schedule-fired', scheduleId, batchId: batch.id, shards });
    }
  };
  const sync = async (): Promise<void> => {
    for (const name of await mirrorSchedules(store, boss)) {
      if (working.has(name)) continue;
      working.add(name);
      await boss.work<{ scheduleId?: string }>(name, { batchSize: 1, pollingIntervalSeconds: polling }, onTick);
    }
  };
  const syncSeconds = options.scheduleSyncSeconds ?? 30;
  // workers starting together create the same schedule queues at once: a deadlock there is retried, not fatal
  for (let attempt = 1; ; attempt++) {
    try {
      await sync();
      break;
    } catch (error) {
      if (attempt >= 5 || !isCreationRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  let timer: NodeJS.Timeout | null = null;
  if (syncSeconds > 0) {
    timer = setInterval(() => {
      sync().catch((error: unknown) => log({ event: 'schedule-sync-error', error: (error as Error).message }));
    }, syncSeconds * 1000);
  }
  return {
    stop: async () => {
      if (timer !== null) clearInterval(timer);
      await boss.offWork(SHARD_QUEUE);
      for (const name of working) await boss.offWork(name);
    },
  };
}
