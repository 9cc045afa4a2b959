/**
 * Computing and completing one shard of a batch, the same for the embedded runner and the pg-boss workers: record
 * the attempt, load the run's engine and the portfolio file (both cached per process), margin the shard's accounts,
 * and complete the shard in one transaction (completeShard: a shard already done is not counted again).
 */
import {
  completeShard, getBatch, startShard, type BatchRecord, type BatchResultInput, type ShardCompletion, type Store,
} from '../../store/index.ts';
import { loadBatchAccounts, shardAccounts, type BatchSource } from './accounts.ts';
import { accountBatchResult, loadBatchEngine, type BatchEngine } from './engine.ts';
import { BatchInputError } from './errors.ts';

const engines = new Map<string, Promise<BatchEngine>>();

/** The engine of `runId` on `store`, loaded once per process (a finished run's matrix and model never change). */
export function cachedBatchEngine(store: Store, runId: string): Promise<BatchEngine> {
  const key = `${store.target}\u0000${runId}`;
  let hit = engines.get(key);
  if (hit === undefined) {
    hit = loadBatchEngine(store, runId);
    engines.set(key, hit);
    hit.catch(() => engines.delete(key));
  }
  return hit;
}

/** Test and benchmark hooks of shard processing. */
export interface ShardHooks {
  /** Called with the computed results before the completing transaction (tests stall or kill the process here). */
  readonly beforeComplete?: (batchId: string, shardIndex: number) => Promise<void>;
}

/** The portfolio path recorded in a batch; throws BatchInputError('source') if it has none. */
export function batchSourceOf(batch: BatchRecord): BatchSource {
  const s = batch.source as Partial<BatchSource> | null;
  if (s === null || typeof s !== 'object' || typeof s.portfolios !== 'string') throw new BatchInputError('source', batch.source, `batch ${batch.id} records no portfolio file`);
  return { portfolios: s.portfolios, rejectedAccounts: typeof s.rejectedAccounts === 'number' ? s.rejectedAccounts : 0 };
}

/** The results of shard `shardIndex` of `batch` (no store writes). */
export async function computeShard(store: Store, batch: BatchRecord, shardIndex: number): Promise<BatchResultInput[]> {
  const [engine, loaded] = await Promise.all([cachedBatchEngine(store, batch.runId), loadBatchAccounts(batchSourceOf(batch).portfolios)]);
  if (loaded.accounts.length !== batch.accountCount) {
    throw new BatchInputError('source', loaded.path, `the portfolio file now holds ${loaded.accounts.length} accounts, the batch was made with ${batch.accountCount}`);
  }
  return shardAccounts(loaded.accounts, shardIndex, batch.shardSize).map((a) => accountBatchResult(engine, a));
}

/**
 * Takes, computes and completes shard `shardIndex` of batch `batchId` as `worker`. A shard found done is skipped
 * (`applied: false`). Throws BatchInputError when the batch's file or run cannot be used (the caller fails the batch).
 */
export async function processShard(store: Store, batchId: string, shardIndex: number, worker: string, hooks: ShardHooks = {}): Promise<ShardCompletion> {
  const shard = await startShard(store, batchId, shardIndex, worker);
  if (shard.status === 'done') {
    const batch = await getBatch(store, batchId);
    return { applied: false, batchDone: batch.status === 'done' };
  }
  const batch = await getBatch(store, batchId);
  const results = await computeShard(store, batch, shardIndex);
  if (hooks.beforeComplete) await hooks.beforeComplete(batchId, shardIndex);
  return completeShard(store, batchId, shardIndex, worker, results);
}
