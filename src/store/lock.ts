/** In-process serialisation of SQLite writers, and recognition of SQLite's "database is locked" errors. */

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

/** Whether `error` is SQLite's SQLITE_BUSY (or an extended BUSY code), as thrown by better-sqlite3. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
