/**
 * The relational schema of the store, as Kysely table types (the migrations in migrations.ts create it).
 *
 * Portable conventions, identical on SQLite and PostgreSQL:
 * - ids are `text` chosen by the caller (or a random UUID); foreign keys to `runs.id` cascade on delete;
 * - timestamps are integer milliseconds since the Unix epoch, UTC (`bigint`; PostgreSQL returns them as decimal
 *   strings, the repositories convert with `toMillis`);
 * - JSON is stored as `text` (not jsonb): the text is written once by `encodeJson` and read back byte for byte,
 *   key order included, which the determinism guarantee of the runs needs; JSON never holds NaN or ±Infinity
 *   (numbers that may be non-finite or must keep -0 go in blobs);
 * - real numbers are `double precision` (IEEE binary64 on both), finite only: SQLite turns NaN into NULL, so the
 *   repositories refuse non-finite values rather than let the two databases diverge;
 * - numeric arrays are `blob` (SQLite) / `bytea` (PostgreSQL) holding a Float64Array as consecutive IEEE 754
 *   binary64 values in little-endian byte order, 8 bytes per value, no header (codec.ts); matrices are row-major
 *   with their dimensions in sibling integer columns;
 * - booleans are integers 0/1.
 */
import type { ColumnType } from 'kysely';

/** A millisecond timestamp column: written as a number, read as number or (PostgreSQL bigint) string. */
export type MillisColumn = ColumnType<number | string, number, number>;
/** A nullable millisecond timestamp column. */
export type NullableMillisColumn = ColumnType<number | string | null, number | null | undefined, number | null>;
/** A blob/bytea column (Float64Array payloads, key material). */
export type BlobColumn = ColumnType<Uint8Array, Uint8Array, Uint8Array>;
/** An integer column PostgreSQL may return as string (bigint / count). */
export type IntColumn = ColumnType<number | string, number, number>;

/** `incidents`: one row per incident definition (DESIGN.md §4). */
export interface IncidentsTable {
  /** Incident id from the incident file (`fixtures/incidents/<id>.json`). */
  id: string;
  title: string;
  /** exploit | oracle-manipulation | interoperability-failure | patch-deployment | outage | market-shock. */
  kind: string;
  /** Severity 1-5. */
  severity: number;
  /** Incident start, ms UTC. */
  started_at: MillisColumn;
  /** Incident end, ms UTC (null while ongoing). */
  ended_at: NullableMillisColumn;
  /** Patch deployment time, ms UTC, if any. */
  patched_at: NullableMillisColumn;
  /** The whole incident document as JSON text (the indexed columns above are copies of its fields). */
  document: string;
  /** When the row was written, ms UTC. */
  created_at: MillisColumn;
}

/** `runs`: one recalibration or stress run and its lifecycle state (lifecycle.ts). */
export interface RunsTable {
  id: string;
  /** What produced it: 'recalibration' (default) or another job kind ('stress', ...). */
  kind: string;
  /** The incident the run recalibrates for, if any. */
  incident_id: string | null;
  /** running | candidate | partial | failed | interrupted | active | superseded | rolled-back (RUN_STATUSES). */
  status: string;
  /** Current stage name (free text owned by the jobs layer), null before the first progress report. */
  stage: string | null;
  /** Progress of the whole run in [0, 1]. */
  progress: number;
  created_at: MillisColumn;
  started_at: NullableMillisColumn;
  /** Last sign of life of the process running it, ms UTC: the lease that markInterruptedRuns checks. */
  heartbeat_at: NullableMillisColumn;
  finished_at: NullableMillisColumn;
  /** Who runs it (e.g. `host:pid`), informational. */
  owner: string | null;
  /** JSON object: input name -> content hash (e.g. sha256 hex) of each input file or table. */
  input_hashes: string;
  /** JSON object: model family/name -> semver used. */
  model_versions: string;
  /** Code version (package version and/or git commit). */
  code_version: string;
  /** JSON of the seed (a safe integer or a string), so its type round-trips. */
  seed: string;
  /** JSON of the run options (asOf, thresholds, ...), null if none. */
  options: string | null;
  /** JSON summary written when the run finishes (shadow comparison, gate inputs, output hashes), null before. */
  summary: string | null;
  /** JSON array of per-object failures ({ stage, object, reason, ... }); non-empty exactly when status is partial. */
  object_failures: string;
  object_failure_count: number;
  /** Why the run failed or was interrupted. */
  error: string | null;
  /** The active run when this run was created: its shadow comparison baseline and the expected active at promotion. */
  baseline_run_id: string | null;
  /** Set at promotion: the run this one superseded (null for the first promotion); rollback returns to it. */
  previous_active_run_id: string | null;
  /** When the run last became active, ms UTC. */
  promoted_at: NullableMillisColumn;
  /** When it stopped being active (superseded or rolled back), ms UTC. */
  superseded_at: NullableMillisColumn;
}

