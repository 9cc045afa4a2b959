/**
 * Per-instrument risk vectors (the venue's `initial_risk_vectors`): the P&L of the position, in the settlement
 * currency, under each standard scenario and each extended scenario (the latter already multiplied by its
 * extended-table scaling, as the venue's per-instrument extended vectors are; the dampener and the pnl offset act
 * on the aggregated vectors). Full revaluation, r = 0:
 *
 * - inverse perpetual / future: q m / (1 + m) coin (a USD notional N = q F pays N/F - N/(F (1 + m))); reproduces
 *   the venue's published BTC-PERPETUAL and BTC-28JUN24 vectors;
 * - inverse option: q [P(F (1 + m), K, T, sigma') - P(F, K, T, sigma)] coin, P = Black76_undiscounted / F
 *   (`inversePriceKernel`), sigma' = applyVolShift(rule, sigma, T) with the scenario's rule (vol from the mark);
 * - linear perpetual / future: q F m; linear option: q [B(F (1 + m), K, T, sigma') - B(F, K, T, sigma)] with B
 *   the undiscounted Black-76 price (settlement currency taken as USD).
 *
 * The standard order is the grid's (see grid.ts). The option revaluation formula (spot-sticky shift of the
 * forward, the mark's implied vol shocked by the term-scaled rule) is the industry pattern margin-methods.md §1
 * describes: the venue does not publish its option revaluation ❓.
 */
import { applyVolShift, type VolShiftRule } from '../../../scenarios/index.ts';
import { black76PriceKernel, inversePriceKernel } from '../../../pricing/index.ts';
import type { PairGrid } from './grid.ts';
import type { PmLeg } from './legs.ts';

/** Standard and extended vectors of one position, settlement currency. */
export interface LegVectors {
  readonly standard: Float64Array;
  readonly extended: Float64Array;
}

/** P&L per unit of `leg` (settlement currency) for a move `m` with vol rule `rule`. */
export function pnlPerUnit(leg: PmLeg, m: number, rule: VolShiftRule): number {
  if (leg.kind !== 'option') return leg.inverse ? m / (1 + m) : leg.forward * m;
  const theta = leg.type === 'call' ? 1 : -1;
  const shocked = applyVolShift(rule, leg.vol, leg.expiry);
  const F1 = leg.forward * (1 + m);
  if (leg.inverse) {
    return inversePriceKernel(F1, leg.strike, leg.expiry, shocked, theta) - inversePriceKernel(leg.forward, leg.strike, leg.expiry, leg.vol, theta);
  }
  return black76PriceKernel(F1, leg.strike, leg.expiry, 0, shocked, theta) - black76PriceKernel(leg.forward, leg.strike, leg.expiry, 0, leg.vol, theta);
}

/** The position's standard and (scaled) extended vectors on `grid`. */
export function legVectors(leg: PmLeg, grid: PairGrid): LegVectors {
  const q = leg.quantity;
  const standard = new Float64Array(grid.standardMoves.length);
  for (let j = 0; j < standard.length; j++) {
    const m = grid.standardMoves[j] as number;
    standard[j] = leg.kind !== 'option' && leg.inverse ? (q * m) / (1 + m) : q * pnlPerUnit(leg, m, grid.standardRules[j] as VolShiftRule);
  }
  const extended = new Float64Array(grid.extendedMoves.length);
  for (let i = 0; i < extended.length; i++) {
    const m = grid.extendedMoves[i] as number;
    const pnl = leg.kind !== 'option' && leg.inverse ? (q * m) / (1 + m) : q * pnlPerUnit(leg, m, grid.extendedRules[i] as VolShiftRule);
    extended[i] = pnl * (grid.extendedWeights[i] as number);
  }
  return { standard, extended };
}
