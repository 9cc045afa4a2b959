/**
 * Runs: creation, progress with a heartbeat lease, and finishing. A run is created `running`; it ends `candidate`
 * (complete), `partial` (finished with per-object failures, DESIGN.md §3) or `failed`; a run whose process died is
 * marked `interrupted` by markInterruptedRuns (lifecycle.ts), which also handles promotion and rollback.
 * Each function here is one transaction.
 */
import { randomUUID } from 'node:crypto';
import { decodeJson, encodeJson, requireFinite, requireId, toMillis, toMillisOrNull } from './codec.ts';
import { RunLifecycleError, StoreDataError, StoreNotFoundError } from './errors.ts';
import type { Store, StoreDb } from './open.ts';
import type { RunsTable } from './schema.ts';
import { withTransaction } from './transaction.ts';
import type { Selectable } from 'kysely';

/** Every run status. */
export const RUN_STATUSES = Object.freeze([
  'running',
  'candidate',
  'partial',
  'failed',
  'interrupted',
  'active',
  'superseded',
  'rolled-back',
] as const);
/** A run's status: running -> candidate | partial | failed | interrupted; candidate | partial -> active -> superseded | rolled-back; superseded -> active (rollback). */
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses finishRun accepts. */
export type FinishedStatus = 'candidate' | 'partial' | 'failed';
/** A seed as createRng takes it: a safe integer or a string. */
export type RunSeed = number | string;

/** One per-object failure (an expiry, an account...) recorded on a partial run. */
export interface ObjectFailure {
  /** Stage that failed for this object, e.g. 'surfaces'. */
  readonly stage: string;
  /** The object, e.g. 'BTC 2026-03-27' or an account id. */
  readonly object: string;
  readonly reason: string;
  /** Any further JSON detail. */
  readonly detail?: unknown;
}

/** A stored run. Times are ms since the epoch, UTC. */
export interface RunRecord {
  readonly id: string;
  readonly kind: string;
  readonly incidentId: string | null;
  readonly status: RunStatus;
  readonly stage: string | null;
  /** Progress in [0, 1]. */
  readonly progress: number;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly heartbeatAt: number | null;
  readonly finishedAt: number | null;
  readonly owner: string | null;
  readonly inputHashes: Readonly<Record<string, string>>;
  readonly modelVersions: Readonly<Record<string, string>>;
  readonly codeVersion: string;
  readonly seed: RunSeed;
  readonly options: unknown;
  readonly summary: unknown;
  readonly objectFailures: readonly ObjectFailure[];
  readonly error: string | null;
  /** The active run when this one was created (its shadow-comparison baseline), null if none was active. */
  readonly baselineRunId: string | null;
  /** The run this one superseded when it was promoted; rollback re-activates it. */
  readonly previousActiveRunId: string | null;
  readonly promotedAt: number | null;
  readonly supersededAt: number | null;
}

/** Input of {@link createRun}. */
export interface CreateRunInput {
  /** Run id (default: a random UUID). */
  readonly id?: string;
  /** Job kind (default 'recalibration'). */
  readonly kind?: string;
  readonly incidentId?: string | null;
  /** Input name -> content hash. */
  readonly inputHashes: Readonly<Record<string, string>>;
  /** Model family/name -> version. */
  readonly modelVersions: Readonly<Record<string, string>>;
  readonly codeVersion: string;
  readonly seed: RunSeed;
  /** JSON-able run options (asOf, thresholds...). */
  readonly options?: unknown;
  /** Who runs it, e.g. `host:pid`. */
  readonly owner?: string;
}

