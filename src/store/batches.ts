/**
 * Stress batches (migration 0003): the margin of every account of a portfolio file under one run's stored matrix and
 * margin model, split into shards of accounts. A shard is completed by ONE transaction that writes its accounts'
 * results (delete-then-insert) and marks it done only if it was not done already, so a shard retried after a crash,
 * or completed twice by two workers, is counted once. The batch is done when its last shard is. Totals are SQL sums
 * over `batch_results`. Amounts USD; margins >= 0; P&L positive = gain; times ms UTC.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { decodeJson, encodeJson, requireId, requireInteger, toMillis, toMillisOrNull } from './codec.ts';
import { StoreDataError, StoreNotFoundError } from './errors.ts';
import type { Store, StoreDb } from './open.ts';
import type { BatchesTable, BatchShardsTable } from './schema.ts';
import { withTransaction } from './transaction.ts';
import type { Selectable } from 'kysely';

/** Batch statuses. */
export type BatchStatus = 'running' | 'done' | 'failed';

/** A batch to create. */
export interface BatchInput {
  /** Default: a random UUID. */
  readonly id?: string;
  readonly scheduleId?: string | null;
  /** The run whose matrix and margin model are used (must exist). */
  readonly runId: string;
  /** Accounts per shard (>= 1). */
  readonly shardSize: number;
  /** Accounts in the batch (>= 0); the shard count is ceil(accountCount / shardSize). */
  readonly accountCount: number;
  /** JSON-able description of where the accounts come from (e.g. `{ portfolios: '/abs/path.json' }`). */
  readonly source: unknown;
}

/** A stored batch. */
export interface BatchRecord {
  readonly id: string;
  readonly scheduleId: string | null;
  readonly runId: string;
  readonly status: BatchStatus;
  readonly shardCount: number;
  readonly shardSize: number;
  readonly accountCount: number;
  readonly source: unknown;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  readonly error: string | null;
}

