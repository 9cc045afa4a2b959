/**
 * The store's migrations, defined in code (no migration folder to ship) and applied by Kysely's Migrator on open.
 * One list for both databases; the only dialect switches are the blob type (`blob` / `bytea`) and the
 * audit-log sequence (`integer primary key autoincrement` / `bigint generated always as identity`).
 *
 * The applied migrations are recorded in `aftershock_migration` (name, ISO timestamp) with the lock row in
 * `aftershock_migration_lock`: that table is the schema version. Released migrations never change; a schema
 * change is a new entry appended to the list (names sort in application order).
 */
import { sql } from 'kysely';
import type { ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from 'kysely';

/** Which SQL dialect a store speaks. */
export type StoreDialect = 'sqlite' | 'postgres';

/** Kysely's migration bookkeeping tables (the schema version table and its lock). */
export const MIGRATION_TABLE = 'aftershock_migration';
export const MIGRATION_LOCK_TABLE = 'aftershock_migration_lock';

/** Run statuses allowed by the `runs.status` check constraint. */
export const RUN_STATUS_SQL = "('running','candidate','partial','failed','interrupted','active','superseded','rolled-back')";

// Kysely<any> is the migration API's own type: migrations run against the schema as it was, not as it is now.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function initialSchema(dialect: StoreDialect): Migration {
  const blob = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const runFk = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder => col.notNull().references('runs.id').onDelete('cascade');
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('patched_at', 'bigint')
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stage', 'text')
        .addColumn('progress', 'double precision', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('heartbeat_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('owner', 'text')
        .addColumn('input_hashes', 'text', (c) => c.notNull())
        .addColumn('model_versions', 'text', (c) => c.notNull())
        .addColumn('code_version', 'text', (c) => c.notNull())
        .addColumn('seed', 'text', (c) => c.notNull())
        .addColumn('options', 'text')
        .addColumn('summary', 'text')
        .addColumn('object_failures', 'text', (c) => c.notNull())
        .addColumn('object_failure_count', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('baseline_run_id', 'text', (c) => c.references('runs.id'))
        .addColumn('previous_active_run_id', 'text', (c) => c.references('runs.id'))
        .addColumn('promoted_at', 'bigint')
        .addColumn('superseded_at', 'bigint')
        .addCheckConstraint('runs_status_check', sql.raw(`status in ${RUN_STATUS_SQL}`))
        .addCheckConstraint('runs_progress_check', sql`progress >= 0 and progress <= 1`)
        .execute();
      await db.schema.createIndex('runs_status_idx').on('runs').column('status').execute();
      await db.schema.createIndex('runs_created_idx').on('runs').column('created_at').execute();
      // at most one active run, enforced by the database itself (both dialects support partial unique indexes)
      await db.schema
        .createIndex('runs_one_active_idx')
        .on('runs')
        .column('status')
        .unique()
        .where(sql.ref('status'), '=', 'active')
        .execute();

      await db.schema
        .createTable('active_calibration')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.references('runs.id'))
        .addColumn('generation', 'bigint', (c) => c.notNull())
        .addColumn('changed_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('active_calibration_single_row', sql`id = 1`)
        .execute();
      await db.insertInto('active_calibration').values({ id: 1, run_id: null, generation: 0, changed_at: 0 }).execute();

      await db.schema
        .createTable('run_surfaces')
        .addColumn('run_id', 'text', runFk)
        .addColumn('underlying', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('parameters', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_surfaces_pk', ['run_id', 'underlying'])
        .execute();

      await db.schema
        .createTable('run_correlations')
        .addColumn('run_id', 'text', (c) => runFk(c).primaryKey())
        .addColumn('assets', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('matrix', blob, (c) => c.notNull())
        .addColumn('details', 'text')
        .execute();

      await db.schema
        .createTable('scenario_sets')
        .addColumn('run_id', 'text', runFk)
        .addColumn('set_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('scenario_count', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('scenario_sets_pk', ['run_id', 'set_id'])
        .execute();
      await db.schema
        .createTable('scenario_set_arrays')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('set_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('cols', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('scenario_set_arrays_pk', ['run_id', 'set_id', 'name'])
        .addForeignKeyConstraint('scenario_set_arrays_set_fk', ['run_id', 'set_id'], 'scenario_sets', ['run_id', 'set_id'], (fk) =>
          fk.onDelete('cascade'),
        )
        .execute();

      await db.schema
        .createTable('pnl_matrices')
        .addColumn('run_id', 'text', (c) => runFk(c).primaryKey())
        .addColumn('instrument_ids', 'text', (c) => c.notNull())
        .addColumn('scenario_ids', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('cols', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('account_margins')
        .addColumn('run_id', 'text', runFk)
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('desk', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('initial_margin', 'double precision', (c) => c.notNull())
        .addColumn('maintenance_margin', 'double precision', (c) => c.notNull())
        .addColumn('collateral_value', 'double precision', (c) => c.notNull())
        .addColumn('excess', 'double precision', (c) => c.notNull())
        .addColumn('attribution', 'text')
        .addPrimaryKeyConstraint('account_margins_pk', ['run_id', 'account_id'])
        .execute();
      await db.schema.createIndex('account_margins_desk_idx').on('account_margins').columns(['run_id', 'desk']).execute();

      await db.schema
        .createTable('collateral_holdings')
        .addColumn('run_id', 'text', runFk)
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('quantity', 'double precision', (c) => c.notNull())
        .addColumn('price', 'double precision', (c) => c.notNull())
        .addColumn('haircut', 'double precision', (c) => c.notNull())
        .addColumn('value_after_haircut', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('collateral_holdings_pk', ['run_id', 'account_id', 'asset'])
        .execute();

      await db.schema
        .createTable('backtests')
        .addColumn('run_id', 'text', runFk)
        .addColumn('backtest_id', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('backtests_pk', ['run_id', 'backtest_id'])
        .execute();
      await db.schema
        .createTable('backtest_series')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('backtest_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('length', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('backtest_series_pk', ['run_id', 'backtest_id', 'name'])
        .addForeignKeyConstraint('backtest_series_fk', ['run_id', 'backtest_id'], 'backtests', ['run_id', 'backtest_id'], (fk) =>
          fk.onDelete('cascade'),
        )
        .execute();

      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('job_kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_fired_at', 'bigint')
        .addCheckConstraint('schedules_enabled_check', sql`enabled in (0, 1)`)
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('desk', 'text')
        .addColumn('label', 'text')
        .addColumn('salt', blob, (c) => c.notNull())
        .addColumn('secret_hash', blob, (c) => c.notNull())
        .addColumn('kdf', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addCheckConstraint('api_keys_role_check', sql`role in ('desk', 'analyst', 'admin')`)
        .addCheckConstraint('api_keys_desk_check', sql`(role = 'desk') = (desk is not null)`)
        .execute();

      let audit = db.schema.createTable('audit_log');
      audit =
        dialect === 'postgres'
          ? audit.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
          : audit.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
      await audit
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('reason', 'text')
        .addColumn('details', 'text')
        .execute();
      await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target', 'seq']).execute();
    },
  };
}

/**
 * 0002: what a run needs to be served without recomputation — the margin model that maps a P&L vector over the
 * run's scenarios to a margin (so the API's what-if margin is the run's own function of the stored matrix), and the
 * rendered report (JSON and self-contained HTML) so `report <runId>` and the API need no output folder.
 */
function runArtifacts(): Migration {
  const runFk = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder => col.notNull().references('runs.id').onDelete('cascade');
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('run_margin_models')
        .addColumn('run_id', 'text', (c) => runFk(c).primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('run_reports')
        .addColumn('run_id', 'text', (c) => runFk(c).primaryKey())
        .addColumn('json', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * 0003: stress batches (src/store/batches.ts): a batch over the accounts of a portfolio file under one run, its
 * shards (the unit of work of a worker, completed exactly once) and one result row per account.
 */
function batches(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('shard_count', 'integer', (c) => c.notNull())
        .addColumn('shard_size', 'integer', (c) => c.notNull())
        .addColumn('account_count', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('error', 'text')
        .addCheckConstraint('batches_status_check', sql`status in ('running', 'done', 'failed')`)
        .execute();
      await db.schema.createIndex('batches_schedule_idx').on('batches').columns(['schedule_id', 'created_at']).execute();
      await db.schema
        .createTable('batch_shards')
        .addColumn('batch_id', 'text', (c) => c.notNull().references('batches.id').onDelete('cascade'))
        .addColumn('shard_index', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('worker', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addPrimaryKeyConstraint('batch_shards_pk', ['batch_id', 'shard_index'])
        .addCheckConstraint('batch_shards_status_check', sql`status in ('pending', 'running', 'done')`)
        .execute();
      await db.schema
        .createTable('batch_results')
        .addColumn('batch_id', 'text', (c) => c.notNull().references('batches.id').onDelete('cascade'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('shard_index', 'integer', (c) => c.notNull())
        .addColumn('desk', 'text', (c) => c.notNull())
        .addColumn('initial_margin', 'double precision')
        .addColumn('maintenance_margin', 'double precision')
        .addColumn('collateral_value', 'double precision')
        .addColumn('worst_scenario_id', 'text')
        .addColumn('worst_pnl', 'double precision')
        .addColumn('failure', 'text')
        .addPrimaryKeyConstraint('batch_results_pk', ['batch_id', 'account_id'])
        .execute();
      await db.schema.createIndex('batch_results_shard_idx').on('batch_results').columns(['batch_id', 'shard_index']).execute();
    },
  };
}

/** The migrations for a dialect, by name in application order. */
export function storeMigrations(dialect: StoreDialect): Readonly<Record<string, Migration>> {
  return Object.freeze({ '0001_initial': initialSchema(dialect), '0002_run_artifacts': runArtifacts(), '0003_batches': batches() });
}

/** A Kysely MigrationProvider over {@link storeMigrations}. */
export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: async () => ({ ...storeMigrations(dialect) }) };
}
