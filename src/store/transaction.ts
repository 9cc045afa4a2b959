/**
 * Write transactions, and retries of transient database faults. On SQLite a transaction starts with BEGIN IMMEDIATE
 * (it takes the file's write lock at once, so two writers never both read-then-write; another process waits up to
 * the busy timeout), behind the store's in-process write queue. On PostgreSQL it is an ordinary READ COMMITTED
 * transaction on one pooled connection (BEGIN ... COMMIT) and the lifecycle functions lock the active-calibration
 * row with SELECT ... FOR UPDATE (lockActivePointer).
 *
 * Transient faults (transientFaultOf: SQLite's lock held beyond the busy timeout; a PostgreSQL connection refused,
 * reset or terminated, a server restarting, a deadlock or serialization failure) are retried with exponential
 * backoff within the store's budget (OpenStoreOptions.retry, default DEFAULT_STORE_RETRY). A transaction is retried
 * whole, and only when it certainly did not commit: every fault before COMMIT was sent (the server rolls back a
 * transaction whose connection is gone), and on SQLite any BUSY (a refused COMMIT is rolled back here). A
 * connection lost while COMMIT is in flight is never retried: StoreUnavailableError with `outcomeUnknown`. Past the
 * budget: StoreUnavailableError (PostgreSQL) or StoreBusyError (SQLite), naming the database. A full database or
 * disk is StoreFullError at once. Statements outside a transaction are retried only where the caller says they
 * are idempotent (withStoreRetry).
 *
 * Transactions do not nest: call the repositories' Store-level functions outside `withTransaction`, and only the
 * `tx`-level helpers inside it.
 */
import { sql } from 'kysely';
import { StoreBusyError, StoreFullError, StoreUnavailableError } from './errors.ts';
import { fullFaultOf, transientFaultOf } from './lock.ts';
import type { Store, StoreDb } from './open.ts';
import { toMillis } from './codec.ts';

/** How long and how often one operation is retried after transient faults. Times in ms. */
export interface StoreRetryPolicy {
  /** Longest time from the start of an operation's first attempt to giving up (0: never retry). */
  readonly budgetMs: number;
  /** Delay before the first retry; doubled for each further retry... */
  readonly firstDelayMs: number;
  /** ...up to this. */
  readonly maxDelayMs: number;
}

/**
 * Default retry policy: retries after 0.1, 0.2, 0.4, 0.8, 1.6, 2, 2... s while the whole operation has taken under
 * 8 s, so a database restart of a few seconds is ridden out, and a run gives up well inside its 60 s lease. On
 * SQLite each attempt itself waits up to the busy timeout (5 s by default) for another process's lock.
 */
export const DEFAULT_STORE_RETRY: StoreRetryPolicy = Object.freeze({ budgetMs: 8000, firstDelayMs: 100, maxDelayMs: 2000 });

/** One retry after a transient fault, as reported to OpenStoreOptions.onRetry (logging, tests). */
export interface StoreRetryEvent {
  /** The database (redacted URL or file path). */
  readonly target: string;
  /** The fault, e.g. `ECONNREFUSED`, `SQLITE_BUSY`, `Connection terminated unexpectedly`. */
  readonly reason: string;
  /** The number of the attempt that failed (1 = the first try). */
  readonly attempt: number;
  /** The delay before the next attempt, ms. */
  readonly delayMs: number;
  /** Time since the first attempt started, ms. */
  readonly elapsedMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retries `attempt` per the store's policy; see the module comment for what is retried and what is thrown. */
async function retrying<T>(store: Store, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof StoreUnavailableError || error instanceof StoreBusyError || error instanceof StoreFullError) throw error;
      const full = fullFaultOf(error);
      if (full !== null) throw new StoreFullError(store.target, full, error);
      const reason = transientFaultOf(error);
      if (reason === null) throw error;
      const elapsedMs = Date.now() - started;
      const delayMs = Math.min(store.retry.maxDelayMs, store.retry.firstDelayMs * 2 ** (n - 1));
      if (elapsedMs + delayMs > store.retry.budgetMs) {
        if (reason.startsWith('SQLITE_BUSY')) throw new StoreBusyError(store.target, error);
        throw new StoreUnavailableError(store.target, reason, n, elapsedMs, false, error);
      }
      store.onRetry?.({ target: store.target, reason, attempt: n, delayMs, elapsedMs });
      await sleep(delayMs);
    }
  }
}