/** `active_calibration`: the single-row pointer to the active run (id is always 1). */
export interface ActiveCalibrationTable {
  id: number;
  run_id: string | null;
  /** Incremented by every promotion and rollback (compare-and-swap guard). */
  generation: IntColumn;
  changed_at: MillisColumn;
}

/** `run_surfaces`: one fitted surface per run and underlying. */
export interface RunSurfacesTable {
  run_id: string;
  underlying: string;
  /** Model identifier, e.g. 'svi' or 'essvi'. */
  model: string;
  /** JSON parameters of the surface (per-expiry SVI params, SSVI params, diagnostics...). */
  parameters: string;
}

/** `run_correlations`: the correlation matrix of a run. */
export interface RunCorrelationsTable {
  run_id: string;
  /** JSON array of asset names, the matrix's row/column order. */
  assets: string;
  /** Number of assets n (the matrix is n x n). */
  size: number;
  /** n*n binary64 values, row-major, little-endian. */
  matrix: BlobColumn;
  /** JSON details (estimator, shrinkage, repair distance, window), null if none. */
  details: string | null;
}

/** `scenario_sets`: one scenario set per run and set id. */
export interface ScenarioSetsTable {
  run_id: string;
  set_id: string;
  /** grid | span | historical | filtered-historical | hypothetical | incident-replay | ... */
  kind: string;
  scenario_count: number;
  /** JSON definition: scenario ids, labels, model version, parameters. */
  definition: string;
}

/** `scenario_set_arrays`: named numeric payloads of a scenario set (shocks, weights...). */
export interface ScenarioSetArraysTable {
  run_id: string;
  set_id: string;
  name: string;
  rows: number;
  cols: number;
  /** rows*cols binary64 values, row-major, little-endian. */
  data: BlobColumn;
}

/** `pnl_matrices`: the instrument x scenario P&L matrix of a run. */
export interface PnlMatricesTable {
  run_id: string;
  /** JSON array of instrument ids (rows). */
  instrument_ids: string;
  /** JSON array of scenario ids (columns). */
  scenario_ids: string;
  rows: number;
  cols: number;
  /** Currency of the P&L values (e.g. 'USD'); P&L per unit of instrument, positive for a gain to the holder. */
  currency: string;
  /** rows*cols binary64 values, row-major (instrument i, scenario j at i*cols + j), little-endian. */
  data: BlobColumn;
}

/** `account_margins`: margin per account of a run (non-negative margins; excess is signed). */
export interface AccountMarginsTable {
  run_id: string;
  account_id: string;
  desk: string;
  currency: string;
  initial_margin: number;
  maintenance_margin: number;
  /** Collateral value after haircuts. */
  collateral_value: number;
  /** collateral_value - initial_margin: positive excess, negative deficit. */
  excess: number;
  /** JSON attribution (worst scenario, drivers, change split), null if none. */
  attribution: string | null;
}

/** `collateral_holdings`: collateral per account and asset of a run. */
export interface CollateralHoldingsTable {
  run_id: string;
  account_id: string;
  asset: string;
  quantity: number;
  /** Price of one unit of the asset in the reporting currency. */
  price: number;
  /** Haircut as a decimal fraction in [0, 1]. */
  haircut: number;
  /** quantity * price * (1 - haircut). */
  value_after_haircut: number;
}

/** `backtests`: one backtest summary per run and backtest id. */
export interface BacktestsTable {
  run_id: string;
  backtest_id: string;
  /** JSON summary (coverage, exceptions, Kupiec/Christoffersen results, traffic-light zone...). */
  summary: string;
}

/** `backtest_series`: named numeric series of a backtest (dates in ms, margins, realised P&L...). */
export interface BacktestSeriesTable {
  run_id: string;
  backtest_id: string;
  name: string;
  length: number;
  /** `length` binary64 values, little-endian. */
  data: BlobColumn;
}

/** `schedules`: cron schedules of jobs. */
export interface SchedulesTable {
  id: string;
  /** Cron expression (5 or 6 fields, UTC). */
  cron: string;
  /** Job kind, e.g. 'stress' or 'recalibrate'. */
  job_kind: string;
  /** JSON payload passed to the job. */
  payload: string;
  /** 1 enabled, 0 disabled. */
  enabled: number;
  created_at: MillisColumn;
  updated_at: MillisColumn;
  last_fired_at: NullableMillisColumn;
}

