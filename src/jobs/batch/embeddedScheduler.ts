/**
 * The embedded scheduler (any store, one process: what `serve` starts without PostgreSQL): a croner job per enabled
 * stress-batch schedule of the store (UTC; `protect` so a slow batch never overlaps the next tick of the same
 * schedule), each tick running the batch in-process; the schedule list is re-read every `refreshSeconds` so that
 * `schedule add|remove` take effect without a restart.
 */
import { Cron } from 'croner';
import { listSchedules, type BatchRecord, type Store } from '../../store/index.ts';
import { runBatchShards } from './runStressBatch.ts';
import { fireStressSchedule, STRESS_BATCH_JOB } from './scheduledBatch.ts';

/** Options of {@link startEmbeddedScheduler}. */
export interface EmbeddedSchedulerOptions {
  /** Re-read the store's schedules this often, seconds (default 30; 0: only at start). */
  readonly refreshSeconds?: number;
  readonly onBatch?: (batch: BatchRecord) => void;
  readonly onError?: (error: unknown, scheduleId: string | null) => void;
}

/** A running embedded scheduler. */
export interface EmbeddedScheduler {
  /** Ids of the schedules currently armed. */
  scheduled(): string[];
  /** Re-reads the schedules now. */
  refresh(): Promise<void>;
  stop(): void;
}

/** Starts the embedded scheduler on `store` (see the module comment). */
export async function startEmbeddedScheduler(store: Store, options: EmbeddedSchedulerOptions = {}): Promise<EmbeddedScheduler> {
  const jobs = new Map<string, { readonly cron: string; readonly job: Cron }>();
  const onError = options.onError ?? (() => undefined);
  const tick = async (scheduleId: string): Promise<void> => {
    try {
      const batch = await fireStressSchedule(store, scheduleId, store.now());
      if (batch === null) return;
      options.onBatch?.(await runBatchShards(store, batch));
    } catch (error) {
      onError(error, scheduleId);
    }
  };
  const refresh = async (): Promise<void> => {
    const wanted = (await listSchedules(store, { enabledOnly: true })).filter((s) => s.jobKind === STRESS_BATCH_JOB);
    const ids = new Set(wanted.map((s) => s.id));
    for (const [id, entry] of jobs) {
      if (!ids.has(id) || wanted.find((s) => s.id === id)?.cron !== entry.cron) {
        entry.job.stop();
        jobs.delete(id);
      }
    }
    for (const s of wanted) {
      if (jobs.has(s.id)) continue;
      try {
        jobs.set(s.id, { cron: s.cron, job: new Cron(s.cron, { timezone: 'UTC', protect: true }, () => tick(s.id)) });
      } catch (error) {
        onError(error, s.id);
      }
    }
  };
  await refresh();
  const refreshSeconds = options.refreshSeconds ?? 30;
  const timer = refreshSeconds > 0 ? setInterval(() => { refresh().catch((e: unknown) => onError(e, null)); }, refreshSeconds * 1000) : null;
  return {
    scheduled: () => [...jobs.keys()].sort(),
    refresh,
    stop: () => {
      if (timer !== null) clearInterval(timer);
      for (const entry of jobs.values()) entry.job.stop();
      jobs.clear();
    },
  };
}
