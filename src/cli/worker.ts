/**
 * `aftershock worker [--concurrency n] [--boss-schema s] ...`: a scale-out worker on a PostgreSQL store (DESIGN.md
 * §9): takes stress-batch shards from pg-boss (schema `--boss-schema`, else AFTERSHOCK_BOSS_SCHEMA, else
 * aftershock_boss), computes and completes them, mirrors the store's stress-batch schedules to pg-boss and fires
 * their ticks (once per tick however many workers run). Prints one `worker <id> ready` line (a JSON object with
 * --json) on stdout, one line per event, and stops on SIGINT/SIGTERM (or the abort signal) after the shards in hand.
 * Exit 2 on a SQLite store (scale-out needs PostgreSQL; use `serve` for the embedded scheduler).
 */
import { hostname } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { BatchInputError, DEFAULT_BOSS_SCHEMA, startBatchWorker, startBoss, type BossSettings } from '../jobs/batch/index.ts';
import { openStore } from '../store/index.ts';
import { contextOf, wantsJson } from './context.ts';
import { databaseTargetOf } from './db.ts';
import { CliInputError, type Io } from './io.ts';

/** Extras for tests: stop the worker with `signal`. */
export interface WorkerExtras {
  readonly signal?: AbortSignal;
}

function bounded(name: string, min: number, max: number, integer: boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${value}"`);
    }
    return n;
  };
}

interface WorkerOptions {
  concurrency: number; bossSchema?: string; poll: number; expireSeconds: number; retryLimit: number; retryDelay: number;
  maintenanceSeconds: number; cronMonitorSeconds: number; scheduleSyncSeconds: number; workerId?: string;
}

/** Adds the `worker` command to `program`. */
export function registerWorker(program: Command, io: Io, extras: WorkerExtras = {}): void {
  program.command('worker')
    .description('take stress-batch shards and schedule ticks from pg-boss (PostgreSQL stores)')
    .option('--concurrency <n>', 'shards processed at once', bounded('concurrency', 1, 256, true), 1)
    .option('--boss-schema <name>', `pg-boss schema (default AFTERSHOCK_BOSS_SCHEMA, else ${DEFAULT_BOSS_SCHEMA})`)
    .option('--poll <seconds>', 'job polling interval', bounded('poll', 0.5, 600, false), 2)
    .option('--expire-seconds <n>', 'a shard held longer is retried (its worker is presumed dead)', bounded('expire-seconds', 1, 86_400, true), 300)
    .option('--retry-limit <n>', 'retries of a failed or expired shard', bounded('retry-limit', 0, 1000, true), 5)
    .option('--retry-delay <seconds>', 'first retry delay (doubled each retry)', bounded('retry-delay', 0, 3600, true), 2)
    .option('--maintenance-seconds <n>', 'how often expired shards are looked for', bounded('maintenance-seconds', 1, 3600, true), 30)
    .option('--cron-monitor-seconds <n>', 'how often cron schedules are checked', bounded('cron-monitor-seconds', 1, 45, true), 30)
    .option('--schedule-sync-seconds <n>', 'how often the store\'s schedules are mirrored (0: at start only)', bounded('schedule-sync-seconds', 0, 3600, true), 30)
    .option('--worker-id <id>', 'id recorded on completed shards (default host:pid)')
    .action(async (o: WorkerOptions, command: Command) => {
      const { options } = contextOf(command);
      const env = options.env ?? process.env;
      const json = wantsJson(command);
      const target = databaseTargetOf(command);
      if (target.kind !== 'postgres') throw new CliInputError('aftershock worker needs a PostgreSQL store (--db postgres://... or DATABASE_URL); embedded stores run schedules in `serve`', { field: 'db' });
      const settings: BossSettings = {
        url: target.target, schema: o.bossSchema ?? env.AFTERSHOCK_BOSS_SCHEMA ?? DEFAULT_BOSS_SCHEMA,
        retryLimit: o.retryLimit, retryDelaySeconds: o.retryDelay, expireInSeconds: o.expireSeconds,
        maintenanceIntervalSeconds: o.maintenanceSeconds, cronMonitorIntervalSeconds: o.cronMonitorSeconds,
      };
      const workerId = o.workerId ?? `${hostname()}:${process.pid}`;
      const log = (event: Record<string, unknown>): void => {
        if (json) io.out(JSON.stringify({ worker: workerId, ...event }));
        else io.out(Object.entries(event).map(([k, v]) => `${k}=${String(v)}`).join(' '));
      };
      const store = await openStore(target.target, options.clock === undefined ? {} : { clock: options.clock });
      let boss;
      try {
        boss = await startBoss(settings, (error) => log({ event: 'boss-error', error: error.message }));
      } catch (error) {
        await store.close();
        if (error instanceof BatchInputError) throw new CliInputError(error.message, { field: error.field });
        throw error;
      }
      let worker;
      try {
        worker = await startBatchWorker({
          store, boss, settings, workerId, concurrency: o.concurrency, pollingIntervalSeconds: o.poll,
          scheduleSyncSeconds: o.scheduleSyncSeconds, log,
        });
        if (json) io.out(JSON.stringify({ worker: workerId, event: 'ready', concurrency: o.concurrency, bossSchema: settings.schema }));
        else io.out(`worker ${workerId} ready (concurrency ${o.concurrency}, pg-boss schema ${settings.schema})`);
        await new Promise<void>((resolve) => {
          const done = (): void => {
            process.off('SIGINT', done);
            process.off('SIGTERM', done);
            resolve();
          };
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
          extras.signal?.addEventListener('abort', done, { once: true });
          if (extras.signal?.aborted) done();
        });
      } finally {
        await worker?.stop().catch(() => undefined);
        await boss.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => undefined);
        await store.close();
      }
      io.err(`worker ${workerId} stopped`);
    });
}
