/**
 * The calibration lifecycle (issue 7, DESIGN.md §8): exactly one active run, promotion through gates, rollback to
 * the previous calibration, and recovery of runs left running by a dead process. Each operation is one transaction:
 * a reader sees the old active calibration or the new one, never a mix, and a crash part-way changes nothing.
 *
 * The active run is named by the single row of `active_calibration` (its `generation` counts changes), mirrored
 * in `runs.status = 'active'` (a partial unique index keeps that to one row). Promotion and rollback lock that row
 * (SELECT ... FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite), so two concurrent operations run one after the
 * other, and the second sees the first's result: with an expected active run (by default the candidate's baseline)
 * the second of two concurrent promotions is refused with a `conflict`.
 */
import { requireId, toMillis } from './codec.ts';
import { RunLifecycleError, StoreDataError } from './errors.ts';
import type { Store, StoreDb } from './open.ts';
import { getRunIn, runFromRow } from './runs.ts';
import type { RunRecord } from './runs.ts';
import { appendAuditIn } from './audit.ts';
import { lockActivePointer, withTransaction } from './transaction.ts';

/** One promotion gate as evaluated by the jobs layer (no red backtest zone, no arbitrage, finite margins...). */
export interface PromotionGate {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed (or a summary of what was checked). */
  readonly detail?: string;
}

/** Options of {@link promoteRun}. */
export interface PromoteOptions {
  /** Who promotes (API key id, user name). */
  readonly actor: string;
  /** Required when a gate fails or the run is partial; recorded in the audit log either way. */
  readonly reason?: string;
  readonly gates: readonly PromotionGate[];
  /**
   * The run the caller expects to be active now (null: none). Default: the candidate's baseline, i.e. the active
   * run its shadow comparison was made against. If the active run is different at promotion time, the promotion is
   * refused with a `conflict` (re-run the comparison, or pass the current active run explicitly).
   */
  readonly expectedActiveRunId?: string | null;
}

/** What a promotion or rollback did. */
export interface LifecycleResult {
  /** The run active afterwards. */
  readonly active: RunRecord;
  /** The run active before (superseded by a promotion, rolled back by a rollback), null for a first promotion. */
  readonly previousActiveRunId: string | null;
  /** The audit-log entry's sequence number. */
  readonly auditSeq: number;
  /** The active pointer's generation afterwards. */
  readonly generation: number;
}

const PROMOTABLE = new Set(['candidate', 'partial']);

/**
 * Makes `runId` the active calibration in one transaction: the previous active run becomes `superseded`, the new
 * run records it as `previousActiveRunId`, and an audit entry (action 'promote', with the gates) is appended.
 * Refused (RunLifecycleError) when the run is not a finished candidate or partial run ('not-promotable'), when a
 * gate fails or the run is partial and no reason is given ('gates-failed'), or when the active run is not the
 * expected one ('conflict').
 */
