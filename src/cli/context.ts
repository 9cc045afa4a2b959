/**
 * What one invocation of the command line runs against, besides its arguments: the output sinks and the
 * injectable parts of the environment (tests pass a clock, an environment, a working directory and a file opener;
 * the real command passes none and gets the process's). It is attached to the root command, so any command can
 * reach it from the Command it is given (`contextOf(command)`).
 */
import type { Command } from 'commander';
import type { Environment } from '../config/index.ts';
import type { Io } from './io.ts';
import type { OpenFileResult } from './openFile.ts';

/** Optional overrides of one `run(argv, io, options)` call. */
export interface RunOptions {
  /** Environment for the database default (DATABASE_URL); default: the process's, read by src/config. */
  readonly env?: Environment;
  /** Working directory for relative paths (the default database file, `report --out`); default process.cwd(). */
  readonly cwd?: string;
  /** Store clock, ms since the epoch UTC (default Date.now): run timestamps, leases, audit entries. */
  readonly clock?: () => number;
  /** Heartbeat lease in ms after which a `running` run is marked interrupted on open (default RUN_LEASE_MS). */
  readonly leaseMs?: number;
  /** Opens a written file in the system viewer (`report --open`); default: openWithSystemViewer. */
  readonly openFile?: (path: string) => Promise<OpenFileResult>;
}

/** The context of one invocation: its sinks and overrides. */
export interface CliContext {
  readonly io: Io;
  readonly options: RunOptions;
}

const contexts = new WeakMap<Command, CliContext>();

/** The root of `command`'s tree (the `aftershock` program). */
export function rootOf(command: Command): Command {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
}

/** Attaches `context` to the root command `program`. */
export function attachContext(program: Command, context: CliContext): void {
  contexts.set(rootOf(program), context);
}

/** The context attached to `command`'s root; throws if none was attached (a programming error). */
export function contextOf(command: Command): CliContext {
  const c = contexts.get(rootOf(command));
  if (c === undefined) throw new Error('no CLI context attached to this command tree (build it with buildProgram)');
  return c;
}

/** Whether `--json` was given (one JSON document on stdout). */
export function wantsJson(command: Command): boolean {
  return rootOf(command).opts<{ json?: boolean }>().json === true;
}
