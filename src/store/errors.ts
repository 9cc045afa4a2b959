/** Typed errors of the store. Each names the field or object concerned and the offending value. */

/** A value that cannot be stored faithfully (non-finite number, malformed blob, bad argument). */
export class StoreDataError extends Error {
  override readonly name = 'StoreDataError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field}: ${reason} (got ${describe(value)})`);
  }
}

/** A run, key or schedule that does not exist. */
export class StoreNotFoundError extends Error {
  override readonly name = 'StoreNotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} "${id}" not found`);
  }
}

/** Why a lifecycle operation was refused. */
export type LifecycleRefusal =
  | 'not-running' // progress/finish/payload write on a run that is no longer running (lease lost, finished)
  | 'not-promotable' // promotion of a run that is not a finished candidate (or partial) run
  | 'gates-failed' // promotion with failing gates and no reason
  | 'conflict' // the active calibration changed since the caller looked (concurrent promotion/rollback)
  | 'no-active' // rollback with nothing active
  | 'no-previous' // rollback of a calibration that superseded nothing
  | 'invalid-transition'; // finishRun with an inconsistent status / failure list

/** A lifecycle transition the run's state does not allow; `code` says which rule refused it. */
export class RunLifecycleError extends Error {
  override readonly name = 'RunLifecycleError';
  constructor(
    readonly code: LifecycleRefusal,
    readonly runId: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** The database stayed locked by another process longer than the busy timeout. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(`database ${target} is locked by another writer`, { cause });
  }
}

/**
 * The database could not be reached (connection refused, reset or terminated, server shutting down) for longer than
 * the store's retry budget (OpenStoreOptions.retry), or the connection was lost while a COMMIT was in flight (then
 * `outcomeUnknown` is true: the transaction may or may not have been applied). `attempts` counts the tries made and
 * `waitedMs` the time spent from the first failure to giving up.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly target: string,
    readonly reason: string,
    readonly attempts: number,
    readonly waitedMs: number,
    readonly outcomeUnknown: boolean,
    cause: unknown,
  ) {
    super(
      outcomeUnknown
        ? `database ${target} became unavailable during a commit (${reason}): the transaction may or may not have been applied`
        : `database ${target} is unavailable (${reason}); gave up after ${attempts} attempt(s) over ${(waitedMs / 1000).toFixed(1)} s`,
      { cause },
    );
  }
}

/** The database or its disk is full (SQLite SQLITE_FULL, PostgreSQL 53100 disk_full): the write was rolled back. */
export class StoreFullError extends Error {
  override readonly name = 'StoreFullError';
  constructor(
    readonly target: string,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`database ${target} is full (${reason}): the write was rolled back`, { cause });
  }
}

/** Opening or migrating the database failed. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly target: string,
    message: string,
    cause?: unknown,
  ) {
    super(`${target}: ${message}`, cause === undefined ? undefined : { cause });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  return typeof value;
}