/** Converts a `runs` row. */
export function runFromRow(row: Selectable<RunsTable>): RunRecord {
  return Object.freeze({
    id: row.id,
    kind: row.kind,
    incidentId: row.incident_id,
    status: row.status as RunStatus,
    stage: row.stage,
    progress: row.progress,
    createdAt: toMillis(row.created_at),
    startedAt: toMillisOrNull(row.started_at),
    heartbeatAt: toMillisOrNull(row.heartbeat_at),
    finishedAt: toMillisOrNull(row.finished_at),
    owner: row.owner,
    inputHashes: decodeJson<Record<string, string>>(row.input_hashes) ?? {},
    modelVersions: decodeJson<Record<string, string>>(row.model_versions) ?? {},
    codeVersion: row.code_version,
    seed: decodeJson<RunSeed>(row.seed) as RunSeed,
    options: decodeJson(row.options),
    summary: decodeJson(row.summary),
    objectFailures: decodeJson<ObjectFailure[]>(row.object_failures) ?? [],
    error: row.error,
    baselineRunId: row.baseline_run_id,
    previousActiveRunId: row.previous_active_run_id,
    promotedAt: toMillisOrNull(row.promoted_at),
    supersededAt: toMillisOrNull(row.superseded_at),
  });
}

function checkStringMap(value: Readonly<Record<string, string>>, field: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new StoreDataError(field, value, 'must be an object of strings');
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new StoreDataError(`${field}.${k}`, v, 'must be a string');
  }
}

function checkSeed(seed: RunSeed): void {
  if (typeof seed === 'string') return;
  if (!Number.isSafeInteger(seed)) throw new StoreDataError('seed', seed, 'must be a safe integer or a string');
}

/**
 * Creates a run in status `running` (started and heartbeat now), recording the currently active run as its
 * baseline, in one transaction. Returns the stored run.
 */
export async function createRun(store: Store, input: CreateRunInput): Promise<RunRecord> {
  const id = requireId(input.id ?? randomUUID(), 'id');
  checkStringMap(input.inputHashes, 'inputHashes');
  checkStringMap(input.modelVersions, 'modelVersions');
  requireId(input.codeVersion, 'codeVersion');
  checkSeed(input.seed);
  const now = store.now();
  return withTransaction(store, async (tx) => {
    const active = await tx.selectFrom('active_calibration').select('run_id').where('id', '=', 1).executeTakeFirstOrThrow();
    await tx
      .insertInto('runs')
      .values({
        id,
        kind: input.kind ?? 'recalibration',
        incident_id: input.incidentId ?? null,
        status: 'running',
        stage: null,
        progress: 0,
        created_at: now,
        started_at: now,
        heartbeat_at: now,
        finished_at: null,
        owner: input.owner ?? null,
        input_hashes: encodeJson(input.inputHashes, 'inputHashes'),
        model_versions: encodeJson(input.modelVersions, 'modelVersions'),
        code_version: input.codeVersion,
        seed: encodeJson(input.seed, 'seed'),
        options: input.options === undefined ? null : encodeJson(input.options, 'options'),
        summary: null,
        object_failures: '[]',
        object_failure_count: 0,
        error: null,
        baseline_run_id: active.run_id,
        previous_active_run_id: null,
        promoted_at: null,
        superseded_at: null,
      })
      .execute();
    return getRunIn(tx, id);
  });
}

/** The run `id` read through `db` (a store's Kysely or a transaction); throws StoreNotFoundError. */
export async function getRunIn(db: StoreDb, id: string): Promise<RunRecord> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new StoreNotFoundError('run', id);
  return runFromRow(row);
}

/** The run `id`, or null if there is none. */
export async function findRun(store: Store, id: string): Promise<RunRecord | null> {
  const row = await store.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : runFromRow(row);
}

/** The run `id`; throws StoreNotFoundError. */
export function getRun(store: Store, id: string): Promise<RunRecord> {
  return getRunIn(store.db, id);
}

