/**
 * Write transactions. On SQLite a transaction starts with BEGIN IMMEDIATE (it takes the file's write lock at once,
 * so two writers never both read-then-write; another process waits up to the busy timeout, then StoreBusyError),
 * behind the store's in-process write queue. On PostgreSQL it is an ordinary READ COMMITTED transaction and the
 * lifecycle functions lock the active-calibration row with SELECT ... FOR UPDATE (lockActivePointer).
 *
 * Transactions do not nest: call the repositories' Store-level functions outside `withTransaction`, and only the
 * `tx`-level helpers inside it.
 */
import { sql } from 'kysely';
import { StoreBusyError } from './errors.ts';
import { isSqliteBusy } from './lock.ts';
import type { Store, StoreDb } from './open.ts';
import { toMillis } from './codec.ts';

/**
 * Runs `fn` in one write transaction: committed if it resolves, rolled back (and the error rethrown) if it throws.
 * A SQLite lock held by another process beyond the busy timeout raises StoreBusyError.
 */
export async function withTransaction<T>(store: Store, fn: (tx: StoreDb) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(fn);
  const body = (): Promise<T> =>
    store.db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (error) {
        throw isSqliteBusy(error) ? new StoreBusyError(store.target, error) : error;
      }
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw isSqliteBusy(error) ? new StoreBusyError(store.target, error) : error;
      }
    });
  return store.writeLock ? store.writeLock.run(body) : body();
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
