/**
 * The venue grid of one currency pair, taken from the scenario layer (`venueGridScenarios`) so the portfolio margin
 * and any other revaluation of the venue grid use the same moves, vol rules and extended weights: standard scenario
 * j = 3 (k + B) + v for bucket k = -B..B (move price_range k / B) and v = vol up, unchanged, down; extended scenario i
 * = move `extended_moves[i]`, vol up, weight `extendedScaling` = extended_table_factor (price_range / |m|)
 * (1 + m) / (1 + sign(m) price_range).
 */
import {
  validateDeribitGridModel, expectValid, venueGridScenarios, type DeribitGridModel, type VolShiftRule,
} from '../../../scenarios/index.ts';
import type { DeribitPmParams } from './params.ts';

/** Moves, vol rules and extended weights of one pair's grid. */
export interface PairGrid {
  /** Pair key of the params, e.g. `btc_usd`. */
  readonly pairKey: string;
  /** Standard moves (simple returns), length 3 (2B + 1). */
  readonly standardMoves: Float64Array;
  readonly standardRules: readonly VolShiftRule[];
  /** Extended moves, their (vol up) rules and P&L scaling weights. */
  readonly extendedMoves: Float64Array;
  readonly extendedRules: readonly VolShiftRule[];
  readonly extendedWeights: Float64Array;
}

/** The scenario-layer grid model equivalent to the pair's margin parameters. */
export function gridModelOf(params: DeribitPmParams, pairKey: string): DeribitGridModel {
  const p = params.currency_pair[pairKey];
  if (p === undefined) throw new Error(`no currency pair '${pairKey}'`);
  return expectValid(validateDeribitGridModel({
    model: 'scenarios/deribit-grid',
    version: params.version === '' ? '0.0.0' : params.version,
    description: `grid of margin/deribit-pm ${pairKey}`,
    general: { buckets_count: params.general.buckets_count, vol_scenarios_count: 3 },
    currency_pairs: {
      [pairKey]: {
        price_range: p.price_range,
        volatility_range_up: p.volatility_range_up,
        volatility_range_down: p.volatility_range_down,
        short_term_vega_power: p.short_term_vega_power,
        long_term_vega_power: p.long_term_vega_power,
        min_volatility_for_shock_up: p.min_volatility_for_shock_up,
        extended_table_factor: p.extended_table_factor,
      },
    },
    extended_moves: [...params.extended_moves],
    vega_reference_days: params.vega_reference_days,
    vega_dte_floor_days: params.vega_dte_floor_days,
  }), 'scenarios/deribit-grid (from margin/deribit-pm)');
}

/** The grid of `underlying` priced with the pair `pairKey` of `params`. */
export function pairGrid(params: DeribitPmParams, pairKey: string, underlying: string): PairGrid {
  const set = venueGridScenarios(gridModelOf(params, pairKey), { underlyings: [underlying], pairs: { [underlying]: pairKey } });
  const nStd = (2 * params.general.buckets_count + 1) * 3;
  const std = set.scenarios.slice(0, nStd);
  const ext = set.scenarios.slice(nStd);
  return Object.freeze({
    pairKey,
    standardMoves: Float64Array.from(std, (s) => s.spotReturns[0] as number),
    standardRules: Object.freeze(std.map((s) => s.volShifts[0] as VolShiftRule)),
    extendedMoves: Float64Array.from(ext, (s) => s.spotReturns[0] as number),
    extendedRules: Object.freeze(ext.map((s) => s.volShifts[0] as VolShiftRule)),
    extendedWeights: Float64Array.from(ext, (s) => s.weight as number),
  });
}
