/**
 * Store schedules mirrored to pg-boss: each enabled `stress-batch` schedule is a pg-boss cron schedule on its own
 * queue (`aftershock-schedule-<id>`). pg-boss's cron monitor runs in one process per interval (a database-side
 * timestamp guard) and debounces each schedule with a 60 s singleton key, so a tick fires one job however many
 * processes run; one worker takes it and creates the batch. Cron times are UTC.
 */
import type PgBoss from 'pg-boss';
import { listSchedules, type Store } from '../../store/index.ts';
import { STRESS_BATCH_JOB } from './scheduledBatch.ts';

/** Queue-name prefix of mirrored schedules. */
export const SCHEDULE_QUEUE_PREFIX = 'aftershock-schedule-';

/** The pg-boss queue (and schedule name) of store schedule `id`. */
export function scheduleQueueName(id: string): string {
  return `${SCHEDULE_QUEUE_PREFIX}${id}`;
}

/** The store schedule id of a mirrored queue name, or null. */
export function scheduleIdOfQueue(name: string): string | null {
  return name.startsWith(SCHEDULE_QUEUE_PREFIX) ? name.slice(SCHEDULE_QUEUE_PREFIX.length) : null;
}

/**
 * Makes pg-boss's schedules equal the store's enabled stress-batch schedules (creating queues, upserting schedules,
 * unscheduling removed or disabled ones). Resolves to the queue names of the mirrored schedules.
 */
export async function mirrorSchedules(store: Store, boss: PgBoss): Promise<string[]> {
  const wanted = (await listSchedules(store, { enabledOnly: true })).filter((s) => s.jobKind === STRESS_BATCH_JOB);
  const names: string[] = [];
  for (const s of wanted) {
    const name = scheduleQueueName(s.id);
    await boss.createQueue(name, { name, retryLimit: 2, retryDelay: 5, retryBackoff: true });
    await boss.schedule(name, s.cron, { scheduleId: s.id }, { tz: 'UTC' });
    names.push(name);
  }
  const keep = new Set(names);
  for (const existing of await boss.getSchedules()) {
    if (scheduleIdOfQueue(existing.name) !== null && !keep.has(existing.name)) await boss.unschedule(existing.name);
  }
  return names;
}