/**
 * Runs an idempotent store operation (reads, or writes that may safely be applied twice, such as renewing a
 * heartbeat) with the store's retries of transient faults. Do not wrap non-idempotent auto-commit writes: a
 * connection lost under one may have applied it. Past the budget: StoreUnavailableError or StoreBusyError.
 */
export function withStoreRetry<T>(store: Store, operation: () => Promise<T>): Promise<T> {
  return retrying(store, operation);
}

/**
 * The same store (same connections, write queue and clock) with another retry policy, e.g. `{ budgetMs: 0 }` for
 * one last attempt after the budget has already been spent.
 */
export function withRetryPolicy(store: Store, policy: Partial<StoreRetryPolicy>): Store {
  return Object.freeze({ ...store, retry: Object.freeze({ ...store.retry, ...policy }) });
}

/** Whether `error` is a database fault (unavailable, busy, full) rather than a refusal or bad data. */
export function isStoreFault(error: unknown): error is StoreUnavailableError | StoreBusyError | StoreFullError {
  return error instanceof StoreUnavailableError || error instanceof StoreBusyError || error instanceof StoreFullError;
}

async function postgresTransaction<T>(store: Store, fn: (tx: StoreDb) => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    let committing = false;
    try {
      const result = await fn(conn);
      committing = true;
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      if (!committing) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
      // the server answered the COMMIT (a SQLSTATE such as 40001): it was rolled back, and retrying is safe; a
      // connection lost under it leaves the outcome unknown
      const reason = transientFaultOf(error);
      if (reason !== null && !/^SQLSTATE (40001|40P01)$/.test(reason)) throw new StoreUnavailableError(store.target, reason, 1, 0, true, error);
      throw error;
    }
  });
}

async function sqliteTransaction<T>(store: Store, fn: (tx: StoreDb) => Promise<T>): Promise<T> {
  const body = (): Promise<T> =>
    store.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        // also after a refused COMMIT (SQLITE_BUSY, SQLITE_FULL): the transaction is still open
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  return store.writeLock ? store.writeLock.run(body) : body();
}

/**
 * Runs `fn` in one write transaction: committed if it resolves, rolled back (and the error rethrown) if it throws.
 * Retried whole after a transient fault that certainly left nothing committed (module comment), so `fn` must have
 * no effects outside `tx`. Throws StoreBusyError (SQLite lock held by another process beyond the retries),
 * StoreUnavailableError (PostgreSQL unreachable beyond the retries, or lost during COMMIT), StoreFullError.
 */
export async function withTransaction<T>(store: Store, fn: (tx: StoreDb) => Promise<T>): Promise<T> {
  return retrying(store, () => (store.dialect === 'postgres' ? postgresTransaction(store, fn) : sqliteTransaction(store, fn)));
}

/** The active-calibration pointer as read under lock. */
export interface ActivePointer {
  readonly runId: string | null;
  readonly generation: number;
}

/**
 * Reads the single active-calibration row inside a transaction, locking it on PostgreSQL (FOR UPDATE: a concurrent
 * promotion or rollback waits for this transaction and then sees its result). SQLite's BEGIN IMMEDIATE already
 * excludes other writers.
 */
export async function lockActivePointer(tx: StoreDb, dialect: Store['dialect']): Promise<ActivePointer> {
  let query = tx.selectFrom('active_calibration').select(['run_id', 'generation']).where('id', '=', 1);
  if (dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirstOrThrow();
  return { runId: row.run_id, generation: toMillis(row.generation) };
}
