/**
 * Instrument x scenario revaluation on the calling thread (pure): every instrument of the table priced once per
 * scenario (DESIGN.md §5), P&L per unit quantity in USD and in the settlement asset, with a status per cell.
 */
import type { ScenarioSet } from '../../scenarios/index.ts';
import { RiskInputError } from '../portfolio/errors.ts';
import type { InstrumentTable } from '../portfolio/instrumentTable.ts';
import { buildRevaluationPlan, planSurfaces, plainArrays, type ArrayFactory, type RevaluationPlan } from './plan.ts';
import { priceRows, type InstrumentPnlBuffers } from './priceRows.ts';
import { CELL_STATUS_NAMES, type BaseMarket, type RevaluationOptions } from './types.ts';

/** One instrument that could not be priced in some cells. */
export interface InstrumentFailure {
  readonly row: number;
  readonly instrument: string;
  /** CELL_STATUS name of the first failed cell. */
  readonly status: string;
  /** Failed cells of the row. */
  readonly cells: number;
  readonly detail: string;
}

/** The instrument x scenario P&L matrices of a table (row i = table row i, column s = scenario s). */
export interface InstrumentPnl extends InstrumentPnlBuffers {
  readonly instrumentCount: number;
  readonly scenarioCount: number;
  /** Scenario ids, the column order. */
  readonly scenarioIds: readonly string[];
  /** Base value per unit quantity in USD (NaN for failed rows). */
  readonly baseValueUsd: Float64Array;
  /** Base value per unit quantity in the settlement asset (NaN for failed rows). */
  readonly baseValueSettlement: Float64Array;
  /** Cells whose status is not ok. */
  readonly failedCells: number;
  /** Rows with at least one failed cell. */
  readonly failures: readonly InstrumentFailure[];
  /** 1 where the row has a failed cell (for account flags). */
  readonly rowFailed: Uint8Array;
}

/** Allocates the output matrices of a plan. */
export function allocateInstrumentPnl(plan: RevaluationPlan, alloc: ArrayFactory = plainArrays): InstrumentPnlBuffers {
  const cells = plan.instrumentCount * plan.scenarioCount;
  return { pnlUsd: alloc(Float64Array, cells), pnlSettlement: alloc(Float64Array, cells), status: alloc(Uint8Array, cells) };
}

/** Assembles the result object of a priced plan (summaries of failures, base values). */
export function instrumentPnlResult(
  plan: RevaluationPlan, table: InstrumentTable, scenarios: ScenarioSet, buffers: InstrumentPnlBuffers,
): InstrumentPnl {
  const n = plan.instrumentCount;
  const S = plan.scenarioCount;
  const detailOf = new Map(plan.rowFailures.map((f) => [f.row, f.detail]));
  const failures: InstrumentFailure[] = [];
  const rowFailed = new Uint8Array(n);
  let failedCells = 0;
  for (let i = 0; i < n; i++) {
    let cells = 0;
    let first = -1;
    for (let s = 0; s < S; s++) {
      const st = buffers.status[i * S + s] as number;
      if (st !== 0) {
        cells++;
        if (first < 0) first = st;
      }
    }
    if (cells > 0) {
      failedCells += cells;
      rowFailed[i] = 1;
      failures.push(Object.freeze({
        row: i, instrument: table.names[i] as string, status: CELL_STATUS_NAMES[first] ?? String(first), cells,
        detail: detailOf.get(i) ?? `${cells} of ${S} scenario prices are not finite`,
      }));
    }
  }
  const baseValueSettlement = Float64Array.from(plan.arrays.value0);
  const baseValueUsd = new Float64Array(n);
  for (let i = 0; i < n; i++) baseValueUsd[i] = (plan.arrays.value0[i] as number) * (plan.arrays.settlementPrice0[i] as number);
  return Object.freeze({
    ...buffers,
    instrumentCount: n,
    scenarioCount: S,
    scenarioIds: Object.freeze(scenarios.scenarios.map((s) => s.id)),
    baseValueUsd,
    baseValueSettlement,
    failedCells,
    failures: Object.freeze(failures),
    rowFailed,
  });
}

/**
 * Prices every instrument of `table` once per scenario of `scenarios` on the calling thread. Throws RiskInputError
 * for malformed market input; per-row and per-cell failures are results (`failures`, `status`). `out` (optional)
 * receives the matrices instead of new arrays; each must hold instruments x scenarios elements.
 */
export function revalueInstruments(
  table: InstrumentTable, market: BaseMarket, scenarios: ScenarioSet, options: RevaluationOptions = {}, out?: InstrumentPnlBuffers,
): InstrumentPnl {
  const plan = buildRevaluationPlan(table, market, scenarios, options);
  const cells = plan.instrumentCount * plan.scenarioCount;
  if (out !== undefined) {
    for (const key of ['pnlUsd', 'pnlSettlement', 'status'] as const) {
      if (out[key].length !== cells) throw new RiskInputError(`out.${key}.length`, out[key].length, `expected instruments x scenarios = ${cells}`);
    }
  }
  const buffers = out ?? allocateInstrumentPnl(plan);
  priceRows(plan, planSurfaces(plan), 0, plan.instrumentCount, buffers);
  return instrumentPnlResult(plan, table, scenarios, buffers);
}
