/**
 * The margin of one portfolio under a run's margin model (pure, USD), from the run's instrument x scenario P&L
 * matrix (row i = instrument of `model.instruments`, column j = scenario, P&L per unit, USD):
 *
 *   pnl_j  = sum_i q_i M[i, j]                           the portfolio's scenario P&L (a sparse product)
 *   FHS    = fhsEsMarginOfModel(pnl, model.fhsEs, ...) ES at the MPOR + APC + liquidity + concentration
 *   AddOn  = sum_u rate x base_u                         incident residual-risk add-on; base_u = the FHS ES at the
 *                                                        MPOR of the sub-book of the affected underlying u
 *   IM     = FHS + AddOn,   MM = maintenanceFactor x IM
 *
 * Exposures for the add-ons are the portfolio's net USD delta per underlying (sum_i q_i deltaUsdPerUnit_i).
 * APC: a point-in-time margin has no previous margin, so a buffer APC applies in full (the rolling backtest is where
 * the buffer is released); the run's stored margins and a what-if of the same positions therefore agree exactly.
 */
import { RiskInputError } from '../../portfolio/errors.ts';
import { incidentResidualAddOn, type IncidentAddOnResult } from '../addOns/index.ts';
import { fhsEsMarginOfModel, mporExpectedShortfall, type FhsEsMarginResult } from '../fhsEs/index.ts';
import type { ScenarioMarginModel } from './definition.ts';

/** One position: instrument id (a row of the model) and signed quantity (units of the instrument). */
export interface ScenarioPosition {
  readonly instrument: string;
  readonly quantity: number;
}

/** The margin of one portfolio, USD. */
export interface ScenarioMarginResult {
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly fhsEs: FhsEsMarginResult;
  readonly incidentAddOnUsd: number;
  readonly incidentAddOn: IncidentAddOnResult | null;
  /** Net USD delta per underlying (sorted by underlying). */
  readonly exposures: readonly { readonly underlying: string; readonly exposureUsd: number }[];
}

/**
 * Rows and quantities of `positions` (same instrument twice is summed). Throws RiskInputError naming
 * `positions[i].instrument` for an instrument that is not a row of the run, and `positions[i].quantity` for a
 * non-finite quantity.
 */
export function positionRows(model: ScenarioMarginModel, positions: readonly ScenarioPosition[]): { rows: Int32Array; quantities: Float64Array } {
  const byRow = new Map<number, number>();
  positions.forEach((p, i) => {
    const row = model.rowOf.get(p?.instrument);
    if (row === undefined) throw new RiskInputError(`positions[${i}].instrument`, p?.instrument, 'is not an instrument of the calibration\'s scenario matrix');
    if (typeof p.quantity !== 'number' || !Number.isFinite(p.quantity)) throw new RiskInputError(`positions[${i}].quantity`, p.quantity, 'must be a finite number');
    byRow.set(row, (byRow.get(row) ?? 0) + p.quantity);
  });
  const rows = Int32Array.from([...byRow.keys()].sort((a, b) => a - b));
  const quantities = Float64Array.from(rows, (r) => byRow.get(r) as number);
  return { rows, quantities };
}

/**
 * pnl_j = sum_k quantities[k] M[rows[k], j] for j < cols, into `out` (allocated if absent). Rows are summed in the
 * given order; `underlying` >= 0 restricts the sum to rows of that underlying index.
 */
export function portfolioScenarioPnl(
  model: ScenarioMarginModel, matrix: Float64Array, cols: number, rows: Int32Array, quantities: Float64Array,
  out: Float64Array = new Float64Array(cols), underlying = -1,
): Float64Array {
  out.fill(0, 0, cols);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as number;
    if (underlying >= 0 && model.underlyingIndex[r] !== underlying) continue;
    const q = quantities[k] as number;
    if (q === 0) continue;
    const base = r * cols;
    for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + q * (matrix[base + j] as number);
  }
  return out;
}

