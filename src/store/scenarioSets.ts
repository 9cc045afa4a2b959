/**
 * Scenario sets of a run: a JSON definition (scenario ids, labels, model version, parameters) plus named
 * Float64Array payloads (shock matrices, weights...) with their shapes.
 */
import { decodeFloat64, decodeJson, encodeFloat64, encodeJson, requireId, requireInteger } from './codec.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';
import { checkedArrays } from './arrays.ts';
import type { NamedArray } from './arrays.ts';

/** A scenario set to store. */
export interface ScenarioSetInput {
  readonly setId: string;
  /** grid | span | historical | filtered-historical | hypothetical | incident-replay | ... */
  readonly kind: string;
  readonly scenarioCount: number;
  /** JSON-able definition. */
  readonly definition: unknown;
  /** Named numeric payloads. */
  readonly arrays?: Readonly<Record<string, NamedArray>>;
}

/** A stored scenario set (arrays omitted by listScenarioSets). */
export interface ScenarioSetRecord {
  readonly runId: string;
  readonly setId: string;
  readonly kind: string;
  readonly scenarioCount: number;
  readonly definition: unknown;
  readonly arrays: Readonly<Record<string, NamedArray>>;
}

/** Stores a scenario set of a running run with its arrays, in one transaction. */
export async function putScenarioSet(store: Store, runId: string, input: ScenarioSetInput): Promise<void> {
  requireId(input.setId, 'setId');
  requireId(input.kind, 'kind');
  requireInteger(input.scenarioCount, 'scenarioCount', 0);
  const definition = encodeJson(input.definition, 'definition');
  const arrays = checkedArrays(input.arrays ?? {}, 'arrays');
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx
      .insertInto('scenario_sets')
      .values({ run_id: runId, set_id: input.setId, kind: input.kind, scenario_count: input.scenarioCount, definition })
      .execute();
    for (const [name, a] of arrays) {
      await tx
        .insertInto('scenario_set_arrays')
        .values({ run_id: runId, set_id: input.setId, name, rows: a.rows, cols: a.cols, data: encodeFloat64(a.data) })
        .execute();
    }
  });
}

/** The scenario set `setId` of run `runId` with its arrays, or null. */
export async function getScenarioSet(store: Store, runId: string, setId: string): Promise<ScenarioSetRecord | null> {
  const r = await store.db.selectFrom('scenario_sets').selectAll().where('run_id', '=', runId).where('set_id', '=', setId).executeTakeFirst();
  if (r === undefined) return null;
  const rows = await store.db
    .selectFrom('scenario_set_arrays')
    .selectAll()
    .where('run_id', '=', runId)
    .where('set_id', '=', setId)
    .orderBy('name')
    .execute();
  const arrays: Record<string, NamedArray> = {};
  for (const a of rows) {
    arrays[a.name] = Object.freeze({ rows: a.rows, cols: a.cols, data: decodeFloat64(a.data, `scenario_set_arrays.${a.name}`, a.rows * a.cols) });
  }
  return Object.freeze({
    runId: r.run_id,
    setId: r.set_id,
    kind: r.kind,
    scenarioCount: r.scenario_count,
    definition: decodeJson(r.definition),
    arrays: Object.freeze(arrays),
  });
}

/** The scenario sets of run `runId` by set id, without their arrays (`arrays` is empty). */
export async function listScenarioSets(store: Store, runId: string): Promise<ScenarioSetRecord[]> {
  const rows = await store.db.selectFrom('scenario_sets').selectAll().where('run_id', '=', runId).orderBy('set_id').execute();
  return rows.map((r) =>
    Object.freeze({
      runId: r.run_id,
      setId: r.set_id,
      kind: r.kind,
      scenarioCount: r.scenario_count,
      definition: decodeJson(r.definition),
      arrays: Object.freeze({}),
    }),
  );
}
