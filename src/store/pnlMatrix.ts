/**
 * The instrument x scenario P&L matrix of a run (DESIGN.md §5 revaluation): row i = instrument, column j =
 * scenario, value at i*cols + j, P&L per unit of the instrument in `currency`, positive for a gain to the holder.
 */
import { decodeFloat64, decodeJson, encodeFloat64, encodeJson, requireId } from './codec.ts';
import { StoreDataError } from './errors.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';

/** A P&L matrix to store. */
export interface PnlMatrixInput {
  readonly instrumentIds: readonly string[];
  readonly scenarioIds: readonly string[];
  /** e.g. 'USD'. */
  readonly currency: string;
  /** instrumentIds.length * scenarioIds.length values, row-major. */
  readonly data: Float64Array;
}

/** A stored P&L matrix. */
export interface PnlMatrixRecord extends PnlMatrixInput {
  readonly runId: string;
}

function checkIds(ids: readonly string[], field: string): void {
  ids.forEach((id, i) => requireId(id, `${field}[${i}]`));
  if (new Set(ids).size !== ids.length) throw new StoreDataError(field, ids.length, 'ids must be distinct');
}

/** Stores the P&L matrix of a running run (one per run). The blob is rows*cols*8 bytes. */
export async function putPnlMatrix(store: Store, runId: string, input: PnlMatrixInput): Promise<void> {
  checkIds(input.instrumentIds, 'instrumentIds');
  checkIds(input.scenarioIds, 'scenarioIds');
  requireId(input.currency, 'currency');
  const rows = input.instrumentIds.length;
  const cols = input.scenarioIds.length;
  if (!(input.data instanceof Float64Array)) throw new StoreDataError('data', input.data, 'must be a Float64Array');
  if (input.data.length !== rows * cols) throw new StoreDataError('data', input.data, `must hold ${rows}x${cols} = ${rows * cols} values, has ${input.data.length}`);
  const row = {
    run_id: runId,
    instrument_ids: encodeJson(input.instrumentIds, 'instrumentIds'),
    scenario_ids: encodeJson(input.scenarioIds, 'scenarioIds'),
    rows,
    cols,
    currency: input.currency,
    data: encodeFloat64(input.data),
  };
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx.insertInto('pnl_matrices').values(row).execute();
  });
}

/** The P&L matrix of run `runId`, or null. */
export async function getPnlMatrix(store: Store, runId: string): Promise<PnlMatrixRecord | null> {
  const r = await store.db.selectFrom('pnl_matrices').selectAll().where('run_id', '=', runId).executeTakeFirst();
  if (r === undefined) return null;
  return Object.freeze({
    runId: r.run_id,
    instrumentIds: Object.freeze(decodeJson<string[]>(r.instrument_ids) ?? []),
    scenarioIds: Object.freeze(decodeJson<string[]>(r.scenario_ids) ?? []),
    currency: r.currency,
    data: decodeFloat64(r.data, 'pnl_matrices.data', r.rows * r.cols),
  });
}
