/**
 * What "nothing stored changed" means in the fault tests: every row of every run-related table (runs, the active
 * pointer, incidents, surfaces, correlations, scenario sets and their arrays, P&L matrices, account margins,
 * collateral, backtests and their series, margin models, reports) and the audit log, byte for byte (blobs by their
 * SHA-256), leaving out the rows of the runs a test expects to change (the faulted run, a run made afterwards) and
 * audit entries about them.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { getActivePointer, listRuns, type Store } from '../../../src/store/index.ts';

/** Tables holding rows of a run, with the column naming the run. */
const RUN_TABLES: readonly (readonly [string, string])[] = [
  ['runs', 'id'],
  ['run_surfaces', 'run_id'],
  ['run_correlations', 'run_id'],
  ['scenario_sets', 'run_id'],
  ['scenario_set_arrays', 'run_id'],
  ['pnl_matrices', 'run_id'],
  ['account_margins', 'run_id'],
  ['collateral_holdings', 'run_id'],
  ['backtests', 'run_id'],
  ['backtest_series', 'run_id'],
  ['run_margin_models', 'run_id'],
  ['run_reports', 'run_id'],
];

function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return `sha256:${createHash('sha256').update(value).digest('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

async function tableRows(store: Store, table: string): Promise<Record<string, unknown>[]> {
  const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
  return result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, canonical(v)])));
}

/** Per table, the sorted canonical JSON of its rows, without those of `exclude` runs; and the active pointer. */
export async function storedState(store: Store, exclude: readonly string[] = []): Promise<Record<string, unknown>> {
  const skip = new Set(exclude);
  const state: Record<string, unknown> = {};
  for (const [table, column] of RUN_TABLES) {
    const rows = (await tableRows(store, table)).filter((r) => !skip.has(String(r[column])));
    state[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  state['incidents'] = (await tableRows(store, 'incidents')).map((r) => JSON.stringify(r)).sort();
  state['active_calibration'] = await getActivePointer(store);
  state['audit_log'] = (await tableRows(store, 'audit_log'))
    .filter((r) => !skip.has(String(r['target'])))
    .map((r) => JSON.stringify(r))
    .sort();
  return state;
}

/** A short digest of storedState (for messages and the report). */
export function digestOf(state: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 16);
}

/** The ids of the runs in `statuses`. */
export async function runIdsWith(store: Store, statuses: readonly string[]): Promise<string[]> {
  return (await listRuns(store, { limit: 1000 })).filter((r) => statuses.includes(r.status)).map((r) => r.id);
}