export async function promoteRun(store: Store, runId: string, options: PromoteOptions): Promise<LifecycleResult> {
  requireId(options.actor, 'actor');
  if (!Array.isArray(options.gates)) throw new StoreDataError('gates', options.gates, 'must be an array of gates');
  for (const [i, g] of options.gates.entries()) {
    if (!g || typeof g.name !== 'string' || typeof g.passed !== 'boolean') {
      throw new StoreDataError(`gates[${i}]`, g, 'must have a string name and a boolean passed');
    }
  }
  const reason = options.reason?.trim() ? options.reason.trim() : null;
  const now = store.now();
  return withTransaction(store, async (tx) => {
    const pointer = await lockActivePointer(tx, store.dialect);
    const run = await getRunIn(tx, runId);
    if (!PROMOTABLE.has(run.status)) {
      throw new RunLifecycleError('not-promotable', runId, `run ${runId} is ${run.status}: only a finished candidate or partial run can be promoted`);
    }
    const failed = options.gates.filter((g) => !g.passed).map((g) => ({ ...g }));
    if (run.status === 'partial') {
      failed.push({ name: 'complete', passed: false, detail: `${run.objectFailures.length} per-object failure(s)` });
    }
    if (failed.length > 0 && reason === null) {
      throw new RunLifecycleError(
        'gates-failed',
        runId,
        `run ${runId} fails gate(s) ${failed.map((g) => g.name).join(', ')}: promotion needs a reason`,
      );
    }
    const expected = options.expectedActiveRunId === undefined ? run.baselineRunId : options.expectedActiveRunId;
    if (pointer.runId !== expected) {
      throw new RunLifecycleError(
        'conflict',
        runId,
        `the active calibration is ${pointer.runId ?? 'none'}, expected ${expected ?? 'none'}: it changed since run ${runId} was compared against it`,
      );
    }
    if (pointer.runId !== null) {
      await tx
        .updateTable('runs')
        .set({ status: 'superseded', superseded_at: now })
        .where('id', '=', pointer.runId)
        .where('status', '=', 'active')
        .execute();
    }
    await tx
      .updateTable('runs')
      .set({ status: 'active', promoted_at: now, superseded_at: null, previous_active_run_id: pointer.runId })
      .where('id', '=', runId)
      .execute();
    const generation = await moveActivePointer(tx, pointer.generation, runId, now);
    const auditSeq = await appendAuditIn(tx, {
      at: now,
      actor: options.actor,
      action: 'promote',
      target: runId,
      reason,
      details: { previousActiveRunId: pointer.runId, gates: options.gates, failedGates: failed.map((g) => g.name), generation },
    });
    return Object.freeze({ active: await getRunIn(tx, runId), previousActiveRunId: pointer.runId, auditSeq, generation });
  });
}

async function moveActivePointer(tx: StoreDb, seen: number, runId: string, now: number): Promise<number> {
  const result = await tx
    .updateTable('active_calibration')
    .set({ run_id: runId, generation: seen + 1, changed_at: now })
    .where('id', '=', 1)
    .where('generation', '=', seen)
    .executeTakeFirst();
  // unreachable while the row is locked; a guard against a future caller that forgets the lock
  if (Number(result.numUpdatedRows) !== 1) throw new RunLifecycleError('conflict', runId, 'the active calibration changed concurrently');
  return seen + 1;
}

/** Options of {@link rollbackCalibration}. */
export interface RollbackOptions {
  readonly actor: string;
  readonly reason?: string;
  /** The run the caller expects to be active (refused with 'conflict' otherwise); default: no check. */
  readonly expectedActiveRunId?: string;
}

/**
 * Re-activates the calibration the active run superseded, in one transaction: the active run becomes
 * `rolled-back`, its predecessor `active` again, and an audit entry (action 'rollback') is appended. Refused
 * (RunLifecycleError) with nothing active ('no-active'), when the active run superseded nothing ('no-previous'),
 * or when the active run is not the expected one ('conflict'). Rolling back again walks further back.
 */