/** A stored shard. */
export interface BatchShardRecord {
  readonly batchId: string;
  readonly shardIndex: number;
  readonly status: 'pending' | 'running' | 'done';
  readonly attempts: number;
  readonly worker: string | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** One account's result: margins USD (>= 0) or a failure reason (then the margins are null). */
export interface BatchResultInput {
  readonly accountId: string;
  readonly desk: string;
  readonly initialMargin: number | null;
  readonly maintenanceMargin: number | null;
  /** Collateral after haircuts, USD; null when unknown. */
  readonly collateralValue: number | null;
  readonly worstScenarioId: string | null;
  /** P&L of the worst scenario, USD (negative = loss). */
  readonly worstPnl: number | null;
  readonly failure: string | null;
}

/** A stored result row. */
export interface BatchResultRecord extends BatchResultInput {
  readonly batchId: string;
  readonly shardIndex: number;
}

/** Sums over a batch's results (USD). `shortfall` sums max(0, IM - collateral) over accounts with known collateral. */
export interface BatchTotals {
  readonly accounts: number;
  readonly margined: number;
  readonly failed: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
  readonly accountsWithCollateral: number;
  readonly shortfall: number;
  readonly accountsShort: number;
  readonly byDesk: readonly { readonly desk: string; readonly accounts: number; readonly initialMargin: number; readonly maintenanceMargin: number }[];
}

/** What completing a shard did. */
export interface ShardCompletion {
  /** False when the shard was already done (the results were not written again). */
  readonly applied: boolean;
  /** Whether the batch is done after this call. */
  readonly batchDone: boolean;
}

function batchFromRow(r: Selectable<BatchesTable>): BatchRecord {
  return Object.freeze({
    id: r.id, scheduleId: r.schedule_id, runId: r.run_id, status: r.status as BatchStatus,
    shardCount: Number(r.shard_count), shardSize: Number(r.shard_size), accountCount: Number(r.account_count),
    source: decodeJson(r.source), createdAt: toMillis(r.created_at), finishedAt: toMillisOrNull(r.finished_at), error: r.error,
  });
}

function shardFromRow(r: Selectable<BatchShardsTable>): BatchShardRecord {
  return Object.freeze({
    batchId: r.batch_id, shardIndex: Number(r.shard_index), status: r.status as BatchShardRecord['status'],
    attempts: Number(r.attempts), worker: r.worker, startedAt: toMillisOrNull(r.started_at), finishedAt: toMillisOrNull(r.finished_at),
  });
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Creates a batch and its pending shards (one transaction). Throws StoreDataError / StoreNotFoundError (run). */
export async function createBatch(store: Store, input: BatchInput): Promise<BatchRecord> {
  const id = requireId(input.id ?? randomUUID(), 'id');
  requireId(input.runId, 'runId');
  requireInteger(input.shardSize, 'shardSize', 1);
  requireInteger(input.accountCount, 'accountCount', 0);
  if (input.scheduleId !== undefined && input.scheduleId !== null) requireId(input.scheduleId, 'scheduleId');
  const shardCount = Math.ceil(input.accountCount / input.shardSize);
  const source = encodeJson(input.source, 'source');
  const now = store.now();
  await withTransaction(store, async (tx) => {
    const run = await tx.selectFrom('runs').select('id').where('id', '=', input.runId).executeTakeFirst();
    if (run === undefined) throw new StoreNotFoundError('run', input.runId);
    await tx.insertInto('batches').values({
      id, schedule_id: input.scheduleId ?? null, run_id: input.runId, status: shardCount === 0 ? 'done' : 'running',
      shard_count: shardCount, shard_size: input.shardSize, account_count: input.accountCount, source,
      created_at: now, finished_at: shardCount === 0 ? now : null, error: null,
    }).execute();
    for (let start = 0; start < shardCount; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(shardCount, start + 500); i++) {
        rows.push({ batch_id: id, shard_index: i, status: 'pending', attempts: 0, worker: null, started_at: null, finished_at: null });
      }
      await tx.insertInto('batch_shards').values(rows).execute();
    }
  });
  return getBatch(store, id);
}

/** The batch `id`; throws StoreNotFoundError. */
export async function getBatch(store: Store, id: string): Promise<BatchRecord> {
  const r = await store.db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
  if (r === undefined) throw new StoreNotFoundError('batch', id);
  return batchFromRow(r);
}

/** Batches, newest first (ties by id), optionally of one schedule; at most `limit` (default 100). */
export async function listBatches(store: Store, filter: { readonly scheduleId?: string; readonly limit?: number } = {}): Promise<BatchRecord[]> {
  let q = store.db.selectFrom('batches').selectAll();
  if (filter.scheduleId !== undefined) q = q.where('schedule_id', '=', filter.scheduleId);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map(batchFromRow);
}

/** The shards of a batch by index. */
export async function listBatchShards(store: Store, batchId: string): Promise<BatchShardRecord[]> {
  const rows = await store.db.selectFrom('batch_shards').selectAll().where('batch_id', '=', batchId).orderBy('shard_index').execute();
  return rows.map(shardFromRow);
}

/**
 * Records that `worker` took shard `shardIndex` (attempts + 1, status running) unless it is done; returns the shard
 * as it now is. Throws StoreNotFoundError for an unknown shard.
 */
export async function startShard(store: Store, batchId: string, shardIndex: number, worker: string): Promise<BatchShardRecord> {
  requireId(worker, 'worker');
  await store.db.updateTable('batch_shards')
    .set({ status: 'running', attempts: sql<number>`attempts + 1`, worker, started_at: store.now() })
    .where('batch_id', '=', batchId).where('shard_index', '=', shardIndex).where('status', '<>', 'done')
    .execute();
  const r = await store.db.selectFrom('batch_shards').selectAll().where('batch_id', '=', batchId).where('shard_index', '=', shardIndex).executeTakeFirst();
  if (r === undefined) throw new StoreNotFoundError('batch shard', `${batchId}#${shardIndex}`);
  return shardFromRow(r);
}

function resultRow(batchId: string, shardIndex: number, r: BatchResultInput, i: number) {
  requireId(r.accountId, `results[${i}].accountId`);
  for (const k of ['initialMargin', 'maintenanceMargin', 'collateralValue', 'worstPnl'] as const) {
    const v = r[k];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) throw new StoreDataError(`results[${i}].${k}`, v, 'must be a finite number or null');
  }
  return {
    batch_id: batchId, account_id: r.accountId, shard_index: shardIndex, desk: r.desk,
    initial_margin: r.initialMargin, maintenance_margin: r.maintenanceMargin, collateral_value: r.collateralValue,
    worst_scenario_id: r.worstScenarioId, worst_pnl: r.worstPnl, failure: r.failure,
  };
}

async function lockShard(tx: StoreDb, store: Store, batchId: string, shardIndex: number): Promise<string | undefined> {
  let q = tx.selectFrom('batch_shards').select('status').where('batch_id', '=', batchId).where('shard_index', '=', shardIndex);
  if (store.dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirst())?.status;
}

/**
 * Completes a shard in ONE transaction: under the shard's row lock (FOR UPDATE on PostgreSQL; SQLite's BEGIN
 * IMMEDIATE), if it is not done yet, deletes any results of its accounts, inserts `results`, marks it done by
 * `worker`, and marks the batch done when no shard is left. An already-done shard is left as it is
 * (`applied: false`). Throws StoreNotFoundError for an unknown shard, StoreDataError for a non-finite amount.
 */
