/**
 * The API test world: a temporary SQLite store with two finished runs of the small synthetic calibration, A
 * (promoted: active) and B (a candidate whose baseline is A, with 1.5x the P&L, the incident add-on and 0.9x the
 * collateral, so every margin and collateral figure differs), and one API key per role (two desk keys: retail and mm). `app()` builds an app on it; `cleanup()`
 * closes the apps and the store and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../../src/api/index.ts';
import { createApiKey, openStore, promoteRun } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { seedRun, type SeedRunInput, type SeededRun } from './seed.ts';

/** Bearer keys by role. */
export interface FixtureKeys {
  readonly retail: string;
  readonly mm: string;
  readonly analyst: string;
  readonly admin: string;
}

/** See the module comment. */
export interface ApiFixture {
  readonly dir: string;
  readonly dbPath: string;
  readonly store: Store;
  readonly runA: SeededRun;
  readonly runB: SeededRun;
  readonly keys: FixtureKeys;
  /** Builds an app on the store (no polling, no rate limit, no logs unless overridden). */
  app(options?: Partial<BuildAppOptions>): Promise<FastifyInstance>;
  cleanup(): Promise<void>;
}

/** Options of {@link createApiFixture}: overrides for run A and run B. */
export interface FixtureOptions {
  readonly runA?: Partial<SeedRunInput>;
  readonly runB?: Partial<SeedRunInput>;
}

/** Builds the world (see the module comment). */
export async function createApiFixture(options: FixtureOptions = {}): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'aftershock-api-'));
  const dbPath = join(dir, 'aftershock.db');
  const store = await openStore(dbPath);
  const apps: FastifyInstance[] = [];
  try {
    const runA = await seedRun(store, { id: 'run-A', ...options.runA });
    await promoteRun(store, runA.runId, { actor: 'test', gates: [] });
    const runB = await seedRun(store, { id: 'run-B', scale: 1.5, incident: true, seed: 20260206, collateralScale: 0.9, ...options.runB });
    const [retail, mm, analyst, admin] = await Promise.all([
      createApiKey(store, { role: 'desk', desk: 'retail', actor: 'test' }),
      createApiKey(store, { role: 'desk', desk: 'mm', actor: 'test' }),
      createApiKey(store, { role: 'analyst', actor: 'test' }),
      createApiKey(store, { role: 'admin', actor: 'test' }),
    ]);
    return {
      dir,
      dbPath,
      store,
      runA,
      runB,
      keys: { retail: retail.key, mm: mm.key, analyst: analyst.key, admin: admin.key },
      app: async (overrides = {}) => {
        const app = await buildApp({ store, pollIntervalMs: 0, rateLimit: false, ...overrides });
        apps.push(app);
        return app;
      },
      cleanup: async () => {
        await Promise.all(apps.splice(0).map((a) => a.close().catch(() => undefined)));
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Authorization header of a key. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}
