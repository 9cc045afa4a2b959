/**
 * Liquidity and concentration add-ons of the FHS-ES margin, pure, USD. Exposure E_u = the account's net delta
 * exposure to underlying u in USD (signed; delta x price).
 *
 * - Liquidity (close-out cost, SPAN 2 / ICE IRM 2 "bid-ask" charge): sum_u |E_u| (half_spread_u + impact_u
 *   sqrt(|E_u| / ADV_u)) — half the spread plus square-root market impact.
 * - Concentration (ECC/EEX pattern, margin-methods.md §1.13): days to liquidate L_u = |E_u| / (share x ADV_u);
 *   effective liquidation period H_u = min(max_days, max(MPOR, L_u + offset_days)); the account's H = max_u H_u and
 *   the add-on = min(max_fraction_of_margin x M, M (sqrt(H / MPOR) - 1)) on the ES margin M at the MPOR (the
 *   square-root-of-time extension of the MPOR, capped as ECC caps the CM-level charge at 50 %).
 */
import { MarginInputError } from '../../measures/index.ts';
import type { FhsEsModel, LiquidityParams } from './fhsEsModel.ts';

/** Net exposure of one underlying, USD (signed). */
export interface Exposure {
  readonly underlying: string;
  readonly exposureUsd: number;
}

/** Net |exposure| per underlying (entries of one underlying summed with sign first). */
export function netExposures(exposures: readonly Exposure[] | undefined): Map<string, number> {
  const net = new Map<string, number>();
  (exposures ?? []).forEach((e, i) => {
    if (e === null || typeof e !== 'object' || typeof e.underlying !== 'string') throw new MarginInputError(`exposures[${i}].underlying`, e?.underlying, 'expected an underlying code');
    if (typeof e.exposureUsd !== 'number' || !Number.isFinite(e.exposureUsd)) throw new MarginInputError(`exposures[${i}].exposureUsd`, e.exposureUsd, 'expected a finite USD exposure');
    net.set(e.underlying, (net.get(e.underlying) ?? 0) + e.exposureUsd);
  });
  for (const [u, v] of net) net.set(u, Math.abs(v));
  return net;
}

function paramsOf(model: FhsEsModel, u: string): LiquidityParams {
  return model.liquidity.underlyings[u] ?? model.liquidity.default;
}

/** Liquidity add-on, USD; see the module comment. */
export function liquidityAddOn(model: FhsEsModel, exposures: Map<string, number>): number {
  let total = 0;
  for (const [u, e] of exposures) {
    const p = paramsOf(model, u);
    total += e * (p.half_spread + p.impact_coefficient * Math.sqrt(e / p.adv_usd));
  }
  return total;
}

/** Concentration add-on on the MPOR margin `margin`, with the effective liquidation period; see the module comment. */
export function concentrationAddOn(
  model: FhsEsModel, exposures: Map<string, number>, margin: number,
): { readonly addOnUsd: number; readonly horizonDays: number; readonly driver: string | null } {
  const mpor = model.mpor_days;
  const c = model.concentration;
  let horizon = mpor;
  let driver: string | null = null;
  for (const [u, e] of exposures) {
    const days = e / (c.market_capacity_share * paramsOf(model, u).adv_usd);
    const h = Math.min(c.max_days, Math.max(mpor, days + c.offset_days));
    if (h > horizon) {
      horizon = h;
      driver = u;
    }
  }
  const addOn = Math.min(c.max_fraction_of_margin * margin, margin * (Math.sqrt(horizon / mpor) - 1));
  return Object.freeze({ addOnUsd: addOn, horizonDays: horizon, driver });
}