/** Runs, newest first (by creation time, then id), optionally filtered by status; at most `limit` (default 100). */
export async function listRuns(
  store: Store,
  filter: { readonly status?: RunStatus | readonly RunStatus[]; readonly limit?: number } = {},
): Promise<RunRecord[]> {
  let q = store.db.selectFrom('runs').selectAll();
  if (filter.status !== undefined) {
    const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    if (statuses.length === 0) return [];
    q = q.where('status', 'in', statuses);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map(runFromRow);
}

/** Throws RunLifecycleError('not-running') unless run `runId` exists and is running (payload writes, progress). */
export async function requireRunning(tx: StoreDb, runId: string): Promise<void> {
  const row = await tx.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst();
  if (row === undefined) throw new StoreNotFoundError('run', runId);
  if (row.status !== 'running') {
    throw new RunLifecycleError('not-running', runId, `run ${runId} is ${row.status}, not running: its stored results are immutable`);
  }
}

/**
 * Records the stage and progress (in [0, 1]) of a running run and renews its heartbeat lease. Throws
 * RunLifecycleError('not-running') if the run is no longer running (e.g. it was marked interrupted: the job has
 * lost its lease and must stop).
 */
export async function updateRunProgress(store: Store, runId: string, update: { readonly stage: string; readonly progress: number }): Promise<void> {
  requireId(update.stage, 'stage');
  requireFinite(update.progress, 'progress');
  if (update.progress < 0 || update.progress > 1) throw new StoreDataError('progress', update.progress, 'must lie in [0, 1]');
  const now = store.now();
  const result = await store.db
    .updateTable('runs')
    .set({ stage: update.stage, progress: update.progress, heartbeat_at: now })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) await requireRunning(store.db, runId);
}

/** Renews the heartbeat lease of a running run (same refusal as updateRunProgress). */
export async function heartbeatRun(store: Store, runId: string): Promise<void> {
  const result = await store.db
    .updateTable('runs')
    .set({ heartbeat_at: store.now() })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) await requireRunning(store.db, runId);
}

/** Input of {@link finishRun}. */
export interface FinishRunInput {
  readonly status: FinishedStatus;
  /** Required for `failed`. */
  readonly error?: string;
  /** Non-empty exactly for `partial`. */
  readonly objectFailures?: readonly ObjectFailure[];
  /** JSON-able summary (shadow comparison, gate inputs, output hashes). */
  readonly summary?: unknown;
}

/**
 * Ends a running run as candidate, partial or failed, in one transaction. Refuses (RunLifecycleError
 * 'invalid-transition') a `failed` without error, a `partial` without object failures and a `candidate` with
 * some; refuses ('not-running') a run that is not running.
 */
export async function finishRun(store: Store, runId: string, input: FinishRunInput): Promise<RunRecord> {
  const failures = input.objectFailures ?? [];
  const bad = (why: string): never => {
    throw new RunLifecycleError('invalid-transition', runId, `cannot finish run ${runId} as ${input.status}: ${why}`);
  };
  if (input.status === 'failed' && !input.error) bad('a failed run needs an error');
  if (input.status === 'partial' && failures.length === 0) bad('a partial run needs at least one object failure');
  if (input.status === 'candidate' && failures.length > 0) bad('a run with object failures is partial');
  if (!['candidate', 'partial', 'failed'].includes(input.status)) bad('not a finished status');
  for (const [i, f] of failures.entries()) {
    if (!f || typeof f.stage !== 'string' || typeof f.object !== 'string' || typeof f.reason !== 'string') {
      throw new StoreDataError(`objectFailures[${i}]`, f, 'must have string stage, object and reason');
    }
  }
  const now = store.now();
  return withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx
      .updateTable('runs')
      .set({
        status: input.status,
        finished_at: now,
        heartbeat_at: now,
        ...(input.status === 'failed' ? {} : { progress: 1 }),
        error: input.error ?? null,
        object_failures: encodeJson(failures, 'objectFailures'),
        object_failure_count: failures.length,
        summary: input.summary === undefined ? null : encodeJson(input.summary, 'summary'),
      })
      .where('id', '=', runId)
      .execute();
    return getRunIn(tx, runId);
  });
}
