/** Fitted volatility surfaces of a run, one per underlying, as JSON parameters. */
import { decodeJson, encodeJson, requireId } from './codec.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';

/** A surface to store. */
export interface SurfaceInput {
  readonly underlying: string;
  /** Model identifier, e.g. 'svi' or 'essvi'. */
  readonly model: string;
  /** JSON-able parameters (per-expiry SVI params, SSVI params, fit diagnostics). */
  readonly parameters: unknown;
}

/** A stored surface. */
export interface SurfaceRecord extends SurfaceInput {
  readonly runId: string;
}

/** Stores the surfaces of a running run, in one transaction. */
export async function putSurfaces(store: Store, runId: string, surfaces: readonly SurfaceInput[]): Promise<void> {
  const rows = surfaces.map((s, i) => ({
    run_id: runId,
    underlying: requireId(s.underlying, `surfaces[${i}].underlying`),
    model: requireId(s.model, `surfaces[${i}].model`),
    parameters: encodeJson(s.parameters, `surfaces[${i}].parameters`),
  }));
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    for (const row of rows) await tx.insertInto('run_surfaces').values(row).execute();
  });
}

/** The surface of `underlying` in run `runId`, or null. */
export async function getSurface(store: Store, runId: string, underlying: string): Promise<SurfaceRecord | null> {
  const r = await store.db.selectFrom('run_surfaces').selectAll().where('run_id', '=', runId).where('underlying', '=', underlying).executeTakeFirst();
  return r === undefined ? null : Object.freeze({ runId: r.run_id, underlying: r.underlying, model: r.model, parameters: decodeJson(r.parameters) });
}

/** The surfaces of run `runId`, by underlying. */
export async function listSurfaces(store: Store, runId: string): Promise<SurfaceRecord[]> {
  const rows = await store.db.selectFrom('run_surfaces').selectAll().where('run_id', '=', runId).orderBy('underlying').execute();
  return rows.map((r) => Object.freeze({ runId: r.run_id, underlying: r.underlying, model: r.model, parameters: decodeJson(r.parameters) }));
}
