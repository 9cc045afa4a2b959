/** Cron schedules of jobs (DESIGN.md §9): expression, job kind, JSON payload, enabled flag, last firing time. */
import { randomUUID } from 'node:crypto';
import { decodeJson, encodeJson, requireId, requireInteger, toMillis, toMillisOrNull } from './codec.ts';
import { StoreDataError, StoreNotFoundError } from './errors.ts';
import type { Store } from './open.ts';
import type { SchedulesTable } from './schema.ts';
import type { Selectable } from 'kysely';

/** A schedule to create. */
export interface ScheduleInput {
  /** Default: a random UUID. */
  readonly id?: string;
  /** Cron expression, 5 or 6 space-separated fields (UTC); its meaning is the scheduler's (croner). */
  readonly cron: string;
  /** e.g. 'stress' or 'recalibrate'. */
  readonly jobKind: string;
  /** JSON-able job payload. */
  readonly payload: unknown;
  /** Default true. */
  readonly enabled?: boolean;
}

/** A stored schedule. Times in ms UTC. */
export interface ScheduleRecord {
  readonly id: string;
  readonly cron: string;
  readonly jobKind: string;
  readonly payload: unknown;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastFiredAt: number | null;
}

function fromRow(r: Selectable<SchedulesTable>): ScheduleRecord {
  return Object.freeze({
    id: r.id,
    cron: r.cron,
    jobKind: r.job_kind,
    payload: decodeJson(r.payload),
    enabled: r.enabled === 1,
    createdAt: toMillis(r.created_at),
    updatedAt: toMillis(r.updated_at),
    lastFiredAt: toMillisOrNull(r.last_fired_at),
  });
}

/** Throws StoreDataError unless `cron` has 5 or 6 whitespace-separated fields of cron characters. */
export function checkCronShape(cron: string): string {
  const fields = typeof cron === 'string' ? cron.trim().split(/\s+/) : [];
  if (fields.length < 5 || fields.length > 6 || !fields.every((f) => /^[0-9A-Za-z*,/\-?LW#]+$/.test(f))) {
    throw new StoreDataError('cron', cron, 'must be a cron expression of 5 or 6 fields');
  }
  return fields.join(' ');
}

/** Creates a schedule. */
export async function createSchedule(store: Store, input: ScheduleInput): Promise<ScheduleRecord> {
  const id = requireId(input.id ?? randomUUID(), 'id');
  const cron = checkCronShape(input.cron);
  requireId(input.jobKind, 'jobKind');
  const now = store.now();
  await store.db
    .insertInto('schedules')
    .values({
      id,
      cron,
      job_kind: input.jobKind,
      payload: encodeJson(input.payload, 'payload'),
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
      last_fired_at: null,
    })
    .execute();
  return getSchedule(store, id);
}

/** The schedule `id`; throws StoreNotFoundError. */
export async function getSchedule(store: Store, id: string): Promise<ScheduleRecord> {
  const r = await store.db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (r === undefined) throw new StoreNotFoundError('schedule', id);
  return fromRow(r);
}

/** All schedules by id, optionally only the enabled ones. */
export async function listSchedules(store: Store, filter: { readonly enabledOnly?: boolean } = {}): Promise<ScheduleRecord[]> {
  let q = store.db.selectFrom('schedules').selectAll();
  if (filter.enabledOnly) q = q.where('enabled', '=', 1);
  return (await q.orderBy('id').execute()).map(fromRow);
}

/** Enables or disables a schedule; throws StoreNotFoundError. */
export async function setScheduleEnabled(store: Store, id: string, enabled: boolean): Promise<ScheduleRecord> {
  const r = await store.db.updateTable('schedules').set({ enabled: enabled ? 1 : 0, updated_at: store.now() }).where('id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new StoreNotFoundError('schedule', id);
  return getSchedule(store, id);
}

/** Records that a schedule fired at `at` (ms UTC); throws StoreNotFoundError. */
export async function markScheduleFired(store: Store, id: string, at: number): Promise<void> {
  requireInteger(at, 'at', 0);
  const r = await store.db.updateTable('schedules').set({ last_fired_at: at }).where('id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new StoreNotFoundError('schedule', id);
}

/** Deletes a schedule; returns whether it existed. */
export async function deleteSchedule(store: Store, id: string): Promise<boolean> {
  const r = await store.db.deleteFrom('schedules').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
