/**
 * Opening a store: SQLite through better-sqlite3 (one file, WAL, foreign keys on) or PostgreSQL through pg, both
 * behind one Kysely query layer, with the migrations applied on open (idempotent: an up-to-date database is left
 * as it is). The store carries its retry policy for transient faults (transaction.ts): a PostgreSQL server that
 * drops its connections or restarts, or a SQLite file locked by another process, is waited for within a bounded
 * budget instead of failing the first statement, and a lost connection never crashes the process.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import type { DialectAdapter } from 'kysely';
import pg from 'pg';
import { StoreOpenError } from './errors.ts';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, migrationProvider } from './migrations.ts';
import type { StoreDialect } from './migrations.ts';
import type { StoreSchema } from './schema.ts';
import { createAsyncLock, isSqliteBusy } from './lock.ts';
import type { AsyncLock } from './lock.ts';
import { DEFAULT_STORE_RETRY } from './transaction.ts';
import type { StoreRetryEvent, StoreRetryPolicy } from './transaction.ts';

/** A Kysely instance over the store's schema (a transaction is one too). */
export type StoreDb = Kysely<StoreSchema>;

/** An open store. Repositories take it (or `store.db` / a transaction) as their first argument. */
export interface Store {
  readonly db: StoreDb;
  readonly dialect: StoreDialect;
  /** The SQLite file path or the PostgreSQL URL with any password replaced by `***` (for messages). */
  readonly target: string;
  /** Current time in ms since the epoch, UTC (Date.now unless a clock was given to openStore). */
  now(): number;
  /** Closes the connection(s). */
  close(): Promise<void>;
  /**
   * SQLite only: serialises this process's write transactions on the file, so that two stores opened on the same
   * file in one process queue instead of blocking the event loop in SQLite's busy handler. Null on PostgreSQL and
   * when opened with `inProcessWriteLock: false`.
   */
  readonly writeLock: AsyncLock | null;
  /** How transient faults (SQLite busy, PostgreSQL connection lost or refused) are retried (see transaction.ts). */
  readonly retry: StoreRetryPolicy;
  /** Called before each retry of a transient fault (null: nobody listens). */
  readonly onRetry: ((event: StoreRetryEvent) => void) | null;
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Clock in ms UTC (default Date.now); lifecycle timestamps come from it. */
  readonly clock?: () => number;
  /** SQLite busy timeout in ms: how long a writer waits for another process's lock (default 5000). */
  readonly busyTimeoutMs?: number;
  /** SQLite: share one in-process write queue per file (default true). Tests turn it off to exercise SQLite's lock. */
  readonly inProcessWriteLock?: boolean;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
  /** Apply migrations on open (default true). */
  readonly migrate?: boolean;
  /** Retries of transient faults (default DEFAULT_STORE_RETRY: up to 8 s); `{ budgetMs: 0 }` never retries. */
  readonly retry?: Partial<StoreRetryPolicy>;
  /** Told of every retry (to log "database unavailable, retrying in ..."). */
  readonly onRetry?: (event: StoreRetryEvent) => void;
  /** PostgreSQL: how long (ms) to wait for a new connection or a free pooled one before a transient fault (default 10000). */
  readonly connectTimeoutMs?: number;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
const fileLocks = new Map<string, AsyncLock>();

/** Which dialect a target string names: postgres:// URLs are PostgreSQL, anything else a SQLite path. */
export function dialectOf(target: string): StoreDialect {
  return POSTGRES_URL.test(target.trim()) ? 'postgres' : 'sqlite';
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** SQLite with transactional DDL: Kysely's adapter says no, but SQLite runs DDL inside transactions. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class StoreSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

function openSqlite(target: string, options: OpenStoreOptions): { db: StoreDb; file: string; lockKey: string | null } {
  const path = target.trim().replace(/^sqlite:/i, '');
  const memory = path === ':memory:';
  const file = memory ? path : resolve(path);
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (!memory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  // a private in-memory database shares nothing: it gets no key and its own lock
  const lockKey = memory ? null : realpathSync(file);
  return { db: new Kysely<StoreSchema>({ dialect: new StoreSqliteDialect({ database: sqlite }) }), file, lockKey };
}

function openPostgres(url: string, options: OpenStoreOptions): StoreDb {
  // a connection attempt that hangs (a server gone silent) ends after connectTimeoutMs, as a transient fault
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  // a client losing its server must not crash the process, idle (the pool's 'error') or checked out (the client's
  // own 'error', which pg emits besides failing the query in flight); the query reports it and the pool drops it
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
}

async function migrate(db: StoreDb, dialect: StoreDialect, target: string): Promise<void> {
  let schema: string | undefined;
  if (dialect === 'postgres') {
    const row = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    schema = row.rows[0]?.schema ?? undefined;
    if (schema === undefined) throw new StoreOpenError(target, 'the search_path names no existing schema');
  }
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // pinned on PostgreSQL: Kysely looks for its tables in every schema of the database otherwise
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  for (let attempt = 0; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (error === undefined) return;
    // two processes migrating one new SQLite file: the loser of the write lock retries after the winner committed
    if (dialect === 'sqlite' && isSqliteBusy(error) && attempt < 20) {
      await new Promise((r) => setTimeout(r, 25 * (attempt + 1)));
      continue;
    }
    throw new StoreOpenError(target, `migration failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/**
 * Opens the store at `target`: a `postgres://` / `postgresql://` URL, or a SQLite file path (`sqlite:` prefix
 * optional; `:memory:` for a private in-memory database). A SQLite file and its directory are created on first
 * use; WAL journaling and foreign keys are switched on. Migrations are applied (unless `migrate: false`). Throws
 * StoreOpenError when the database cannot be reached or migrated. Resolve the target with
 * `resolveDatabaseTarget` of src/config (flag, DATABASE_URL, default file).
 */
export async function openStore(target: string, options: OpenStoreOptions = {}): Promise<Store> {
  const dialect = dialectOf(target);
  const retry = retryPolicyOf(options.retry, dialect === 'sqlite' ? target : redact(target));
  let db: StoreDb;
  let shownTarget: string;
  let writeLock: AsyncLock | null = null;
  try {
    if (dialect === 'sqlite') {
      const opened = openSqlite(target, options);
      db = opened.db;
      shownTarget = opened.file;
      if (options.inProcessWriteLock !== false) {
        if (opened.lockKey === null) writeLock = createAsyncLock();
        else {
          writeLock = fileLocks.get(opened.lockKey) ?? createAsyncLock();
          fileLocks.set(opened.lockKey, writeLock);
        }
      }
    } else {
      db = openPostgres(target.trim(), options);
      shownTarget = redact(target.trim());
    }
  } catch (error) {
    throw new StoreOpenError(dialect === 'sqlite' ? target : redact(target), `cannot open: ${String(error)}`, error);
  }
  try {
    if (options.migrate !== false) {
      if (writeLock) await writeLock.run(() => migrate(db, dialect, shownTarget));
      else await migrate(db, dialect, shownTarget);
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(shownTarget, `cannot open: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const clock = options.clock ?? Date.now;
  let closed = false;
  return Object.freeze({
    db,
    dialect,
    target: shownTarget,
    now: () => clock(),
    writeLock,
    retry,
    onRetry: options.onRetry ?? null,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  });
}

function retryPolicyOf(given: Partial<StoreRetryPolicy> | undefined, target: string): StoreRetryPolicy {
  const policy = { ...DEFAULT_STORE_RETRY, ...given };
  for (const [field, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) throw new StoreOpenError(target, `retry.${field} must be a non-negative number of ms (got ${String(value)})`);
  }
  return Object.freeze(policy);
}

/** The names of the applied migrations, in order (the schema version is the last one). */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(store.db);
  return rows.rows.map((r) => r.name);
}
