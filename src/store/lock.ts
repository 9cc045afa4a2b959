/**
 * In-process serialisation of SQLite writers, and recognition of the database faults the store treats specially:
 * SQLite's "database is locked", a PostgreSQL connection that was refused or lost (transient: worth retrying), and
 * a full database or disk (not transient: the write is refused).
 */

/** A FIFO async mutex: `run(fn)` starts `fn` after every earlier `run` has settled. */
export interface AsyncLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** A fresh {@link AsyncLock}. */
export function createAsyncLock(): AsyncLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `error` is SQLite's SQLITE_BUSY (or an extended BUSY code), as thrown by better-sqlite3. */
export function isSqliteBusy(error: unknown): boolean {
  return codeOf(error)?.startsWith('SQLITE_BUSY') === true;
}

/** Socket errors of a connection that was refused, reset or timed out (Node's `code`). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN']);
/**
 * PostgreSQL SQLSTATEs after which the same transaction may simply be tried again: class 08 (connection exception),
 * 57P01-57P03 (the server is shutting down, crashed or is starting), 53300 (too many connections), 40001 and
 * 40P01 (serialization failure, deadlock: the transaction was rolled back).
 */
const PG_TRANSIENT = /^(08...|57P0[123]|53300|40001|40P01)$/;
/** What node-postgres says (without a code) when a connection ends under a query or cannot be made in time. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/**
 * Why `error` is a transient fault of the database (a short description such as `ECONNREFUSED` or `SQLITE_BUSY`),
 * or null if it is not one. Transient: SQLite's lock held by another process beyond the busy timeout; PostgreSQL
 * connections refused, reset, terminated or timed out, a server shutting down or starting, too many connections,
 * a serialization failure or deadlock. Everything else (constraint violations, bad SQL, a full disk) is not.
 * Looks through `cause` chains and AggregateError members (a refused connection to a name with several addresses).
 */
export function transientFaultOf(error: unknown, depth = 0): string | null {
  if (error === null || typeof error !== 'object' || depth > 4) return null;
  const code = codeOf(error);
  if (code !== undefined) {
    if (code.startsWith('SQLITE_BUSY')) return code;
    if (SOCKET_CODES.has(code)) return code;
    if (PG_TRANSIENT.test(code)) return `SQLSTATE ${code}`;
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && PG_CONNECTION_MESSAGES.some((m) => message.includes(m))) return message;
  const members = (error as { errors?: unknown }).errors;
  if (Array.isArray(members)) {
    for (const m of members) {
      const found = transientFaultOf(m, depth + 1);
      if (found !== null) return found;
    }
  }
  return transientFaultOf((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Why `error` says the database or its disk is full (`SQLITE_FULL: database or disk is full`, `SQLSTATE 53100:
 * ...`), or null. Not transient: the statement was refused and its transaction is rolled back.
 */
export function fullFaultOf(error: unknown): string | null {
  const code = codeOf(error);
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : 'full';
  if (code === 'SQLITE_FULL') return `SQLITE_FULL: ${text}`;
  if (code === '53100') return `SQLSTATE 53100: ${text}`;
  return null;
}
