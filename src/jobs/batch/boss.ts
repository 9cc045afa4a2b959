/**
 * pg-boss 10 on the store's PostgreSQL database, in its own schema (default `aftershock_boss`): the queue of batch
 * shards (one job per shard, `{ batchId, shardIndex }`), retried with exponential backoff; a worker killed mid-shard
 * leaves its job active until it expires (`expireInSeconds`), after which the maintenance loop retries it. Times in
 * seconds, as pg-boss takes them.
 */
import PgBoss from 'pg-boss';
import type { BatchRecord } from '../../store/index.ts';
import { BatchInputError } from './errors.ts';

/** The queue of batch shards. */
export const SHARD_QUEUE = 'aftershock-batch-shard';
/** Default pg-boss schema. */
export const DEFAULT_BOSS_SCHEMA = 'aftershock_boss';

/** Settings of the pg-boss instance and of the shard queue. */
export interface BossSettings {
  /** postgres:// URL of the store. */
  readonly url: string;
  /** pg-boss schema (default `aftershock_boss`). */
  readonly schema?: string;
  /** Retries of a failed or expired shard (default 5). */
  readonly retryLimit?: number;
  /** First retry delay, seconds (default 2; doubled each retry with backoff). */
  readonly retryDelaySeconds?: number;
  /** A shard job active for longer is considered lost (its worker died) and retried (default 300). */
  readonly expireInSeconds?: number;
  /** How often pg-boss looks for expired jobs, seconds (default 30). */
  readonly maintenanceIntervalSeconds?: number;
  /** How often pg-boss checks the cron schedules, seconds (default 30; a tick fires at most once per minute). */
  readonly cronMonitorIntervalSeconds?: number;
  /** Connections of pg-boss's pool (default 4). */
  readonly poolSize?: number;
  /**
   * Only send jobs and manage queues and schedules (no cron monitor, no maintenance): what a process that enqueues
   * a batch or edits schedules needs (default false: a worker).
   */
  readonly producerOnly?: boolean;
}

/** The shard job payload. */
export interface ShardJob {
  readonly batchId: string;
  readonly shardIndex: number;
}

/** Throws BatchInputError naming `schema` unless it is a plain SQL identifier. */
export function checkBossSchema(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new BatchInputError('bossSchema', schema, 'must be a SQL identifier (letters, digits, _)');
  return schema;
}

/** The queue options of the shard queue for `settings`. */
export function shardQueueOptions(settings: BossSettings): { retryLimit: number; retryDelay: number; retryBackoff: true; expireInSeconds: number } {
  return {
    retryLimit: settings.retryLimit ?? 5,
    retryDelay: settings.retryDelaySeconds ?? 2,
    retryBackoff: true,
    expireInSeconds: settings.expireInSeconds ?? 300,
  };
}

/** PostgreSQL errors of two processes creating pg-boss's schema or a queue at once: retried (deadlock, duplicates). */
const RACE_CODES = new Set(['40P01', '23505', '42P07', '42710', '40001']);

/** Whether `error` is a PostgreSQL error of concurrent schema/queue creation (see RACE_CODES). */
export function isCreationRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RACE_CODES.has(code);
}

/**
 * Starts pg-boss on `settings.url` (creating or migrating its schema) and makes sure the shard queue exists.
 * Processes starting at once on a fresh schema can deadlock each other in pg-boss's DDL: such an attempt is stopped
 * and retried (up to 5 attempts, 200 ms x attempt apart). `onError` receives pg-boss's background errors (default:
 * ignored). Stop it with `boss.stop()`.
 */
export async function startBoss(settings: BossSettings, onError: (error: Error) => void = () => undefined): Promise<PgBoss> {
  if (!/^postgres(ql)?:\/\//i.test(settings.url)) throw new BatchInputError('db', settings.url, 'scale-out needs a PostgreSQL store (postgres://...)');
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBossOnce(settings, onError);
    } catch (error) {
      if (attempt >= 5 || !isCreationRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function startBossOnce(settings: BossSettings, onError: (error: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: settings.url,
    schema: checkBossSchema(settings.schema ?? DEFAULT_BOSS_SCHEMA),
    max: settings.poolSize ?? 4,
    maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds ?? 30,
    cronMonitorIntervalSeconds: settings.cronMonitorIntervalSeconds ?? 30,
    application_name: 'aftershock',
    ...(settings.producerOnly ? { schedule: false, supervise: false } : {}),
  });
  boss.on('error', onError);
  try {
    await boss.start();
    await boss.createQueue(SHARD_QUEUE, { name: SHARD_QUEUE, ...shardQueueOptions(settings) });
  } catch (error) {
    // a half-started instance must not keep its pool (and the process) alive
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    throw error;
  }
  return boss;
}

/** Enqueues one job per shard of `batch` not done yet (all of a new batch); resolves to the number enqueued. */
export async function enqueueBatch(boss: PgBoss, batch: BatchRecord, settings: BossSettings, shardIndices?: readonly number[]): Promise<number> {
  const options = shardQueueOptions(settings);
  const indices = shardIndices ?? Array.from({ length: batch.shardCount }, (_, i) => i);
  for (let i = 0; i < indices.length; i += 1000) {
    await boss.insert(indices.slice(i, i + 1000).map((shardIndex) => ({
      name: SHARD_QUEUE, data: { batchId: batch.id, shardIndex } satisfies ShardJob, ...options,
    })));
  }
  return indices.length;
}
