/**
 * Delta shock and roll shock of one underlying's legs, in the settlement currency (coin deltas x index / settlement
 * price; for an inverse book margined in its own coin that is the coin delta itself).
 *
 * Roll shock (margin-methods.md §1, reproduced on the venue's worked example ✅ ⚠️):
 *   sum over expiries of max(min_annualised_move, e^{annualised_move_risk T} - 1) x |net delta of the expiry|
 *   + min_annualised_move x |net delta of the perpetuals|,
 * with T in years ACT/365 to the expiry (the venue's day count here is not published) and the net delta of an
 * expiry summing its futures and options.
 *
 * Delta shock ⚠️ (formula not published; the structure of a third-party reimplementation, with the venue's m_inc):
 *   delta for shock D: linear legs and short options give D2, long options D1; D = clamp(D1 + D2, 0, D2) when
 *   D2 >= 0, clamp(D1 + D2, D2, 0) otherwise (long options may only reduce the shocked delta, never add to it);
 *   move s = min(max_delta_shock, m_inc x max(0, |D| - delta_total_liq_shock_threshold / index)) (m_inc per coin of
 *   delta beyond the USD threshold); delta shock = |D| x s (coin), x index / settlement price in the settlement
 *   currency. Zero for books below the threshold (the venue's example: 0).
 */
import { formatUtcDate } from '../../../market/index.ts';
import type { PmLeg } from './legs.ts';
import type { DeribitPmCurrencyParams, DeribitPmPairParams } from './params.ts';

/** One roll-shock term. */
export interface RollTerm {
  /** `perpetual` or the expiry date `YYYY-MM-DD`. */
  readonly expiry: string;
  /** Net coin delta of the expiry's legs. */
  readonly netDelta: number;
  /** max(min_annualised_move, e^{annualised_move_risk T} - 1) (min_annualised_move for perpetuals). */
  readonly move: number;
  /** Settlement currency. */
  readonly amount: number;
}

/** Delta-shock details. */
export interface DeltaShockDetail {
  /** Net coin delta of all legs. */
  readonly netDelta: number;
  /** The delta the shock applies to (D above). */
  readonly deltaForShock: number;
  /** The shock move s (fraction of the price). */
  readonly move: number;
  /** Settlement currency. */
  readonly amount: number;
}

/** Delta shock of one underlying's legs; see the module comment. */
export function deltaShock(legs: readonly PmLeg[], pair: DeribitPmPairParams, index: number, settlementPriceUsd: number): DeltaShockDetail {
  let longOptions = 0;
  let rest = 0;
  for (const leg of legs) {
    const d = leg.quantity * leg.deltaPerUnit;
    if (leg.kind === 'option' && leg.quantity > 0) longOptions += d;
    else rest += d;
  }
  const both = longOptions + rest;
  const D = rest >= 0 ? Math.min(Math.max(both, 0), rest) : Math.max(Math.min(both, 0), rest);
  const excess = Math.max(0, Math.abs(D) - pair.delta_total_liq_shock_threshold / index);
  const move = Math.min(pair.max_delta_shock, pair.m_inc * excess);
  return Object.freeze({ netDelta: both, deltaForShock: D, move, amount: (Math.abs(D) * move * index) / settlementPriceUsd });
}

/** Roll shock of one underlying's legs and its terms (perpetuals first, then expiries ascending). */
export function rollShock(
  legs: readonly PmLeg[], currency: DeribitPmCurrencyParams, index: number, settlementPriceUsd: number,
): { readonly amount: number; readonly terms: readonly RollTerm[] } {
  let perp = 0;
  let hasPerp = false;
  const byExpiry = new Map<number, { delta: number; T: number }>();
  for (const leg of legs) {
    const d = leg.quantity * leg.deltaPerUnit;
    if (leg.kind === 'perpetual') {
      perp += d;
      hasPerp = true;
      continue;
    }
    const key = leg.expiryMs as number;
    const e = byExpiry.get(key) ?? { delta: 0, T: leg.expiry };
    e.delta += d;
    byExpiry.set(key, e);
  }
  const toSettlement = index / settlementPriceUsd;
  const terms: RollTerm[] = [];
  if (hasPerp) {
    terms.push(Object.freeze({ expiry: 'perpetual', netDelta: perp, move: currency.min_annualised_move, amount: currency.min_annualised_move * Math.abs(perp) * toSettlement }));
  }
  for (const ms of [...byExpiry.keys()].sort((a, b) => a - b)) {
    const { delta, T } = byExpiry.get(ms) as { delta: number; T: number };
    const move = Math.max(currency.min_annualised_move, Math.expm1(currency.annualised_move_risk * T));
    terms.push(Object.freeze({ expiry: formatUtcDate(ms), netDelta: delta, move, amount: move * Math.abs(delta) * toSettlement }));
  }
  let amount = 0;
  for (const t of terms) amount += t.amount;
  return Object.freeze({ amount, terms: Object.freeze(terms) });
}
