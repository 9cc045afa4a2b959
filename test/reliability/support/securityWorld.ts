/**
 * The world of the security suite (issue 10, part "Security"), on SQLite or PostgreSQL: the API test calibration
 * (run A active, run B a candidate; accounts of the desks retail, mm and vol-arb: test/api/support/seed.ts), one key
 * per role (two desk keys: retail and mm) plus a revoked admin key, a finished stress batch whose results span two
 * desks, a stored schedule, a RECORDING run launcher (every call is kept: a traversal name that reached it would
 * have reached a process spawn) and the REAL batch launcher on a private portfolio directory holding one file, with
 * a decoy `secret.json` one level up (so `../secret` would resolve to a real file if a name ever became a path).
 * `app()` builds an app on the store (no polling; rate limit off unless overridden); `cleanup()` closes everything.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions, type RecalibrationRequest, type RunLauncher } from '../../../src/api/index.ts';
import { createBatchLauncher, type BatchLauncher } from '../../../src/jobs/batch/launcher.ts';
import {
  completeShard, createApiKey, createBatch, createRun, createSchedule, promoteRun, revokeApiKey, startShard,
} from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { createTestDatabase, type Backend, type TestDatabase } from '../../support/db.ts';
import { seedRun, TEST_ACCOUNTS } from '../../api/support/seed.ts';

/** Bearer keys by caller. */
export interface SecurityKeys {
  readonly retail: string;
  readonly mm: string;
  readonly analyst: string;
  readonly admin: string;
  /** A revoked admin key (well-formed, right secret, revoked before any server saw it). */
  readonly revoked: string;
}

/** See the module comment. */
export interface SecurityWorld {
  readonly backend: Backend;
  readonly store: Store;
  readonly keys: SecurityKeys;
  /** Key ids (`ak_<id>.<secret>` -> id) by caller. */
  readonly keyIds: Readonly<Record<keyof SecurityKeys, string>>;
  /** Every request the run launcher received (none may carry a path). */
  readonly launched: RecalibrationRequest[];
  /** Every name the batch launcher was asked to start. */
  readonly batchStarts: string[];
  /** The stored batch with results of the retail and mm desks. */
  readonly batchId: string;
  /** The stored schedule. */
  readonly scheduleId: string;
  /** The private portfolio directory of the batch launcher (holds `desk-book.json`). */
  readonly portfoliosDir: string;
  readonly launcher: RunLauncher;
  readonly batches: BatchLauncher;
  app(options?: Partial<BuildAppOptions>): Promise<FastifyInstance>;
  cleanup(): Promise<void>;
}

/** The accounts of each desk in the seeded calibration. */
export const DESK_ACCOUNTS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  TEST_ACCOUNTS.reduce<Record<string, string[]>>((acc, a) => {
    (acc[a.desk] ??= []).push(a.id);
    return acc;
  }, {}),
);

/** Builds the world on `backend` (PostgreSQL: a private schema of the test server). */
export async function createSecurityWorld(backend: Backend = 'sqlite'): Promise<SecurityWorld> {
  const db: TestDatabase = await createTestDatabase(backend);
  const dir = mkdtempSync(join(tmpdir(), 'aftershock-security-'));
  const apps: FastifyInstance[] = [];
  let batches: BatchLauncher | null = null;
  const cleanup = async (): Promise<void> => {
    await Promise.all(apps.splice(0).map((a) => a.close().catch(() => undefined)));
    await batches?.close().catch(() => undefined);
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const store = await db.open();
    const runA = await seedRun(store, { id: 'run-A' });
    await promoteRun(store, runA.runId, { actor: 'test', gates: [] });
    await seedRun(store, { id: 'run-B', scale: 1.5, incident: true, seed: 20260206, collateralScale: 0.9 });
    const made = await Promise.all([
      createApiKey(store, { role: 'desk', desk: 'retail', actor: 'test' }),
      createApiKey(store, { role: 'desk', desk: 'mm', actor: 'test' }),
      createApiKey(store, { role: 'analyst', actor: 'test' }),
      createApiKey(store, { role: 'admin', actor: 'test' }),
      createApiKey(store, { role: 'admin', actor: 'test' }),
    ]);
    const [retail, mm, analyst, admin, revoked] = made as [typeof made[0], typeof made[0], typeof made[0], typeof made[0], typeof made[0]];
    await revokeApiKey(store, revoked.record.id, { actor: 'test', reason: 'security suite' });

    // a finished batch with one result per desk (retail, mm)
    const batch = await createBatch(store, { id: 'batch-sec', runId: 'run-A', shardSize: 2, accountCount: 2, source: { portfolios: '/none.json' } });
    await startShard(store, batch.id, 0, 'test');
    const row = (accountId: string, desk: string) => ({
      accountId, desk, initialMargin: 1000, maintenanceMargin: 750, collateralValue: 500, worstScenarioId: 'fhs:2021-01-01', worstPnl: -900, failure: null,
    });
    await completeShard(store, batch.id, 0, 'test', [row('ACC-R1', 'retail'), row('ACC-M1', 'mm')]);
    const schedule = await createSchedule(store, { id: 'sched-sec', cron: '0 3 * * *', jobKind: 'stress', payload: {} });

    // the real batch launcher on a private directory; a decoy one level up
    const portfoliosDir = join(dir, 'portfolios');
    mkdirSync(portfoliosDir);
    writeFileSync(join(dir, 'secret.json'), JSON.stringify({ accounts: [] }));
    writeFileSync(join(portfoliosDir, 'desk-book.json'), JSON.stringify({ accounts: [] }));
    const real = createBatchLauncher({ store, portfoliosDir });
    batches = real;
    const batchStarts: string[] = [];
    const recordingBatches: BatchLauncher = {
      mode: real.mode,
      resolvePortfolios: (name) => real.resolvePortfolios(name),
      start: (request) => {
        batchStarts.push(request.portfolios);
        return real.start(request);
      },
      mirror: () => real.mirror(),
      close: () => real.close(),
    };
    const launched: RecalibrationRequest[] = [];
    const launcher: RunLauncher = {
      start: async (request) => {
        launched.push(request);
        const run = await createRun(store, { inputHashes: {}, modelVersions: {}, codeVersion: 'test', seed: 1 });
        return { runId: run.id };
      },
    };
    const idOf = (k: string): string => /^ak_([0-9a-f]{16})\./.exec(k)?.[1] ?? '';
    return {
      backend,
      store,
      keys: { retail: retail.key, mm: mm.key, analyst: analyst.key, admin: admin.key, revoked: revoked.key },
      keyIds: { retail: idOf(retail.key), mm: idOf(mm.key), analyst: idOf(analyst.key), admin: idOf(admin.key), revoked: idOf(revoked.key) },
      launched,
      batchStarts,
      batchId: batch.id,
      scheduleId: schedule.id,
      portfoliosDir,
      launcher,
      batches: recordingBatches,
      app: async (overrides = {}) => {
        const app = await buildApp({ store, pollIntervalMs: 0, rateLimit: false, launcher, batches: recordingBatches, ...overrides });
        apps.push(app);
        return app;
      },
      cleanup,
    };
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}

/** Authorization header of a key. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}
