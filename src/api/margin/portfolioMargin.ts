/**
 * The margin of a posted portfolio under a snapshot's margin engine (what-if and stress tests): the run's own
 * scenarioMargin on its stored instrument x scenario matrix, so a portfolio equal to an account's stored book gets
 * exactly the account's stored margin. USD; P&L positive for a gain; margins >= 0. Throws RiskInputError naming
 * `positions[i].instrument` (not a row of the matrix) or `positions[i].quantity`.
 */
import { portfolioScenarioPnl, positionRows, scenarioMarginOfPnl } from '../../risk/index.ts';
import type { ScenarioPosition } from '../../risk/index.ts';
import type { MarginComponentsUsd } from '../calibration/attribution.ts';
import type { MarginEngine } from '../calibration/snapshot.ts';

/** One scenario's P&L for the portfolio, USD (negative = loss). */
export interface ScenarioPnl {
  readonly id: string;
  readonly pnlUsd: number;
}

/** The margin of one portfolio, USD. */
export interface PortfolioMargin {
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly components: MarginComponentsUsd;
  /** Net USD delta per underlying (non-zero ones). */
  readonly exposures: readonly { readonly underlying: string; readonly exposureUsd: number }[];
  /** The `worst` scenarios with the lowest P&L, worst first (ties by scenario order). */
  readonly worstScenarios: readonly ScenarioPnl[];
}

/** Indices of the `k` smallest values of `pnl`, smallest first (ties by index). O(n k) for the small k used here. */
export function worstIndices(pnl: Float64Array, k: number): number[] {
  const out: number[] = [];
  if (k <= 0) return out;
  for (let j = 0; j < pnl.length; j++) {
    const v = pnl[j] as number;
    if (out.length === k && v >= (pnl[out[k - 1] as number] as number)) continue;
    let at = out.length;
    while (at > 0 && v < (pnl[out[at - 1] as number] as number)) at--;
    out.splice(at, 0, j);
    if (out.length > k) out.pop();
  }
  return out;
}

/** The margin and worst scenarios of `positions` (see the module comment). */
export function portfolioMargin(engine: MarginEngine, positions: readonly ScenarioPosition[], worst: number): PortfolioMargin {
  const { rows, quantities } = positionRows(engine.model, positions);
  const pnl = portfolioScenarioPnl(engine.model, engine.matrix, engine.cols, rows, quantities);
  const worstScenarios = worstIndices(pnl, worst).map((j) => Object.freeze({ id: engine.scenarioIds[j] as string, pnlUsd: pnl[j] as number }));
  // the book's vector is already computed for the worst scenarios: the margin reuses it (one pass fewer)
  const m = scenarioMarginOfPnl(engine.model, engine.matrix, engine.cols, rows, quantities, pnl);
  return Object.freeze({
    initialMarginUsd: m.initialMarginUsd,
    maintenanceMarginUsd: m.maintenanceMarginUsd,
    components: Object.freeze({
      esMporUsd: m.fhsEs.esMporUsd,
      apcMarginUsd: m.fhsEs.apc.marginUsd,
      liquidityAddOnUsd: m.fhsEs.liquidityAddOnUsd,
      concentrationAddOnUsd: m.fhsEs.concentrationAddOnUsd,
      incidentAddOnUsd: m.incidentAddOnUsd,
    }),
    exposures: m.exposures,
    worstScenarios: Object.freeze(worstScenarios),
  });
}
