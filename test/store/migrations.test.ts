import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { appliedMigrations, createRun, getActivePointer, getRun, openStore, StoreOpenError, storeMigrations } from '../../src/store/index.ts';
import { BACKENDS, createTestDatabase, skipBackend } from '../support/db.ts';
import { runInput, useTestStore } from './helpers.ts';

const TABLES = [
  'account_margins', 'active_calibration', 'aftershock_migration', 'aftershock_migration_lock', 'api_keys', 'audit_log', 'backtest_series', 'backtests', 'batch_results', 'batch_shards', 'batches', 'collateral_holdings',
  'incidents', 'pnl_matrices', 'run_correlations', 'run_margin_models', 'run_reports', 'run_surfaces', 'runs', 'scenario_set_arrays', 'scenario_sets', 'schedules',
];

describe.each(BACKENDS)('store migrations on %s', async (backend) => {
  const skip = await skipBackend(backend, 'store migrations');
  describe.skipIf(skip)(backend, () => {
    const ctx = useTestStore(backend);

    it('migrates an empty database to the latest schema: every table, the version table and the active pointer', async () => {
      const { store } = ctx;
      expect(await appliedMigrations(store)).toEqual(Object.keys(storeMigrations(backend)));
      const tables = (await store.db.introspection.getTables())
        .filter((t) => ctx.db.schema === null || t.schema === ctx.db.schema)
        .map((t) => t.name)
        .sort();
      expect(tables).toEqual(TABLES);
      expect(await getActivePointer(store)).toEqual({ runId: null, generation: 0, changedAt: 0 });
      if (backend === 'sqlite') {
        expect(existsSync(dirname(ctx.db.target))).toBe(true); // directory created on first use
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
        expect(mode.rows[0]?.journal_mode).toBe('wal');
        const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
        expect(fk.rows[0]?.foreign_keys).toBe(1);
      }
    });

    it('re-opening is idempotent: no migration runs twice and the data stays', async () => {
      await createRun(ctx.store, runInput('run-1'));
      await ctx.store.close();
      const again = await ctx.open();
      const third = await ctx.open();
      expect(await appliedMigrations(third)).toEqual(['0001_initial', '0002_run_artifacts', '0003_batches']);
      expect((await getRun(again, 'run-1')).status).toBe('running');
      const rows = await third.db.selectFrom('active_calibration').selectAll().execute();
      expect(rows).toHaveLength(1);
    });

    it('two stores opening one fresh database at once both succeed with every migration applied once', async () => {
      // a second, untouched database: the fixture's store already migrated its own
      const fresh = await createTestDatabase(backend);
      try {
        const [a, b] = await Promise.all([fresh.open(), fresh.open({ inProcessWriteLock: false })]);
        expect(await appliedMigrations(a)).toEqual(['0001_initial', '0002_run_artifacts', '0003_batches']);
        expect(await appliedMigrations(b)).toEqual(['0001_initial', '0002_run_artifacts', '0003_batches']);
        expect(await a.db.selectFrom('active_calibration').selectAll().execute()).toHaveLength(1);
      } finally {
        await fresh.cleanup();
      }
    });

    it('enforces the schema: run status values, foreign keys to runs, one pointer row', async () => {
      const { store } = ctx;
      await createRun(store, runInput('run-1'));
      await expect(store.db.updateTable('runs').set({ status: 'bogus' }).where('id', '=', 'run-1').execute()).rejects.toThrow();
      await expect(
        store.db.insertInto('run_surfaces').values({ run_id: 'no-such-run', underlying: 'BTC', model: 'svi', parameters: '{}' }).execute(),
      ).rejects.toThrow();
      await expect(store.db.insertInto('active_calibration').values({ id: 2, run_id: null, generation: 0, changed_at: 0 }).execute()).rejects.toThrow();
    });
  });
});

describe('opening failures', () => {
  it('an unreachable PostgreSQL server is a StoreOpenError naming the target without its password', async () => {
    const err = await openStore('postgres://user:secret@127.0.0.1:1/nothing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOpenError);
    expect(String((err as Error).message)).toContain('postgres://user:***@127.0.0.1:1/nothing');
    expect(String((err as Error).message)).not.toContain('secret');
  });
});
