/**
 * From per-instrument vectors to the venue's aggregated vectors of one key `<underlying>_<settlement>` (`btc_btc`):
 *
 * 1. pre-aggregated = the scenario-by-scenario sum of the instruments' vectors (the venue's
 *    `pre_aggregated_risk_vectors`: "before applying the pnl_offset and extended_dampener" ✅ changelog);
 * 2. extended dampener ⚠️: each extended entry moves towards 0 by
 *    d(m) = (max(|m| / price_range, 1) - 1) x extended_dampener / (1 + sign(m) price_range) / settlementPriceUsd,
 *    never past 0 (|P&L| is the cap). The shape is margin-methods.md §1's (third-party reimplementation, which
 *    reproduces the venue's vectors); `extended_dampener` read as USD converted at the price at the edge of the
 *    standard range, as that reimplementation does; applied to gains and losses alike (the venue's 2026 ETH capture
 *    zeroes both);
 * 3. pnl offset ⚠️ (inferred from the venue's vectors: gains x 0 in the BTC example, x 0.6 in the ETH capture): a
 *    positive entry becomes min(pnl_offset x P&L, max_offsetable_pnl / settlementPriceUsd); losses are unchanged.
 *    `max_offsetable_pnl` read as USD per scenario (not verifiable from the published examples).
 */
import type { DeribitPmCurrencyParams } from './params.ts';
import type { LegVectors } from './vectors.ts';

/** Inputs of {@link aggregateKey}. */
export interface AggregationSettings {
  readonly extendedMoves: ArrayLike<number>;
  readonly priceRange: number;
  readonly currency: DeribitPmCurrencyParams;
  /** USD per unit of the settlement currency (the index for a coin, 1 for USDC/USDT). */
  readonly settlementPriceUsd: number;
}

/** Sum of vectors, scenario by scenario. */
export function sumVectors(parts: readonly LegVectors[], standardLength: number, extendedLength: number): LegVectors {
  const standard = new Float64Array(standardLength);
  const extended = new Float64Array(extendedLength);
  for (const p of parts) {
    for (let j = 0; j < standardLength; j++) standard[j] = (standard[j] as number) + (p.standard[j] as number);
    for (let i = 0; i < extendedLength; i++) extended[i] = (extended[i] as number) + (p.extended[i] as number);
  }
  return { standard, extended };
}

/** Dampener amount (settlement currency) of extended move `m`; see the module comment. */
export function dampenerAmount(m: number, s: AggregationSettings): number {
  const ratio = Math.max(Math.abs(m) / s.priceRange, 1);
  return ((ratio - 1) * s.currency.extended_dampener) / (1 + Math.sign(m) * s.priceRange) / s.settlementPriceUsd;
}

function offset(x: number, s: AggregationSettings): number {
  if (!(x > 0)) return x;
  return Math.min(x * s.currency.pnl_offset, s.currency.max_offsetable_pnl / s.settlementPriceUsd);
}

/** Aggregated vectors of one key from its pre-aggregated vectors; see the module comment. */
export function aggregateKey(pre: LegVectors, s: AggregationSettings): LegVectors {
  const standard = Float64Array.from(pre.standard, (x) => offset(x, s));
  const extended = new Float64Array(pre.extended.length);
  for (let i = 0; i < extended.length; i++) {
    const x = pre.extended[i] as number;
    const d = dampenerAmount(s.extendedMoves[i] as number, s);
    const damped = x > 0 ? Math.max(x - d, 0) : x < 0 ? Math.min(x + d, 0) : 0;
    extended[i] = offset(damped, s);
  }
  return { standard, extended };
}