export async function completeShard(
  store: Store, batchId: string, shardIndex: number, worker: string, results: readonly BatchResultInput[],
): Promise<ShardCompletion> {
  requireId(worker, 'worker');
  const rows = results.map((r, i) => resultRow(batchId, shardIndex, r, i));
  return withTransaction(store, async (tx) => {
    const status = await lockShard(tx, store, batchId, shardIndex);
    if (status === undefined) throw new StoreNotFoundError('batch shard', `${batchId}#${shardIndex}`);
    let applied = false;
    if (status !== 'done') {
      applied = true;
      await tx.deleteFrom('batch_results').where('batch_id', '=', batchId).where('shard_index', '=', shardIndex).execute();
      for (let i = 0; i < rows.length; i += 500) await tx.insertInto('batch_results').values(rows.slice(i, i + 500)).execute();
      await tx.updateTable('batch_shards').set({ status: 'done', worker, finished_at: store.now() })
        .where('batch_id', '=', batchId).where('shard_index', '=', shardIndex).execute();
    }
    const left = await tx.selectFrom('batch_shards').select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('batch_id', '=', batchId).where('status', '<>', 'done').executeTakeFirstOrThrow();
    const batchDone = Number(left.n) === 0;
    if (batchDone && applied) {
      await tx.updateTable('batches').set({ status: 'done', finished_at: store.now() }).where('id', '=', batchId).where('status', '=', 'running').execute();
    }
    return Object.freeze({ applied, batchDone });
  });
}

/** Marks a running batch failed with `error` (e.g. its portfolio file vanished); returns whether it was running. */
export async function failBatch(store: Store, batchId: string, error: string): Promise<boolean> {
  const r = await store.db.updateTable('batches').set({ status: 'failed', error, finished_at: store.now() })
    .where('id', '=', batchId).where('status', '=', 'running').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Totals of a batch's results, by SQL over `batch_results` (see BatchTotals). */
export async function batchTotals(store: Store, batchId: string): Promise<BatchTotals> {
  const shortfall = sql<number>`case when collateral_value is not null and initial_margin > collateral_value then initial_margin - collateral_value else 0 end`;
  const t = await store.db.selectFrom('batch_results').where('batch_id', '=', batchId).select((eb) => [
    eb.fn.countAll<number | string>().as('accounts'),
    eb.fn.count<number | string>('initial_margin').as('margined'),
    eb.fn.sum<number | string | null>('initial_margin').as('im'),
    eb.fn.sum<number | string | null>('maintenance_margin').as('mm'),
    eb.fn.count<number | string>('collateral_value').as('withCollateral'),
    eb.fn.sum<number | string | null>(shortfall).as('shortfall'),
    eb.fn.sum<number | string | null>(sql`case when collateral_value is not null and initial_margin > collateral_value then 1 else 0 end`).as('short'),
  ]).executeTakeFirstOrThrow();
  const desks = await store.db.selectFrom('batch_results').where('batch_id', '=', batchId).groupBy('desk').orderBy('desk')
    .select((eb) => ['desk', eb.fn.countAll<number | string>().as('accounts'), eb.fn.sum<number | string | null>('initial_margin').as('im'),
      eb.fn.sum<number | string | null>('maintenance_margin').as('mm')]).execute();
  return Object.freeze({
    accounts: num(t.accounts), margined: num(t.margined), failed: num(t.accounts) - num(t.margined),
    initialMargin: num(t.im), maintenanceMargin: num(t.mm), accountsWithCollateral: num(t.withCollateral),
    shortfall: num(t.shortfall), accountsShort: num(t.short),
    byDesk: Object.freeze(desks.map((d) => Object.freeze({ desk: d.desk, accounts: num(d.accounts), initialMargin: num(d.im), maintenanceMargin: num(d.mm) }))),
  });
}

/**
 * Result rows of a batch: by account id, or with `order: 'im-desc'` the largest initial margins first (failures
 * last); `failedOnly` keeps the failures; at most `limit` (default all).
 */
export async function listBatchResults(
  store: Store, batchId: string, options: { readonly order?: 'account' | 'im-desc'; readonly failedOnly?: boolean; readonly limit?: number } = {},
): Promise<BatchResultRecord[]> {
  let q = store.db.selectFrom('batch_results').selectAll().where('batch_id', '=', batchId);
  if (options.failedOnly) q = q.where('failure', 'is not', null);
  q = options.order === 'im-desc'
    ? q.orderBy(sql`case when initial_margin is null then 1 else 0 end`).orderBy('initial_margin', 'desc').orderBy('account_id')
    : q.orderBy('account_id');
  if (options.limit !== undefined) q = q.limit(options.limit);
  return (await q.execute()).map((r) => Object.freeze({
    batchId: r.batch_id, shardIndex: Number(r.shard_index), accountId: r.account_id, desk: r.desk,
    initialMargin: r.initial_margin === null ? null : Number(r.initial_margin),
    maintenanceMargin: r.maintenance_margin === null ? null : Number(r.maintenance_margin),
    collateralValue: r.collateral_value === null ? null : Number(r.collateral_value),
    worstScenarioId: r.worst_scenario_id, worstPnl: r.worst_pnl === null ? null : Number(r.worst_pnl), failure: r.failure,
  }));
}
