/**
 * Venue-style scenario grid (Deribit portfolio margin, reference/margin-methods.md §1), deterministic.
 *
 * Order, as the venue's risk vectors (`initial_risk_vectors.standard[27]`, `.extended[8]`):
 * - standard: price buckets from `-price_range` up to `+price_range` in `2 * buckets_count + 1` even steps
 *   (bucket k = -B..B moves by `price_range * k / B`, 0 included; with B = 4 and 0.16: -16, -12, ..., +16 %), each
 *   with vol up, unchanged, down (in that order) = 27 scenarios. The price order is the venue's (checked on its
 *   published vectors for a perpetual: losses grow monotonically from the first to the last bucket for a long);
 *   the order of the three vol scenarios inside a bucket is not published and is this project's choice;
 * - extended: the `extended_moves` (-66 %, -33 %, +50 %, +100 %, +200 %, +300 %, +400 %, +500 %), vol up only.
 *   `weight` of an extended scenario is the venue's P&L scaling
 *   `extended_table_factor * (price_range / |m|) * (1 + m) / (1 + sign(m) * price_range)` (the dampener, which
 *   depends on the P&L, is the margin model's job). Standard scenarios have weight 1.
 *
 * Vol shocks (term-scaled rules, see `applyVolShift`): up `sigma + max(sigma, min_volatility_for_shock_up) *
 * volatility_range_up * (30 / max(DTE, floor))^p`, down `sigma - sigma * volatility_range_down * (30 / max(DTE,
 * floor))^p`, p = short_term_vega_power up to 30 days and long_term_vega_power beyond. The venue does not publish
 * this formula: it is the industry pattern (Derive, Paradex, Dederi) that margin-methods.md §1 describes, and
 * reading `min_volatility_for_shock_up` as a floor on the vol the up shock is computed from is an inference.
 *
 * With several underlyings every underlying moves by bucket k of its own pair's `price_range` (fully
 * co-moving, the convention of the public `stressGrid`); extended weights are set only when all pairs agree on
 * `price_range` and `extended_table_factor`, otherwise per-underlying weights are in `details.extendedWeights`.
 */
import { ScenarioInputError, expectValid } from '../errors.ts';
import type { DeribitGridModel, DeribitGridPairParams } from '../models/deribitGrid.ts';
import { validateDeribitGridModel } from '../models/deribitGrid.ts';
import { buildScenarioSet } from '../buildScenarioSet.ts';
import type { ScenarioDraft, ScenarioSet, VolShiftRule } from '../types.ts';
import { NO_VOL_SHIFT } from '../volShift.ts';

/** Options of {@link venueGridScenarios}. */
export interface VenueGridOptions {
  readonly underlyings: readonly string[];
  /** Currency-pair key per underlying; default `<underlying lower case>_usd` (`BTC` -> `btc_usd`). */
  readonly pairs?: Readonly<Record<string, string>>;
  /** Set id; default `venue-grid:<underlyings joined by +>`. */
  readonly id?: string;
}

/** The venue's extended-table P&L scaling for move `m`. */
export function extendedScaling(pair: DeribitGridPairParams, m: number): number {
  return pair.extended_table_factor * (pair.price_range / Math.abs(m)) * (1 + m) / (1 + Math.sign(m) * pair.price_range);
}

/** Vol-up and vol-down rules of one pair. */
export function venueVolRules(model: DeribitGridModel, pair: DeribitGridPairParams): { up: VolShiftRule; down: VolShiftRule } {
  const common = {
    power: pair.short_term_vega_power,
    longTermPower: pair.long_term_vega_power,
    referenceDays: model.vega_reference_days,
    floorDays: model.vega_dte_floor_days,
  };
  return {
    up: Object.freeze({ kind: 'term-scaled', shift: pair.volatility_range_up, ...common, minBaseVol: pair.min_volatility_for_shock_up }),
    down: Object.freeze({ kind: 'term-scaled', shift: -pair.volatility_range_down, ...common }),
  };
}

const pct = (x: number): string => `${x > 0 ? '+' : ''}${Number((x * 100).toFixed(6))}%`;

/** The 27 standard + extended venue scenarios for `options.underlyings`; see the module comment. */
export function venueGridScenarios(model: DeribitGridModel, options: VenueGridOptions): ScenarioSet {
  const m = expectValid(validateDeribitGridModel(model), 'scenarios/deribit-grid');
  const { underlyings } = options;
  if (!Array.isArray(underlyings) || underlyings.length === 0) throw new ScenarioInputError('underlyings', underlyings, 'expected at least one underlying');
  const pairs = underlyings.map((u, j) => {
    const key = options.pairs?.[u] ?? `${u.toLowerCase()}_usd`;
    const p = m.currency_pairs[key];
    if (p === undefined) throw new ScenarioInputError(`pairs.${u}`, key, `no currency pair '${key}' in scenarios/deribit-grid@${m.version} (underlying ${j})`);
    return { key, p, rules: venueVolRules(m, p) };
  });
  const B = m.general.buckets_count;
  const drafts: ScenarioDraft[] = [];
  const vols = [['up', 'vol up'], ['same', 'vol unchanged'], ['down', 'vol down']] as const;
  for (let k = -B; k <= B; k++) {
    const moves = pairs.map(({ p }) => (p.price_range * k) / B);
    for (const [v, text] of vols) {
      drafts.push({
        id: `grid:standard:${k}:${v}`,
        label: `bucket ${k + B + 1}/${2 * B + 1}: price ${pairs.length === 1 ? pct(moves[0] as number) : `${k}/${B} of price_range`}, ${text}`,
        spotReturns: moves,
        volShifts: pairs.map(({ rules }) => (v === 'up' ? rules.up : v === 'down' ? rules.down : NO_VOL_SHIFT)),
        timeStepDays: 0,
        weight: 1,
        tags: ['standard', `bucket:${k + B + 1}`, `vol:${v}`],
      });
    }
  }
  const uniform = pairs.every(({ p }) => p.price_range === pairs[0]?.p.price_range && p.extended_table_factor === pairs[0]?.p.extended_table_factor);
  const extendedWeights: Record<string, number[]> = {};
  underlyings.forEach((u, j) => {
    extendedWeights[u] = m.extended_moves.map((mv) => extendedScaling((pairs[j] as (typeof pairs)[number]).p, mv));
  });
  m.extended_moves.forEach((mv, i) => {
    const w = extendedScaling((pairs[0] as (typeof pairs)[number]).p, mv);
    drafts.push({
      id: `grid:extended:${i + 1}`,
      label: `extended move ${pct(mv)}, vol up`,
      spotReturns: underlyings.map(() => mv),
      volShifts: pairs.map(({ rules }) => rules.up),
      timeStepDays: 0,
      ...(uniform ? { weight: w } : {}),
      tags: ['extended', `vol:up`],
    });
  });
  return buildScenarioSet({
    id: options.id ?? `venue-grid:${underlyings.join('+')}`,
    kind: 'venue-grid',
    modelVersion: `scenarios/deribit-grid@${m.version}`,
    underlyings,
    weightMeaning: 'pnl-fraction',
    scenarios: drafts,
    details: {
      pairs: Object.fromEntries(pairs.map(({ key }, j) => [underlyings[j] as string, key])),
      standardCount: (2 * B + 1) * 3,
      extendedCount: m.extended_moves.length,
      extendedWeights,
    },
  });
}
