/**
 * What a run needs to be served without recomputation (migration 0002): its margin model (JSON: the parameters and
 * per-instrument metadata that turn a P&L vector over the run's scenarios into a margin) and its rendered report.
 * Both are written while the run is `running`, once each, and read by any later process (CLI, API).
 */
import { createHash } from 'node:crypto';
import { decodeJson, encodeJson } from './codec.ts';
import { StoreDataError } from './errors.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';

/** Stores the margin model of a running run (one per run); `definition` must be JSON-able (no NaN or Infinity). */
export async function putRunMarginModel(store: Store, runId: string, definition: unknown): Promise<void> {
  const row = { run_id: runId, definition: encodeJson(definition, 'definition') };
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx.insertInto('run_margin_models').values(row).execute();
  });
}

/** The margin model of run `runId` as stored (parsed JSON), or null. */
export async function getRunMarginModel(store: Store, runId: string): Promise<unknown> {
  const r = await store.db.selectFrom('run_margin_models').select('definition').where('run_id', '=', runId).executeTakeFirst();
  return r === undefined ? null : decodeJson(r.definition);
}

/** A rendered report: the report model as JSON text and the self-contained HTML. */
export interface RunReportInput {
  readonly json: string;
  readonly html: string;
}

/** A stored report with the SHA-256 (hex) of its JSON. */
export interface RunReportRecord extends RunReportInput {
  readonly runId: string;
  readonly sha256: string;
}

/** Stores the report of a running run (one per run). */
export async function putRunReport(store: Store, runId: string, input: RunReportInput): Promise<void> {
  if (typeof input.json !== 'string' || input.json.length === 0) throw new StoreDataError('json', input.json, 'must be a non-empty string');
  if (typeof input.html !== 'string' || input.html.length === 0) throw new StoreDataError('html', input.html, 'must be a non-empty string');
  const sha256 = createHash('sha256').update(input.json).digest('hex');
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx.insertInto('run_reports').values({ run_id: runId, json: input.json, html: input.html, sha256 }).execute();
  });
}

/** The report of run `runId`, or null. */
export async function getRunReport(store: Store, runId: string): Promise<RunReportRecord | null> {
  const r = await store.db.selectFrom('run_reports').selectAll().where('run_id', '=', runId).executeTakeFirst();
  return r === undefined ? null : Object.freeze({ runId: r.run_id, json: r.json, html: r.html, sha256: r.sha256 });
}
