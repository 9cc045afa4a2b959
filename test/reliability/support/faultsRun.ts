/** Shared set-up of the fault tests: recalibration defaults, a CLI child process, temp directories. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRecalibrationJob, type RecalibrationJobResult } from '../../../src/jobs/index.ts';
import type { RecalibrationJobOptions } from '../../../src/jobs/index.ts';
import { promoteRun, type Store } from '../../../src/store/index.ts';
import { INCIDENT, ROOT, smallPortfolio } from '../../jobs/helpers.ts';

export { INCIDENT, ROOT };
/** The `aftershock` executable. */
export const BIN = fileURLToPath(new URL('../../../bin/aftershock.js', import.meta.url));
/** Accounts per fault-test run: the pipeline's fixed costs dominate (about 6 s a run on the 2 cores). */
export const ACCOUNTS = 20;
export const CODE_VERSION = 'aftershock@faults-test';

/** A portfolio file of the first ACCOUNTS fixture accounts, in its own temp directory; `remove()` deletes it. */
export function faultsPortfolio(): { readonly path: string; remove(): void } {
  const path = smallPortfolio(ACCOUNTS);
  return { path, remove: () => rmSync(dirname(path), { recursive: true, force: true }) };
}

/** Runs a recalibration of the portfolio file `portfolios` on `store` with `seed`. */
export function recalibrate(store: Store, portfolios: string, seed: number, extra: Partial<RecalibrationJobOptions> = {}): Promise<RecalibrationJobResult> {
  return runRecalibrationJob({ store, codeVersion: CODE_VERSION, request: { root: ROOT, incident: INCIDENT, portfolios, seed }, ...extra });
}

/** A finished run made the active calibration (the state every fault must leave alone). */
export async function promotedBaseline(store: Store, portfolios: string): Promise<string> {
  const job = await recalibrate(store, portfolios, 1);
  await promoteRun(store, job.run.id, { actor: 'faults-test', gates: job.gates, reason: 'baseline of the fault tests' });
  return job.run.id;
}

/** A temp directory with a unique prefix; `remove()` deletes it. */
export function tempDir(label: string): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `aftershock-faults-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A child process of the CLI. */
export interface CliChild {
  /** Resolves when it exits. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string }>;
  /** Calls `fn` with each complete stderr line as it arrives. */
  onStderrLine(fn: (line: string) => void): void;
  kill(): void;
}

/** How to start a CLI child: as another user, under a file size limit. */
export interface CliChildOptions {
  /** Run as this user and group (root only). */
  readonly uid?: number;
  readonly gid?: number;
  /** RLIMIT_FSIZE in KiB (`ulimit -f` in bash): writes past it fail with EFBIG (Node ignores SIGXFSZ). */
  readonly fileSizeLimitKb?: number;
}

/** Starts `aftershock <args>` in ROOT. tsx's on-disk cache is off, so the child writes nothing of its own. */
export function startCli(args: readonly string[], options: CliChildOptions = {}): CliChild {
  const { fileSizeLimitKb, ...ids } = options;
  const argv = fileSizeLimitKb === undefined
    ? [process.execPath, BIN, ...args]
    : ['bash', '-c', `ulimit -f ${fileSizeLimitKb} && exec "$0" "$@"`, process.execPath, BIN, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSX_DISABLE_CACHE: '1' }, ...ids,
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const listeners: ((line: string) => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    partial += d.toString();
    let i;
    while ((i = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, i);
      partial = partial.slice(i + 1);
      for (const fn of listeners) fn(line);
    }
  });
  // never outlives a test that timed out
  const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
  guard.unref();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    exited,
    onStderrLine: (fn) => listeners.push(fn),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Another process that can hold a SQLite file's write lock (support/faultsLocker.ts). */
export interface Locker {
  /** Takes an exclusive transaction; resolves once it holds it. */
  lock(): Promise<void>;
  /** Rolls it back; resolves once released. */
  release(): Promise<void>;
  readonly locked: boolean;
  close(): Promise<void>;
}

const LOCKER = fileURLToPath(new URL('./faultsLocker.ts', import.meta.url));

/** Starts a locker process on the SQLite file `file`. */
export function startLocker(file: string): Locker {
  const child = spawn(process.execPath, ['--import', 'tsx', LOCKER, file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { word: string; resolve: () => void }[] = [];
  let buffer = '';
  let locked = false;
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const word = buffer.slice(0, i).trim();
      buffer = buffer.slice(i + 1);
      const at = waiting.findIndex((w) => w.word === word);
      if (at >= 0) waiting.splice(at, 1)[0]?.resolve();
    }
  });
  const send = (command: string, answer: string): Promise<void> =>
    new Promise((resolve) => {
      waiting.push({ word: answer, resolve });
      child.stdin.write(`${command}\n`);
    });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return {
    get locked() {
      return locked;
    },
    lock: async () => {
      await send('lock', 'locked');
      locked = true;
    },
    release: async () => {
      await send('release', 'released');
      locked = false;
    },
    close: async () => {
      child.stdin.end('exit\n');
      await exited;
    },
  };
}

/** What one command line invocation in a promoter process gave. */
export interface CliResult {
  readonly code: number;
  readonly out: readonly string[];
  readonly err: readonly string[];
}

/** A process running `aftershock` commands on demand (support/faultsPromoter.ts). */
export interface Promoter {
  /** Runs `aftershock <argv>` in the process; resolves with its exit code and output. */
  exec(argv: readonly string[]): Promise<CliResult>;
  close(): Promise<void>;
}

const PROMOTER = fileURLToPath(new URL('./faultsPromoter.ts', import.meta.url));

/** Starts a promoter process. */
export function startPromoter(): Promoter {
  const child = spawn(process.execPath, ['--import', 'tsx', PROMOTER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const pending: ((r: CliResult) => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      pending.shift()?.(JSON.parse(line) as CliResult);
    }
  });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  return {
    exec: (argv) =>
      new Promise((resolve) => {
        pending.push(resolve);
        child.stdin.write(`${JSON.stringify(argv)}\n`);
      }),
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
