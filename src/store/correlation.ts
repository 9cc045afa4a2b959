/** The correlation matrix of a run: asset order plus an n x n Float64Array blob (row-major, little-endian). */
import { decodeFloat64, decodeJson, encodeFloat64, encodeJson, requireId } from './codec.ts';
import { StoreDataError } from './errors.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';

/** A correlation matrix to store. */
export interface CorrelationInput {
  /** Asset names, the matrix's row and column order (distinct). */
  readonly assets: readonly string[];
  /** n*n values, row-major: entry (i, j) at i*n + j. */
  readonly matrix: Float64Array;
  /** JSON-able details (estimator, shrinkage, repair distance, window). */
  readonly details?: unknown;
}

/** A stored correlation matrix. */
export interface CorrelationRecord {
  readonly runId: string;
  readonly assets: readonly string[];
  readonly matrix: Float64Array;
  readonly details: unknown;
}

/** Stores the correlation matrix of a running run (one per run). */
export async function putCorrelation(store: Store, runId: string, input: CorrelationInput): Promise<void> {
  const n = input.assets.length;
  input.assets.forEach((a, i) => requireId(a, `assets[${i}]`));
  if (new Set(input.assets).size !== n) throw new StoreDataError('assets', input.assets.join(','), 'asset names must be distinct');
  if (!(input.matrix instanceof Float64Array)) throw new StoreDataError('matrix', input.matrix, 'must be a Float64Array');
  if (input.matrix.length !== n * n) throw new StoreDataError('matrix', input.matrix, `must hold ${n}x${n} = ${n * n} values, has ${input.matrix.length}`);
  const row = {
    run_id: runId,
    assets: encodeJson(input.assets, 'assets'),
    size: n,
    matrix: encodeFloat64(input.matrix),
    details: input.details === undefined ? null : encodeJson(input.details, 'details'),
  };
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx.insertInto('run_correlations').values(row).execute();
  });
}

/** The correlation matrix of run `runId`, or null. */
export async function getCorrelation(store: Store, runId: string): Promise<CorrelationRecord | null> {
  const r = await store.db.selectFrom('run_correlations').selectAll().where('run_id', '=', runId).executeTakeFirst();
  if (r === undefined) return null;
  return Object.freeze({
    runId: r.run_id,
    assets: Object.freeze(decodeJson<string[]>(r.assets) ?? []),
    matrix: decodeFloat64(r.matrix, 'run_correlations.matrix', r.size * r.size),
    details: decodeJson(r.details),
  });
}
