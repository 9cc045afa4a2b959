/**
 * Creating a stress batch: resolves the ACTIVE calibration (the batch keeps its run id, so a promotion during the
 * batch does not mix calibrations), loads the portfolio file to count its accounts, and stores the batch with its
 * pending shards. Nothing is computed here (runStressBatch or workers do that).
 */
import { createBatch, getActiveRun, type BatchRecord, type Store } from '../../store/index.ts';
import { loadBatchAccounts, type BatchSource } from './accounts.ts';
import { BatchInputError } from './errors.ts';

/** Default accounts per shard. */
export const DEFAULT_SHARD_SIZE = 5000;

/** A stress batch request. */
export interface StressBatchRequest {
  /** Portfolio file (fixtures/portfolios format); recorded as an absolute path for the workers. */
  readonly portfolios: string;
  /** Accounts per shard (integer >= 1, default 5000). */
  readonly shardSize?: number;
  readonly scheduleId?: string | null;
  /** Batch id (default a random UUID). */
  readonly id?: string;
  /** Run to use instead of the active one (tests, replays). */
  readonly runId?: string;
}

/**
 * Stores a new batch over the accounts of `request.portfolios` under the active calibration. Throws
 * BatchInputError naming `shardSize`, `portfolios` or `runId` (no active calibration).
 */
export async function createStressBatch(store: Store, request: StressBatchRequest): Promise<BatchRecord> {
  const shardSize = request.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isSafeInteger(shardSize) || shardSize < 1) throw new BatchInputError('shardSize', shardSize, 'must be an integer >= 1');
  let runId = request.runId;
  if (runId === undefined) {
    const active = await getActiveRun(store);
    if (active === null) throw new BatchInputError('runId', null, 'there is no active calibration: promote a run first');
    runId = active.id;
  }
  const loaded = await loadBatchAccounts(request.portfolios);
  const source: BatchSource = { portfolios: loaded.path, rejectedAccounts: loaded.failures.length };
  return createBatch(store, {
    ...(request.id === undefined ? {} : { id: request.id }),
    scheduleId: request.scheduleId ?? null,
    runId, shardSize, accountCount: loaded.accounts.length, source,
  });
}
