/**
 * The store behind every lifecycle command: `--db <path|postgres://...>`, else DATABASE_URL, else the embedded
 * SQLite file ./.aftershock/aftershock.db (created on first use), resolved by src/config. Opening it applies the
 * migrations and marks as `interrupted` every run whose job stopped renewing its heartbeat lease (a killed
 * process), so `runs list` right after a crash shows it as such.
 */
import type { Command } from 'commander';
import { resolveDatabaseTarget, type ResolvedDatabaseTarget } from '../config/index.ts';
import { markInterruptedRuns, openStore, type Store } from '../store/index.ts';
import { contextOf, rootOf } from './context.ts';

/**
 * How long (ms) a `running` run may go without a heartbeat before it counts as dead: 60 s, the recalibration job's
 * lease (RECALIBRATION_LEASE_MS of src/jobs, which renews it every 5 s; a test keeps the two equal). Not imported
 * from there so that the lifecycle commands do not load the pipeline.
 */
export const RUN_LEASE_MS = 60_000;

/** The database target of this invocation (`--db`, DATABASE_URL or the default file). Throws DatabaseConfigError. */
export function databaseTargetOf(program: Command): ResolvedDatabaseTarget {
  const { options } = contextOf(program);
  const db = rootOf(program).opts<{ db?: string }>().db;
  return resolveDatabaseTarget({
    ...(db === undefined ? {} : { db }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

/**
 * Opens the store of this invocation, marks runs with an expired lease interrupted (saying so on stderr), runs
 * `fn`, and always closes the store. Resolves to `fn`'s result.
 */
export async function withStore<T>(program: Command, fn: (store: Store, target: ResolvedDatabaseTarget) => Promise<T>): Promise<T> {
  const { io, options } = contextOf(program);
  const target = databaseTargetOf(program);
  const store = await openStore(target.target, options.clock === undefined ? {} : { clock: options.clock });
  try {
    const leaseMs = options.leaseMs ?? RUN_LEASE_MS;
    const interrupted = await markInterruptedRuns(store, { leaseMs });
    if (interrupted.length > 0) {
      io.err(`marked ${interrupted.length} run(s) interrupted (no heartbeat for over ${leaseMs / 1000} s): ${interrupted.join(', ')}`);
    }
    return await fn(store, target);
  } finally {
    await store.close();
  }
}
