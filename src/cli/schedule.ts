/**
 * `aftershock schedule add --cron <expr> --portfolios <file> [--shard-size n] [--id <id>]`, `schedule list`,
 * `schedule remove <id>`, `schedule run --portfolios <file> [--shard-size n]` (a batch started by hand: in this
 * process on SQLite with a line per shard on the error stream, enqueued for the workers on PostgreSQL): cron
 * schedules of stress batches (UTC), stored in the store's schedules table (job kind `stress-batch`, payload
 * `{ portfolios: <absolute path>, shardSize? }`) and, on a PostgreSQL store, mirrored to pg-boss at once (workers
 * also re-mirror every 30 s). `schedule batches [--schedule <id>]` lists batches with their progress; `schedule
 * report <batchId>` prints a batch's report (JSON). An invalid cron expression, a missing file, an unknown id, no
 * active calibration: exit 2. pg-boss and the batch code are loaded only by the commands that need them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cron } from 'croner';
import { InvalidArgumentError, type Command } from 'commander';
import {
  batchTotals, createSchedule, deleteSchedule, listBatches, listBatchShards, listSchedules, StoreNotFoundError, type Store,
} from '../store/index.ts';
import { contextOf, wantsJson } from './context.ts';
import { databaseTargetOf, withStore } from './db.ts';
import { formatFigure, formatTable, formatTime } from './format.ts';
import { CliInputError } from './io.ts';

const STRESS_BATCH_JOB = 'stress-batch';

function positiveInteger(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError(`${name} must be an integer >= 1, got "${value}"`);
    return n;
  };
}

/** The producer-only pg-boss settings of `command` on a PostgreSQL store (--boss-schema, else AFTERSHOCK_BOSS_SCHEMA). */
async function bossSettingsOf(command: Command): Promise<{ url: string; producerOnly: true; schema: string }> {
  const env = contextOf(command).options.env ?? process.env;
  const { DEFAULT_BOSS_SCHEMA } = await import('../jobs/batch/boss.ts');
  const url = databaseTargetOf(command).target;
  return { url, producerOnly: true, schema: (command.opts<{ bossSchema?: string }>().bossSchema) ?? env.AFTERSHOCK_BOSS_SCHEMA ?? DEFAULT_BOSS_SCHEMA };
}

