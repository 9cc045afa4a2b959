/**
 * Scheduled stress batches: a store schedule of job kind `stress-batch` whose payload names the portfolio file and
 * the shard size. Firing it creates a batch tagged with the schedule id (under the calibration active at the tick)
 * and records the firing time on the schedule. Used by the pg-boss workers and by the embedded croner scheduler.
 */
import { getBatch, getSchedule, markScheduleFired, type BatchRecord, type ScheduleRecord, type Store } from '../../store/index.ts';
import { createStressBatch } from './createStressBatch.ts';
import { BatchInputError } from './errors.ts';

/** The job kind of a scheduled stress batch. */
export const STRESS_BATCH_JOB = 'stress-batch';

/** The payload of a `stress-batch` schedule. */
export interface StressSchedulePayload {
  /** Absolute path of the portfolio file. */
  readonly portfolios: string;
  /** Accounts per shard (integer >= 1); absent: the default. */
  readonly shardSize?: number;
}

/** Validates a schedule payload; throws BatchInputError naming `payload.portfolios` or `payload.shardSize`. */
export function parseStressSchedulePayload(payload: unknown): StressSchedulePayload {
  const p = payload as Partial<StressSchedulePayload> | null;
  if (p === null || typeof p !== 'object' || typeof p.portfolios !== 'string' || p.portfolios === '') {
    throw new BatchInputError('payload.portfolios', (p as { portfolios?: unknown } | null)?.portfolios, 'must be the path of a portfolio file');
  }
  if (p.shardSize !== undefined && (!Number.isSafeInteger(p.shardSize) || p.shardSize < 1)) {
    throw new BatchInputError('payload.shardSize', p.shardSize, 'must be an integer >= 1');
  }
  return p.shardSize === undefined ? { portfolios: p.portfolios } : { portfolios: p.portfolios, shardSize: p.shardSize };
}

/**
 * Fires schedule `scheduleId` at `at` (ms UTC): creates its batch (with id `batchId` when given: a tick retried after
 * a crash then finds its batch instead of making a second one) and marks the schedule fired. Resolves to null
 * (nothing done) when the schedule no longer exists, is disabled, or is not a stress-batch schedule.
 */
export async function fireStressSchedule(store: Store, scheduleId: string, at: number, batchId?: string): Promise<BatchRecord | null> {
  let schedule: ScheduleRecord;
  try {
    schedule = await getSchedule(store, scheduleId);
  } catch {
    return null;
  }
  if (!schedule.enabled || schedule.jobKind !== STRESS_BATCH_JOB) return null;
  if (batchId !== undefined) {
    const existing = await getBatch(store, batchId).catch(() => null);
    if (existing !== null) return existing;
  }
  const payload = parseStressSchedulePayload(schedule.payload);
  const batch = await createStressBatch(store, {
    portfolios: payload.portfolios, scheduleId, ...(payload.shardSize === undefined ? {} : { shardSize: payload.shardSize }),
    ...(batchId === undefined ? {} : { id: batchId }),
  });
  await markScheduleFired(store, scheduleId, at);
  return batch;
}