/** The margin of the portfolio given by rows/quantities (see the module comment). */
export function scenarioMarginOfRows(
  model: ScenarioMarginModel, matrix: Float64Array, cols: number, rows: Int32Array, quantities: Float64Array,
  scratch: Float64Array = new Float64Array(cols),
): ScenarioMarginResult {
  checkMatrix(model, matrix, cols);
  if (scratch.length < cols) throw new RiskInputError('scratch', scratch, `must hold at least ${cols} values`);
  // a longer scratch (shared across matrices of different widths) is used through a view of exactly `cols` values
  const buffer = scratch.length === cols ? scratch : scratch.subarray(0, cols);
  const pnl = portfolioScenarioPnl(model, matrix, cols, rows, quantities, buffer);
  return scenarioMarginOfPnl(model, matrix, cols, rows, quantities, pnl, buffer);
}

/**
 * The margin when the book's P&L vector `pnl` (length `cols`, = portfolioScenarioPnl of rows/quantities) is already
 * known, e.g. because the caller also reports the worst scenarios: saves one pass over the matrix. `pnl` is read
 * before `subScratch` is written (the incident add-on's per-underlying sub-books), so they may be the same buffer;
 * by default a separate one is allocated and `pnl` is left intact.
 */
export function scenarioMarginOfPnl(
  model: ScenarioMarginModel, matrix: Float64Array, cols: number, rows: Int32Array, quantities: Float64Array,
  pnl: Float64Array, subScratch?: Float64Array,
): ScenarioMarginResult {
  checkMatrix(model, matrix, cols);
  if (pnl.length !== cols) throw new RiskInputError('pnl', pnl, `must hold exactly ${cols} values`);
  const delta = new Float64Array(model.underlyings.length);
  for (let k = 0; k < rows.length; k++) {
    const u = model.underlyingIndex[rows[k] as number] as number;
    if (u >= 0) delta[u] = (delta[u] as number) + (quantities[k] as number) * (model.deltaUsdPerUnit[rows[k] as number] as number);
  }
  const exposures = model.underlyings.map((underlying, u) => Object.freeze({ underlying, exposureUsd: delta[u] as number }))
    .filter((e) => e.exposureUsd !== 0);
  const fhs = fhsEsMarginOfModel({ pnl, exposures }, model.fhsEs); // validated once, by compileScenarioMargin
  let addOn: IncidentAddOnResult | null = null;
  if (model.incident !== null) {
    const bases = [];
    let sub: Float64Array | null = null;
    for (const u of model.incident.incident.affected.underlyings) {
      const ui = model.underlyings.indexOf(u);
      if (ui < 0 || !rowsTouch(model, rows, ui)) continue;
      sub ??= subScratch !== undefined && subScratch.length >= cols ? subScratch.subarray(0, cols) : new Float64Array(cols);
      portfolioScenarioPnl(model, matrix, cols, rows, quantities, sub, ui);
      bases.push({ underlying: u, amountUsd: mporExpectedShortfall(sub, model.fhsEs).es });
    }
    addOn = incidentResidualAddOn({ incident: model.incident.incident, policy: model.incident.policy, asOfMs: model.incident.asOfMs, bases });
  }
  const incidentAddOnUsd = addOn === null ? 0 : addOn.addOnUsd;
  const initialMarginUsd = fhs.marginUsd + incidentAddOnUsd;
  return Object.freeze({
    initialMarginUsd,
    maintenanceMarginUsd: model.maintenanceFactor * initialMarginUsd,
    fhsEs: fhs,
    incidentAddOnUsd,
    incidentAddOn: addOn,
    exposures: Object.freeze(exposures),
  });
}

function checkMatrix(model: ScenarioMarginModel, matrix: Float64Array, cols: number): void {
  if (matrix.length !== model.instruments.length * cols) {
    throw new RiskInputError('matrix', matrix, `must hold ${model.instruments.length} x ${cols} values`);
  }
}

function rowsTouch(model: ScenarioMarginModel, rows: Int32Array, u: number): boolean {
  for (let k = 0; k < rows.length; k++) if (model.underlyingIndex[rows[k] as number] === u) return true;
  return false;
}

/** The margin of `positions` under the run's model and matrix (see the module comment). */
export function scenarioMargin(
  model: ScenarioMarginModel, matrix: Float64Array, cols: number, positions: readonly ScenarioPosition[],
): ScenarioMarginResult {
  const { rows, quantities } = positionRows(model, positions);
  return scenarioMarginOfRows(model, matrix, cols, rows, quantities);
}