/** Mirrors the store's schedules to pg-boss on a PostgreSQL store (no-op on SQLite). */
async function mirror(command: Command, store: Store): Promise<void> {
  if (store.dialect !== 'postgres') return;
  const { startBoss, mirrorSchedules } = await import('../jobs/batch/index.ts');
  const boss = await startBoss(await bossSettingsOf(command));
  try {
    await mirrorSchedules(store, boss);
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}

/** The absolute path of `--portfolios` (relative to the working directory); exit 2 when there is no such file. */
function portfoliosOption(command: Command, file: string): string {
  const portfolios = resolve(contextOf(command).options.cwd ?? process.cwd(), file);
  if (!existsSync(portfolios)) throw new CliInputError(`--portfolios: no such file ${portfolios}`, { field: 'portfolios', value: portfolios });
  return portfolios;
}

/** A batch's bad input (file, shard size, no active calibration) as exit 2 naming the option. */
function batchInputToCli(error: unknown, BatchInputError: new (...args: never[]) => Error): unknown {
  if (!(error instanceof BatchInputError)) return error;
  const e = error as Error & { field: string; value: unknown };
  const option = e.field === 'runId' ? 'active calibration' : `--${e.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return new CliInputError(`${option}: ${e.message}`, { field: e.field });
}

/** Registers `schedule add|list|remove|batches|report` on `program`. */
export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('cron schedules of stress batches (UTC), and their batches');

  schedule.command('add')
    .description('add a stress-batch schedule')
    .requiredOption('--cron <expr>', 'cron expression, 5 fields (or 6 with seconds), UTC, e.g. "0 18 * * *"')
    .requiredOption('--portfolios <file>', 'portfolio file (fixtures/portfolios format)')
    .option('--shard-size <n>', 'accounts per shard (default 5000)', positiveInteger('shard-size'))
    .option('--id <id>', 'schedule id (default a random UUID)')
    .option('--boss-schema <name>', 'pg-boss schema on PostgreSQL (default AFTERSHOCK_BOSS_SCHEMA, else aftershock_boss)')
    .action(async (o: { cron: string; portfolios: string; shardSize?: number; id?: string }, command: Command) => {
      const { io } = contextOf(command);
      try {
        new Cron(o.cron, { paused: true, timezone: 'UTC' }).stop();
      } catch (error) {
        throw new CliInputError(`--cron: not a valid cron expression "${o.cron}": ${(error as Error).message}`, { field: 'cron', value: o.cron });
      }
      const portfolios = portfoliosOption(command, o.portfolios);
      const created = await withStore(command, async (store) => {
        const s = await createSchedule(store, {
          ...(o.id === undefined ? {} : { id: o.id }), cron: o.cron, jobKind: STRESS_BATCH_JOB,
          payload: o.shardSize === undefined ? { portfolios } : { portfolios, shardSize: o.shardSize },
        });
        await mirror(command, store);
        return s;
      });
      if (wantsJson(command)) io.out(JSON.stringify({ schedule: created }));
      else io.out(`added schedule ${created.id}: ${created.cron} (UTC) stress batch of ${portfolios}`);
    });

  schedule.command('run')
    .description('start a stress batch now: in this process on SQLite (a line per shard), enqueued for `aftershock worker` on PostgreSQL')
    .requiredOption('--portfolios <file>', 'portfolio file (fixtures/portfolios format)')
    .option('--shard-size <n>', 'accounts per shard (default 5000)', positiveInteger('shard-size'))
    .option('--boss-schema <name>', 'pg-boss schema on PostgreSQL (default AFTERSHOCK_BOSS_SCHEMA, else aftershock_boss)')
    .action(async (o: { portfolios: string; shardSize?: number }, command: Command) => {
      const { io } = contextOf(command);
      const json = wantsJson(command);
      const portfolios = portfoliosOption(command, o.portfolios);
      const jobs = await import('../jobs/batch/index.ts');
      const request = o.shardSize === undefined ? { portfolios } : { portfolios, shardSize: o.shardSize };
      await withStore(command, async (store) => {
        try {
          if (store.dialect === 'postgres') {
            const settings = await bossSettingsOf(command);
            const boss = await jobs.startBoss(settings);
            try {
              const batch = await jobs.createStressBatch(store, request);
              const enqueued = await jobs.enqueueBatch(boss, batch, settings);
              if (json) io.out(JSON.stringify({ batch, mode: 'queue', enqueued }));
              else {
                io.out(`batch ${batch.id}: ${batch.accountCount} accounts in ${batch.shardCount} shard(s) of ${batch.shardSize} under run ${batch.runId}, enqueued for the workers`);
                io.out('progress: aftershock schedule batches; report: aftershock schedule report ' + batch.id);
              }
            } finally {
              await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
            }
            return;
          }
          const batch = await jobs.createStressBatch(store, request);
          if (!json) io.out(`batch ${batch.id}: ${batch.accountCount} accounts in ${batch.shardCount} shard(s) of ${batch.shardSize} under run ${batch.runId}`);
          const done = await jobs.runBatchShards(store, batch, {
            worker: `cli:${process.pid}`,
            onShard: (d, total) => io.err(json ? JSON.stringify({ event: 'shard', batchId: batch.id, done: d, total }) : `  shard ${d}/${total} done`),
          });
          const totals = await batchTotals(store, batch.id);
          if (json) {
            io.out(JSON.stringify({ batch: done, mode: 'in-process', totals }));
            return;
          }
          io.out(`batch ${done.id}: ${done.status}, ${totals.accounts} accounts (${totals.margined} margined, ${totals.failed} failed)`);
          io.out(`  initial margin ${formatFigure(totals.initialMargin)} USD, maintenance ${formatFigure(totals.maintenanceMargin)} USD; shortfall ${formatFigure(totals.shortfall)} USD over ${totals.accountsShort} account(s)`);
          io.out(`report: aftershock schedule report ${done.id}`);
        } catch (error) {
          throw batchInputToCli(error, jobs.BatchInputError);
        }
      });
    });

  schedule.command('list')
    .description('schedules (id, cron, job, enabled, last fired)')
    .action(async (_o: unknown, command: Command) => {
      const { io } = contextOf(command);
      const list = await withStore(command, (store) => listSchedules(store));
      if (wantsJson(command)) {
        io.out(JSON.stringify({ schedules: list }));
        return;
      }
      if (list.length > 0) {
        const rows = list.map((s) => [s.id, s.cron, s.jobKind, s.enabled ? 'yes' : 'no', formatTime(s.lastFiredAt), JSON.stringify(s.payload)]);
        for (const l of formatTable(['ID', 'CRON', 'JOB', 'ENABLED', 'LAST FIRED', 'PAYLOAD'], rows)) io.out(l);
      }
      io.out(`${list.length} schedule(s)`);
    });

  schedule.command('remove')
    .description('remove a schedule (and its pg-boss mirror)')
    .argument('<id>', 'schedule id')
    .option('--boss-schema <name>', 'pg-boss schema on PostgreSQL')
    .action(async (id: string, _o: unknown, command: Command) => {
      const { io } = contextOf(command);
      await withStore(command, async (store) => {
        if (!(await deleteSchedule(store, id))) throw new StoreNotFoundError('schedule', id);
        await mirror(command, store);
      });
      if (wantsJson(command)) io.out(JSON.stringify({ removed: id }));
      else io.out(`removed schedule ${id}`);
    });

  schedule.command('batches')
    .description('stress batches, newest first, with their progress')
    .option('--schedule <id>', 'only the batches of this schedule')
    .option('--limit <n>', 'at most this many', positiveInteger('limit'), 20)
    .action(async (o: { schedule?: string; limit: number }, command: Command) => {
      const { io } = contextOf(command);
      const rows = await withStore(command, async (store) => {
        const batches = await listBatches(store, { ...(o.schedule === undefined ? {} : { scheduleId: o.schedule }), limit: o.limit });
        return Promise.all(batches.map(async (b) => ({ ...b, shardsDone: (await listBatchShards(store, b.id)).filter((s) => s.status === 'done').length })));
      });
      if (wantsJson(command)) {
        io.out(JSON.stringify({ batches: rows }));
        return;
      }
      if (rows.length > 0) {
        const t = rows.map((b) => [b.id, b.scheduleId ?? '-', b.runId, b.status, `${b.shardsDone}/${b.shardCount}`, String(b.accountCount), formatTime(b.createdAt)]);
        for (const l of formatTable(['BATCH', 'SCHEDULE', 'RUN', 'STATUS', 'SHARDS', 'ACCOUNTS', 'CREATED'], t)) io.out(l);
      }
      io.out(`${rows.length} batch(es)`);
    });

  schedule.command('report')
    .description('the report of a batch (JSON): totals, worst accounts, shortfalls, failures, change from the previous batch')
    .argument('<batchId>', 'batch id')
    .option('--top <n>', 'accounts per list', positiveInteger('top'), 20)
    .action(async (batchId: string, o: { top: number }, command: Command) => {
      const { io } = contextOf(command);
      const { batchReport } = await import('../jobs/batch/report.ts');
      const report = await withStore(command, (store) => batchReport(store, batchId, { top: o.top }));
      io.out(JSON.stringify(report, null, wantsJson(command) ? undefined : 2));
    });
}
