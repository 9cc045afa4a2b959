/**
 * Where the store lives (DESIGN.md §7, §9): the `--db` flag, else `DATABASE_URL`, else the embedded SQLite file
 * `./.aftershock/aftershock.db` under the working directory. This module and its siblings in src/config are the only
 * readers of `process.env`; everything else receives the resolved strings as arguments.
 */
import { resolve } from 'node:path';

/** Environment variables as Node exposes them (only string values matter). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The embedded default, relative to the working directory (created on first use with its directory). */
export const DEFAULT_SQLITE_PATH = './.aftershock/aftershock.db';

/** Where a database target came from, for messages (`aftershock runs list` prints it). */
export type DatabaseTargetSource = 'flag' | 'env' | 'default';

/** A resolved database target: a `postgres://` / `postgresql://` URL or an absolute SQLite file path. */
export interface ResolvedDatabaseTarget {
  /** `postgres://...` as given, or an absolute file path (`:memory:` kept as is). */
  readonly target: string;
  readonly kind: 'sqlite' | 'postgres';
  readonly source: DatabaseTargetSource;
}

/** Typed error for an unusable database setting, naming where it came from and the value. */
export class DatabaseConfigError extends Error {
  override readonly name = 'DatabaseConfigError';
  constructor(
    readonly field: string,
    readonly value: string,
    reason: string,
  ) {
    super(`${field}: ${reason} (got "${value}")`);
  }
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

function classify(value: string, field: string, source: DatabaseTargetSource, cwd: string): ResolvedDatabaseTarget {
  const trimmed = value.trim();
  if (trimmed === '') throw new DatabaseConfigError(field, value, 'empty database target');
  if (POSTGRES_URL.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new DatabaseConfigError(field, value, 'not a valid postgres:// URL');
    }
    return Object.freeze({ target: trimmed, kind: 'postgres', source });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new DatabaseConfigError(field, value, 'unsupported URL scheme: use postgres://... or a SQLite file path');
  }
  if (trimmed === ':memory:') return Object.freeze({ target: trimmed, kind: 'sqlite', source });
  const path = trimmed.replace(/^sqlite:/i, '');
  return Object.freeze({ target: resolve(cwd, path), kind: 'sqlite', source });
}

/**
 * The database to open: `options.db` (the `--db` flag: a path or `postgres://...`), else `DATABASE_URL`, else
 * {@link DEFAULT_SQLITE_PATH}. Relative paths resolve against `options.cwd` (default: the working directory); a
 * `sqlite:` prefix is accepted and stripped. Throws {@link DatabaseConfigError} for an empty value, a malformed
 * postgres URL or another URL scheme.
 */
export function resolveDatabaseTarget(
  options: { readonly db?: string | undefined; readonly env?: Environment; readonly cwd?: string } = {},
): ResolvedDatabaseTarget {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.db !== undefined) return classify(options.db, '--db', 'flag', cwd);
  const fromEnv = env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return classify(fromEnv, 'DATABASE_URL', 'env', cwd);
  return classify(DEFAULT_SQLITE_PATH, 'default', 'default', cwd);
}

/**
 * The PostgreSQL server the test suite may use: `AFTERSHOCK_TEST_DATABASE_URL`, else `DATABASE_URL` when it is a
 * postgres URL, else undefined. `required` is true when `AFTERSHOCK_REQUIRE_POSTGRES=1` (set by .ci/run): an
 * unreachable server is then a failure, not a skip.
 */
export function resolveTestPostgres(env: Environment = process.env): { readonly url: string | undefined; readonly required: boolean } {
  const explicit = env['AFTERSHOCK_TEST_DATABASE_URL']?.trim();
  const general = env['DATABASE_URL']?.trim();
  const url = explicit ? explicit : general && POSTGRES_URL.test(general) ? general : undefined;
  return Object.freeze({ url, required: env['AFTERSHOCK_REQUIRE_POSTGRES'] === '1' });
}
