/**
 * Parameters of the Deribit-compatible portfolio margin (`models/margin/deribit-pm/<version>.json`), named exactly
 * as the venue names them in `private/pme/simulate` -> `model_params` (reference/margin-methods.md §1), so the raw
 * venue object validates too: the project header (`model`, `version`, `description`, `source`) and the three
 * project keys below are optional and default to the venue's published values.
 *
 * Venue keys: `general` {mm_factor, buckets_count, vol_scenarios_count, timestamp?}; `currency.<ccy>`
 * {annualised_move_risk, min_annualised_move, extended_dampener, pnl_offset, max_offsetable_pnl, haircut,
 * equity_side_impact, correlation_set}; `currency_pair.<coin>_usd` {price_range, volatility_range_up,
 * volatility_range_down, short_term_vega_power, long_term_vega_power, min_volatility_for_shock_up,
 * extended_table_factor, max_delta_shock, delta_total_liq_shock_threshold, m_inc}.
 * Project keys: `extended_moves` (default -0.66, -0.33, 0.5, 1, 2, 3, 4, 5), `vega_reference_days` (30) and
 * `vega_dte_floor_days` (1) of the vol-shock rule (the venue does not publish its formula; see
 * src/scenarios/generators/venueGrid.ts), `correlation_contingency_factor` (0.5; see `correlationContingency`).
 */
import {
  Checker, checkExtendedMoves, checkGridPairParams, checkPairTable, deepFreeze, join, GRID_PAIR_KEYS, type DeribitGridPairParams,
  type Validated,
} from '../../../scenarios/index.ts';

/**
 * `currency_pair.<coin>_usd`: the scenario grid's parameters of one underlying (`DeribitGridPairParams`, validated
 * by the same helper) plus the delta-shock parameters (fractions are decimals).
 */
export interface DeribitPmPairParams extends DeribitGridPairParams {
  /** Cap of the delta-shock price move, e.g. 0.1. */
  readonly max_delta_shock: number;
  /** |delta| in USD above which the delta (liquidity) shock starts, e.g. 20 000 000. */
  readonly delta_total_liq_shock_threshold: number;
  /** Delta-shock move per coin of delta above the threshold, e.g. 0.00005 (inferred unit, see `deltaShock`). */
  readonly m_inc: number;
}

/** `currency.<ccy>`: per settlement currency. */
export interface DeribitPmCurrencyParams {
  /** Annualised move of the roll shock, e.g. 0.075. */
  readonly annualised_move_risk: number;
  /** Floor of the roll-shock move (and the perpetual's move), e.g. 0.01. */
  readonly min_annualised_move: number;
  /** Extended-table dampener, USD (inferred unit), e.g. 100 000. */
  readonly extended_dampener: number;
  /** Fraction of a scenario gain that offsets losses (0 = gains ignored), e.g. 0 or 0.6. */
  readonly pnl_offset: number;
  /** Cap of the offset gain, USD (inferred unit and per-scenario reading), e.g. 20 000 000. */
  readonly max_offsetable_pnl: number;
  /** Collateral haircut of the currency (cross-collateral); not used by the risk matrix. */
  readonly haircut: number;
  /** Venue flag (`none`, `both`); carried, not used. */
  readonly equity_side_impact: string;
  /** Whether the currency's pairs may offset each other (see `correlationContingency`). */
  readonly correlation_set: boolean;
}

/** A validated parameter set. */
export interface DeribitPmParams {
  readonly model: 'margin/deribit-pm';
  /** Semver of the model file, '' for raw venue params. */
  readonly version: string;
  readonly general: {
    readonly mm_factor: number;
    readonly buckets_count: number;
    readonly vol_scenarios_count: 3;
    readonly timestamp?: number;
  };
  readonly currency: Readonly<Record<string, DeribitPmCurrencyParams>>;
  readonly currency_pair: Readonly<Record<string, DeribitPmPairParams>>;
  readonly extended_moves: readonly number[];
  readonly vega_reference_days: number;
  readonly vega_dte_floor_days: number;
  readonly correlation_contingency_factor: number;
}

/** The venue's extended moves (margin-methods.md §1). */
export const VENUE_EXTENDED_MOVES: readonly number[] = Object.freeze([-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]);

const PAIR_KEYS = [...GRID_PAIR_KEYS, 'max_delta_shock', 'delta_total_liq_shock_threshold', 'm_inc'] as const;
const CURRENCY_KEYS = [
  'annualised_move_risk', 'min_annualised_move', 'extended_dampener', 'pnl_offset', 'max_offsetable_pnl', 'haircut',
  'equity_side_impact', 'correlation_set',
] as const;

