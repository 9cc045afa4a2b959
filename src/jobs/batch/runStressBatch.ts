/**
 * Embedded mode (any store): a whole stress batch in this process, shard after shard (each shard completed in its
 * own transaction, exactly as a worker would). A batch whose file or run cannot be used is marked failed.
 */
import { failBatch, getBatch, type BatchRecord, type Store } from '../../store/index.ts';
import { createStressBatch, type StressBatchRequest } from './createStressBatch.ts';
import { BatchInputError } from './errors.ts';
import { processShard, type ShardHooks } from './processShard.ts';

/** Options of {@link runStressBatch}. */
export interface RunStressBatchOptions {
  /** Worker id recorded on the shards (default `embedded:<pid>`). */
  readonly worker?: string;
  /** Called after each shard with the number done and the total. */
  readonly onShard?: (done: number, total: number) => void;
  readonly hooks?: ShardHooks;
  /** Stops between shards once aborted (the batch stays `running` with its remaining shards pending). */
  readonly signal?: AbortSignal;
}

/** Creates the batch of `request` and runs all its shards in-process; resolves to the finished batch. */
export async function runStressBatch(store: Store, request: StressBatchRequest, options: RunStressBatchOptions = {}): Promise<BatchRecord> {
  const batch = await createStressBatch(store, request);
  return runBatchShards(store, batch, options);
}

/** Runs every shard of the stored `batch` in-process (shards already done are skipped; stops early on `signal`). */
export async function runBatchShards(store: Store, batch: BatchRecord, options: RunStressBatchOptions = {}): Promise<BatchRecord> {
  const worker = options.worker ?? `embedded:${process.pid}`;
  try {
    for (let i = 0; i < batch.shardCount; i++) {
      if (options.signal?.aborted) break;
      await processShard(store, batch.id, i, worker, options.hooks);
      options.onShard?.(i + 1, batch.shardCount);
    }
  } catch (error) {
    if (error instanceof BatchInputError) await failBatch(store, batch.id, error.message);
    throw error;
  }
  return getBatch(store, batch.id);
}