/** `api_keys`: API keys, hashed (apiKeys.ts). The secret itself is never stored. */
export interface ApiKeysTable {
  /** Public key id (the part of the presented key before the dot). */
  id: string;
  /** desk | analyst | admin. */
  role: string;
  /** The desk a desk key is restricted to; null for other roles. */
  desk: string | null;
  label: string | null;
  /** 16 random bytes, unique per key. */
  salt: BlobColumn;
  /** scrypt(secret, salt) output. */
  secret_hash: BlobColumn;
  /** Key-derivation parameters, e.g. 'scrypt:N=16384,r=8,p=1,len=32'. */
  kdf: string;
  created_at: MillisColumn;
  revoked_at: NullableMillisColumn;
}

/** `audit_log`: append-only record of who did what (promotions, rollbacks, keys...). */
export interface AuditLogTable {
  /** Insertion order (autoincrement / identity). */
  seq: ColumnType<number | string, never, never>;
  at: MillisColumn;
  actor: string;
  /** promote | rollback | interrupt | key-create | key-revoke | ... */
  action: string;
  /** Object acted on (run id, key id...). */
  target: string | null;
  reason: string | null;
  /** JSON details (gates, previous active run...), null if none. */
  details: string | null;
}

/** `run_margin_models`: the margin model of a run (JSON: model parameters and per-instrument metadata). */
export interface RunMarginModelsTable {
  run_id: string;
  definition: string;
}

/** `run_reports`: the rendered report of a run. */
export interface RunReportsTable {
  run_id: string;
  /** The report model as deterministic JSON. */
  json: string;
  /** The self-contained HTML report. */
  html: string;
  /** Hex SHA-256 of `json`. */
  sha256: string;
}

/** `batches`: stress batches (migration 0003): the margin of every account of a portfolio file under one run. */
export interface BatchesTable {
  id: string;
  /** The schedule that fired it, null for a batch started by hand. */
  schedule_id: string | null;
  /** The calibration (run) whose stored matrix and margin model the batch uses. */
  run_id: string;
  /** running | done | failed. */
  status: string;
  shard_count: number;
  shard_size: number;
  account_count: number;
  /** JSON: where the accounts come from (`{ "portfolios": "<absolute path>" }`) and counts of rejected accounts. */
  source: string;
  created_at: MillisColumn;
  finished_at: NullableMillisColumn;
  error: string | null;
}

/** `batch_shards`: one row per shard of a batch (accounts [index*shard_size, (index+1)*shard_size)). */
export interface BatchShardsTable {
  batch_id: string;
  shard_index: number;
  /** pending | running | done. */
  status: string;
  /** Times the shard was taken by a worker. */
  attempts: number;
  /** Id of the worker that last took (or completed) it. */
  worker: string | null;
  started_at: NullableMillisColumn;
  finished_at: NullableMillisColumn;
}

/** `batch_results`: one row per account of a batch (USD; margins >= 0; P&L positive = gain). */
export interface BatchResultsTable {
  batch_id: string;
  account_id: string;
  shard_index: number;
  desk: string;
  /** Null for a failed account. */
  initial_margin: number | null;
  maintenance_margin: number | null;
  /** Collateral after haircuts, USD, null when unknown. */
  collateral_value: number | null;
  worst_scenario_id: string | null;
  worst_pnl: number | null;
  /** Why the account could not be margined (e.g. an instrument that is not a row of the matrix), null if it was. */
  failure: string | null;
}

/** All tables, for `Kysely<StoreSchema>`. */
export interface StoreSchema {
  incidents: IncidentsTable;
  runs: RunsTable;
  active_calibration: ActiveCalibrationTable;
  run_surfaces: RunSurfacesTable;
  run_correlations: RunCorrelationsTable;
  scenario_sets: ScenarioSetsTable;
  scenario_set_arrays: ScenarioSetArraysTable;
  pnl_matrices: PnlMatricesTable;
  account_margins: AccountMarginsTable;
  collateral_holdings: CollateralHoldingsTable;
  backtests: BacktestsTable;
  backtest_series: BacktestSeriesTable;
  schedules: SchedulesTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  run_margin_models: RunMarginModelsTable;
  run_reports: RunReportsTable;
  batches: BatchesTable;
  batch_shards: BatchShardsTable;
  batch_results: BatchResultsTable;
}