/** Validates parsed JSON (a model file or the venue's raw `model_params`): every issue with its path, or the value. */
export function validateDeribitPmParams(json: unknown): Validated<DeribitPmParams> {
  const c = new Checker('margin');
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, [
    'model', 'version', 'description', 'source', 'general', 'currency', 'currency_pair', 'extended_moves',
    'vega_reference_days', 'vega_dte_floor_days', 'correlation_contingency_factor',
  ], '');
  const version = c.header(root, 'margin/deribit-pm', true);
  const g = c.object(root['general'], 'general');
  let general: DeribitPmParams['general'] = { mm_factor: Number.NaN, buckets_count: Number.NaN, vol_scenarios_count: 3 };
  if (g !== undefined) {
    c.noExtraKeys(g, ['mm_factor', 'buckets_count', 'vol_scenarios_count', 'timestamp'], 'general');
    const vs = c.number(g, 'vol_scenarios_count', 'general', { integer: true });
    if (Number.isFinite(vs) && vs !== 3) c.fail('general.vol_scenarios_count', `only 3 (up, same, down) is supported, got ${vs}`);
    const ts = g['timestamp'] === undefined ? undefined : c.number(g, 'timestamp', 'general', { integer: true, min: 0 });
    general = {
      mm_factor: c.number(g, 'mm_factor', 'general', { exclusiveMin: 0, max: 1 }),
      buckets_count: c.number(g, 'buckets_count', 'general', { integer: true, min: 1, max: 100 }),
      vol_scenarios_count: 3,
      ...(ts === undefined ? {} : { timestamp: ts }),
    };
  }
  const currency: Record<string, DeribitPmCurrencyParams> = {};
  const cj = c.object(root['currency'], 'currency');
  if (cj !== undefined) {
    for (const [key, value] of Object.entries(cj)) {
      const p = join('currency', key);
      if (!/^[a-z0-9]+$/.test(key)) c.fail(p, "currency keys are lower case, e.g. 'btc'");
      const o = c.object(value, p);
      if (o === undefined) continue;
      c.noExtraKeys(o, CURRENCY_KEYS, p);
      currency[key] = {
        annualised_move_risk: c.number(o, 'annualised_move_risk', p, { min: 0 }),
        min_annualised_move: c.number(o, 'min_annualised_move', p, { min: 0 }),
        extended_dampener: c.number(o, 'extended_dampener', p, { min: 0 }),
        pnl_offset: c.number(o, 'pnl_offset', p, { min: 0, max: 1 }),
        max_offsetable_pnl: c.number(o, 'max_offsetable_pnl', p, { min: 0 }),
        haircut: c.number(o, 'haircut', p, { min: 0, max: 1 }, 0),
        equity_side_impact: o['equity_side_impact'] === undefined ? 'none' : c.string(o, 'equity_side_impact', p),
        correlation_set: c.boolean(o, 'correlation_set', p, false),
      };
    }
  }
  const pairs = checkPairTable(c, root['currency_pair'], 'currency_pair', PAIR_KEYS, (o, p) => ({
    ...checkGridPairParams(c, o, p),
    max_delta_shock: c.number(o, 'max_delta_shock', p, { min: 0, exclusiveMax: 1 }),
    delta_total_liq_shock_threshold: c.number(o, 'delta_total_liq_shock_threshold', p, { min: 0 }),
    m_inc: c.number(o, 'm_inc', p, { min: 0 }),
  }));
  let moves: number[] = [...VENUE_EXTENDED_MOVES];
  if (root['extended_moves'] !== undefined) {
    const arr = root['extended_moves'];
    if (!Array.isArray(arr) || arr.length === 0) c.fail('extended_moves', 'expected a non-empty array of moves');
    else moves = checkExtendedMoves(c, arr);
  }
  const refDays = c.number(root, 'vega_reference_days', '', { exclusiveMin: 0 }, 30);
  const floorDays = c.number(root, 'vega_dte_floor_days', '', { exclusiveMin: 0 }, 1);
  const ccf = c.number(root, 'correlation_contingency_factor', '', { min: 0, max: 1 }, 0.5);
  return c.result(() => deepFreeze({
    model: 'margin/deribit-pm' as const,
    version,
    general,
    currency,
    currency_pair: pairs,
    extended_moves: moves,
    vega_reference_days: refDays,
    vega_dte_floor_days: floorDays,
    correlation_contingency_factor: ccf,
  }));
}
