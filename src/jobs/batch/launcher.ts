/**
 * Starting stress batches for a server (the API's batch launcher): a request names a portfolio file by NAME,
 * resolved as `<portfoliosDir>/<name>.json` (default the package's fixtures/portfolios), never by path. On SQLite the
 * batch's shards run in this process in the background (one after the other, not awaited by `start`; a failure is
 * recorded on the batch); on PostgreSQL the shards are enqueued on pg-boss for `aftershock worker` processes, and
 * `mirror()` copies the store's stress-batch schedules to pg-boss. Amounts USD; times ms UTC.
 */
import { isInputName } from '../inputName.ts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type PgBoss from 'pg-boss';
import { failBatch, type BatchRecord, type Store } from '../../store/index.ts';
import { enqueueBatch, startBoss, type BossSettings } from './boss.ts';
import { mirrorSchedules } from './bossSchedules.ts';
import { createStressBatch } from './createStressBatch.ts';
import { BatchInputError } from './errors.ts';
import { runBatchShards } from './runStressBatch.ts';

/** A batch request of names: `portfolios` is a portfolio file NAME (no path), `shardSize` accounts per shard. */
export interface BatchLaunchRequest {
  readonly portfolios: string;
  readonly shardSize?: number;
  readonly scheduleId?: string | null;
}

/** How a launcher runs batches: in this process (SQLite) or through pg-boss workers (PostgreSQL). */
export type BatchLaunchMode = 'in-process' | 'queue';

/** Starts stress batches (see the module comment). */
export interface BatchLauncher {
  readonly mode: BatchLaunchMode;
  /** The absolute path of portfolio file NAME; throws BatchInputError('portfolios') for a path or an unknown name. */
  resolvePortfolios(name: string): string;
  /** Creates the batch and starts it (in the background, or enqueued); resolves to the created batch. */
  start(request: BatchLaunchRequest): Promise<BatchRecord>;
  /** Mirrors the store's schedules to pg-boss (queue mode); resolves to false when there is nothing to mirror to. */
  mirror(): Promise<boolean>;
  /** Stops background batches between shards (they stay `running`), waits for them, and stops pg-boss. */
  close(): Promise<void>;
}

/** Options of {@link createBatchLauncher}. */
export interface BatchLauncherOptions {
  readonly store: Store;
  /** Directory of the portfolio files (default: the package's fixtures/portfolios). */
  readonly portfoliosDir?: string;
  /**
   * pg-boss settings on a PostgreSQL store (its URL; pg-boss is started producer-only on first use). Absent on
   * PostgreSQL: the launcher cannot start batches (BatchInputError('db')).
   */
  readonly boss?: BossSettings;
  /** Where background failures are reported (default: ignored; they are recorded on the batch anyway). */
  readonly onError?: (error: unknown, batchId: string) => void;
  /** Called when a background batch has finished (in-process mode). */
  readonly onBatch?: (batch: BatchRecord) => void;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A portfolio name: letters, digits, `.`, `_`, `-`, starting with a letter or digit, no `..`. */

/** The default portfolio directory: `<package root>/fixtures/portfolios`. */
export const DEFAULT_PORTFOLIOS_DIR = resolve(PACKAGE_ROOT, 'fixtures/portfolios');

/** Throws BatchInputError naming `field` unless `name` is a plain file name (no separator, no `..`). */
export function checkPortfolioName(name: string, field = 'portfolios'): string {
  if (!isInputName(name)) throw new BatchInputError(field, name, 'must be a portfolio file name, not a path');
  return name;
}

/** A launcher on `options.store` (see the module comment). */
export function createBatchLauncher(options: BatchLauncherOptions): BatchLauncher {
  const { store } = options;
  const dir = resolve(options.portfoliosDir ?? DEFAULT_PORTFOLIOS_DIR);
  const mode: BatchLaunchMode = store.dialect === 'postgres' ? 'queue' : 'in-process';
  const abort = new AbortController();
  const running = new Set<Promise<void>>();
  let boss: Promise<PgBoss> | null = null;
  const bossOf = (): Promise<PgBoss> => {
    const settings = options.boss;
    if (settings === undefined) return Promise.reject(new BatchInputError('db', store.target, 'this server has no pg-boss settings: start batches with `aftershock schedule run`'));
    if (boss === null) {
      boss = startBoss({ ...settings, producerOnly: true });
      boss.catch(() => { boss = null; });
    }
    return boss;
  };
  const resolvePortfolios = (name: string): string => {
    const path = join(dir, `${checkPortfolioName(name)}.json`);
    if (!existsSync(path)) throw new BatchInputError('portfolios', name, 'no portfolio file of that name');
    return path;
  };
  const background = (batch: BatchRecord): void => {
    const task = runBatchShards(store, batch, { worker: `api:${process.pid}`, signal: abort.signal })
      .then((done) => { options.onBatch?.(done); })
      .catch(async (error: unknown) => {
        options.onError?.(error, batch.id);
        await failBatch(store, batch.id, error instanceof Error ? error.message : String(error)).catch(() => undefined);
      })
      .finally(() => { running.delete(task); });
    running.add(task);
  };
  return {
    mode,
    resolvePortfolios,
    async start(request) {
      const portfolios = resolvePortfolios(request.portfolios);
      if (mode === 'queue') await bossOf(); // fail before creating a batch nobody would run
      const batch = await createStressBatch(store, {
        portfolios,
        ...(request.shardSize === undefined ? {} : { shardSize: request.shardSize }),
        ...(request.scheduleId === undefined ? {} : { scheduleId: request.scheduleId }),
      });
      if (batch.shardCount === 0) return batch;
      if (mode === 'queue') await enqueueBatch(await bossOf(), batch, options.boss as BossSettings);
      else background(batch);
      return batch;
    },
    async mirror() {
      if (mode !== 'queue' || options.boss === undefined) return false;
      await mirrorSchedules(store, await bossOf());
      return true;
    },
    async close() {
      abort.abort();
      await Promise.all([...running]);
      const b = boss;
      boss = null;
      if (b !== null) await (await b.catch(() => null))?.stop({ graceful: false, wait: true }).catch(() => undefined);
    },
  };
}
