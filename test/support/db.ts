/**
 * Databases for the store tests: a fresh SQLite file in a temp directory, or a fresh schema in the PostgreSQL test
 * database (AFTERSHOCK_TEST_DATABASE_URL, else a postgres DATABASE_URL; .ci/run starts one on 127.0.0.1). Each
 * test gets its own, and `cleanup()` closes every store opened on it and removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { resolveTestPostgres } from '../../src/config/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { OpenStoreOptions, Store } from '../../src/store/index.ts';

/** The two databases the store suite runs on. */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Whether the PostgreSQL half of the suite can run, and why not. */
export interface PostgresAvailability {
  readonly available: boolean;
  readonly url: string | undefined;
  /** AFTERSHOCK_REQUIRE_POSTGRES=1: never skip (CI). */
  readonly required: boolean;
  readonly reason: string;
}

let probed: Promise<PostgresAvailability> | undefined;

/** Connects once to the test server (3 s timeout) and reports whether PostgreSQL tests can run. */
export function postgresAvailability(): Promise<PostgresAvailability> {
  probed ??= (async () => {
    const { url, required } = resolveTestPostgres();
    if (url === undefined) {
      return { available: false, url, required, reason: 'neither AFTERSHOCK_TEST_DATABASE_URL nor a postgres DATABASE_URL is set (.ci/run starts one)' };
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      const r = await client.query<{ v: string }>('show server_version');
      return { available: true, url, required, reason: `PostgreSQL ${r.rows[0]?.v ?? '?'}` };
    } catch (error) {
      return { available: false, url, required, reason: `${redact(url)} is unreachable: ${(error as Error).message}` };
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probed;
}

function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

/**
 * Whether the tests of `backend` must be skipped, printing the reason once. PostgreSQL is never skipped when
 * AFTERSHOCK_REQUIRE_POSTGRES=1 (the tests then fail on the unreachable server instead).
 */
export async function skipBackend(backend: Backend, suite: string): Promise<boolean> {
  if (backend === 'sqlite') return false;
  const pgState = await postgresAvailability();
  if (pgState.available || pgState.required) return false;
  console.warn(`[${suite}] PostgreSQL tests skipped: ${pgState.reason}`);
  return true;
}

/** A private database for one test. */
export interface TestDatabase {
  readonly backend: Backend;
  /** What to pass to openStore (SQLite file path or postgres URL with its own search_path). */
  readonly target: string;
  /** For PostgreSQL, the schema holding the tables. */
  readonly schema: string | null;
  /** Opens a store (a new connection/pool each call); closed by cleanup(). */
  open(options?: OpenStoreOptions): Promise<Store>;
  /** Closes every store opened by `open` and removes the database (the temp directory, or the schema). */
  cleanup(): Promise<void>;
}

/** A fresh, empty database for `backend`: a SQLite file in a new temp dir, or a new PostgreSQL schema. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  const opened: Store[] = [];
  const open = async (target: string, options?: OpenStoreOptions): Promise<Store> => {
    const store = await openStore(target, options);
    opened.push(store);
    return store;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
  };
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'aftershock-store-'));
    // a nested path: openStore must create the directory on first use
    const target = join(dir, 'nested', 'aftershock.db');
    return {
      backend,
      target,
      schema: null,
      open: (options) => open(target, options),
      cleanup: async () => {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url } = await postgresAvailability();
  if (url === undefined) throw new Error('no PostgreSQL test server configured (AFTERSHOCK_TEST_DATABASE_URL)');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `create schema ${schema}`);
  const target = withSearchPath(url, schema);
  return {
    backend,
    target,
    schema,
    open: (options) => open(target, options),
    cleanup: async () => {
      await closeAll();
      await adminQuery(url, `drop schema if exists ${schema} cascade`);
    },
  };
}

/** `url` with `options=-c search_path=<schema>` added (every connection then works in that schema). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Runs one statement on a short-lived connection to `url`. */
export async function adminQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}
