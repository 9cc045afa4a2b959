/**
 * Shared helpers of the CLI lifecycle tests: drive `run(argv, io, options)` capturing stdout/stderr lines, against a
 * private test database (SQLite file or PostgreSQL schema, see test/support/db.ts) whose store and CLI share one
 * manual clock; and runs with recorded gates and a stored report.
 */
import { afterEach, beforeEach } from 'vitest';
import { run } from '../../src/cli/main.ts';
import type { RunOptions } from '../../src/cli/context.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRun, finishRun, getActivePointer, listRuns, openStore, promoteRun, putRunReport } from '../../src/store/index.ts';
import type { ObjectFailure, PromotionGate, RunRecord, Store } from '../../src/store/index.ts';
import { createTestDatabase } from '../support/db.ts';
import type { Backend, TestDatabase } from '../support/db.ts';
import { manualClock, runInput, T0 } from '../store/helpers.ts';
import type { ManualClock } from '../store/helpers.ts';

export { T0 };

/** What one CLI invocation printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs the CLI in-process with `args`, capturing its lines. */
export async function cli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, options);
  return { code, out, err };
}

/** The single JSON document a `--json` invocation printed (fails if there is not exactly one line). */
export function jsonOf<T = Record<string, unknown>>(r: CliResult): T {
  if (r.out.length !== 1) throw new Error(`expected one JSON line on stdout, got ${r.out.length}: ${r.out.join('\n')}`);
  return JSON.parse(r.out[0]!) as T;
}

/** Per-test database, store and clock; `ctx.cli(args)` runs the CLI on that database with that clock. */
export function useCliDatabase(backend: Backend): {
  readonly db: TestDatabase;
  readonly store: Store;
  readonly clock: ManualClock;
  cli(args: readonly string[], extra?: RunOptions): Promise<CliResult>;
} {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  const clock = manualClock();
  beforeEach(async () => {
    clock.set(T0);
    db = await createTestDatabase(backend);
    store = await db.open({ clock });
  });
  afterEach(async () => {
    await db?.cleanup();
    db = undefined;
    store = undefined;
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('no test database outside a test');
    return v;
  };
  return {
    get db() {
      return need(db);
    },
    get store() {
      return need(store);
    },
    clock,
    cli: (args, extra = {}) => cli([...args, '--db', need(db).target], { clock, ...extra }),
  };
}

export const GREEN: readonly PromotionGate[] = [
  { name: 'backtest-zone', passed: true, detail: 'green: 2 exceptions in 250' },
  { name: 'surface-arbitrage', passed: true },
  { name: 'finite-margins', passed: true },
];
export const RED: readonly PromotionGate[] = [
  { name: 'backtest-zone', passed: false, detail: 'red: 11 exceptions in 250' },
  { name: 'surface-arbitrage', passed: true },
  { name: 'finite-margins', passed: true },
];

/** Options of {@link storedRun}. */
export interface StoredRunOptions {
  readonly gates?: readonly PromotionGate[] | null;
  readonly failures?: readonly ObjectFailure[];
  readonly report?: { readonly json: string; readonly html: string };
  readonly summary?: Record<string, unknown>;
  readonly incidentId?: string;
}

/** Creates run `id`, stores its report (if given), and finishes it as candidate (or partial with failures). */
export async function storedRun(store: Store, id: string, o: StoredRunOptions = {}): Promise<RunRecord> {
  await createRun(store, runInput(id, { owner: 'host-a:4242', options: { asOf: '2026-02-06T00:00:00Z' }, ...(o.incidentId ? { incidentId: o.incidentId } : {}) }));
  if (o.report) await putRunReport(store, id, o.report);
  const summary = { ...(o.gates === null ? {} : { gates: o.gates ?? GREEN }), ...(o.summary ?? {}) };
  const failures = o.failures ?? [];
  return failures.length === 0
    ? finishRun(store, id, { status: 'candidate', summary })
    : finishRun(store, id, { status: 'partial', objectFailures: failures, summary });
}

/**
 * A private SQLite file (in a fresh temp dir named after `prefix`) holding one promoted run `run-active`, with
 * `state()`: the runs and the active pointer as one comparable value (for "the store is unchanged" checks).
 */
export async function sqliteWithActiveRun(prefix: string): Promise<{ dir: string; db: string; state(): Promise<unknown>; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, 'a.db');
  const store = await openStore(db);
  try {
    await storedRun(store, 'run-active');
    await promoteRun(store, 'run-active', { actor: 'test', gates: [] });
  } finally {
    await store.close();
  }
  return {
    dir,
    db,
    async state() {
      const s = await openStore(db);
      try {
        return { runs: await listRuns(s), active: await getActivePointer(s) };
      } finally {
        await s.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