export async function rollbackCalibration(store: Store, options: RollbackOptions): Promise<LifecycleResult> {
  requireId(options.actor, 'actor');
  const reason = options.reason?.trim() ? options.reason.trim() : null;
  const now = store.now();
  return withTransaction(store, async (tx) => {
    const pointer = await lockActivePointer(tx, store.dialect);
    if (pointer.runId === null) throw new RunLifecycleError('no-active', null, 'there is no active calibration to roll back');
    if (options.expectedActiveRunId !== undefined && options.expectedActiveRunId !== pointer.runId) {
      throw new RunLifecycleError('conflict', pointer.runId, `the active calibration is ${pointer.runId}, expected ${options.expectedActiveRunId}`);
    }
    const current = await getRunIn(tx, pointer.runId);
    const previousId = current.previousActiveRunId;
    if (previousId === null) {
      throw new RunLifecycleError('no-previous', current.id, `the active run ${current.id} superseded no calibration: nothing to roll back to`);
    }
    const previous = await getRunIn(tx, previousId);
    if (previous.status !== 'superseded') {
      throw new RunLifecycleError('no-previous', previous.id, `the previous calibration ${previous.id} is ${previous.status}, not superseded`);
    }
    await tx.updateTable('runs').set({ status: 'rolled-back', superseded_at: now }).where('id', '=', current.id).execute();
    await tx.updateTable('runs').set({ status: 'active', promoted_at: now, superseded_at: null }).where('id', '=', previous.id).execute();
    const generation = await moveActivePointer(tx, pointer.generation, previous.id, now);
    const auditSeq = await appendAuditIn(tx, {
      at: now,
      actor: options.actor,
      action: 'rollback',
      target: previous.id,
      reason,
      details: { rolledBackRunId: current.id, generation },
    });
    return Object.freeze({ active: await getRunIn(tx, previous.id), previousActiveRunId: current.id, auditSeq, generation });
  });
}

/** The active run, or null; one statement, so it is never a mix of two calibrations. */
export async function getActiveRun(store: Store): Promise<RunRecord | null> {
  const row = await store.db
    .selectFrom('active_calibration')
    .innerJoin('runs', 'runs.id', 'active_calibration.run_id')
    .selectAll('runs')
    .where('active_calibration.id', '=', 1)
    .executeTakeFirst();
  return row === undefined ? null : runFromRow(row);
}

/** The active pointer (run id and generation), read without locking. */
export async function getActivePointer(store: Store): Promise<{ readonly runId: string | null; readonly generation: number; readonly changedAt: number }> {
  const row = await store.db.selectFrom('active_calibration').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return Object.freeze({ runId: row.run_id, generation: toMillis(row.generation), changedAt: toMillis(row.changed_at) });
}

/**
 * Marks as `interrupted` every running run whose heartbeat is older than `leaseMs` (its process died or hung),
 * with an audit entry each (actor 'system', action 'interrupt'), in one transaction. Returns their ids, sorted.
 * Their stored payloads stay; they can never become active. A job that later reports progress is told it lost
 * its lease (updateRunProgress throws). Leases compare timestamps written by different processes: their clocks
 * must agree to well within `leaseMs`.
 */
export async function markInterruptedRuns(store: Store, options: { readonly leaseMs: number; readonly actor?: string }): Promise<string[]> {
  if (!Number.isFinite(options.leaseMs) || options.leaseMs < 0) throw new StoreDataError('leaseMs', options.leaseMs, 'must be a non-negative number of ms');
  const now = store.now();
  const cutoff = now - options.leaseMs;
  return withTransaction(store, async (tx) => {
    const stale = await tx
      .selectFrom('runs')
      .select(['id', 'heartbeat_at'])
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('heartbeat_at', '<', cutoff), eb('heartbeat_at', 'is', null)]))
      .orderBy('id')
      .execute();
    const marked: string[] = [];
    for (const row of stale) {
      const last = row.heartbeat_at === null ? null : toMillis(row.heartbeat_at);
      const message = `interrupted: no heartbeat since ${last === null ? 'start' : new Date(last).toISOString()} (lease ${options.leaseMs} ms)`;
      // conditions repeated: on PostgreSQL a heartbeat committed since the select keeps the run alive
      const result = await tx
        .updateTable('runs')
        .set({ status: 'interrupted', finished_at: now, error: message })
        .where('id', '=', row.id)
        .where('status', '=', 'running')
        .where((eb) => eb.or([eb('heartbeat_at', '<', cutoff), eb('heartbeat_at', 'is', null)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      marked.push(row.id);
      await appendAuditIn(tx, {
        at: now,
        actor: options.actor ?? 'system',
        action: 'interrupt',
        target: row.id,
        reason: null,
        details: { heartbeatAt: last, leaseMs: options.leaseMs },
      });
    }
    return marked;
  });
}
