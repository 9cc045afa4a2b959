/**
 * The venue-grid model (`models/scenarios/deribit-grid/<version>.json`): parameters named as the venue names them
 * (reference/margin-methods.md §1, Deribit `private/pme/simulate` model_params), plus two values the venue does
 * not publish and this project fixes (`vega_reference_days`, `vega_dte_floor_days`). Pure validator.
 */
import type { Validated } from '../errors.ts';
import { Checker, deepFreeze, join } from './check.ts';

/** Per currency pair (`btc_usd`), venue names. Fractions are decimals (0.16 = 16 %). */
export interface DeribitGridPairParams {
  /** Largest standard price move (fraction of the underlying), e.g. 0.16. */
  readonly price_range: number;
  /** Relative vol shock up R_up, e.g. 0.5 (scaled by the term factor). */
  readonly volatility_range_up: number;
  /** Relative vol shock down R_down, e.g. 0.25. */
  readonly volatility_range_down: number;
  /** Term power p for expiries up to `vega_reference_days` days, e.g. 0.3. */
  readonly short_term_vega_power: number;
  /** Term power beyond the switch, e.g. 0.13. */
  readonly long_term_vega_power: number;
  /** Vol floor of the base of an up shock (annualised decimal), e.g. 0.5; see the generator's note. */
  readonly min_volatility_for_shock_up: number;
  /** Multiplier of the extended-table P&L scaling, e.g. 1. */
  readonly extended_table_factor: number;
}

/** A validated venue-grid model. */
export interface DeribitGridModel {
  readonly model: 'scenarios/deribit-grid';
  readonly version: string;
  readonly description: string;
  readonly general: { readonly buckets_count: number; readonly vol_scenarios_count: 3 };
  readonly currency_pairs: Readonly<Record<string, DeribitGridPairParams>>;
  /** Extended moves (simple returns), venue order: -0.66, -0.33, 0.5, 1, 2, 3, 4, 5. */
  readonly extended_moves: readonly number[];
  /** The 30 of `(30 / max(DTE, floor))^p`, also where the short-term power hands over to the long-term one (30). */
  readonly vega_reference_days: number;
  /** Floor of days-to-expiry in the term factor (project choice: 1 day, as Derive's PMRM). */
  readonly vega_dte_floor_days: number;
}

/** Keys of `DeribitGridPairParams`, in validation order (the margin model's pairs carry these and more). */
export const GRID_PAIR_KEYS: readonly (keyof DeribitGridPairParams)[] = Object.freeze([
  'price_range', 'volatility_range_up', 'volatility_range_down', 'short_term_vega_power', 'long_term_vega_power',
  'min_volatility_for_shock_up', 'extended_table_factor',
] as const);

/** Reads the grid parameters of one pair object found at `p` (issues recorded on `c`; NaN where invalid). */
export function checkGridPairParams(c: Checker, o: Record<string, unknown>, p: string): DeribitGridPairParams {
  return {
    price_range: c.number(o, 'price_range', p, { exclusiveMin: 0, exclusiveMax: 1 }),
    volatility_range_up: c.number(o, 'volatility_range_up', p, { min: 0 }),
    volatility_range_down: c.number(o, 'volatility_range_down', p, { min: 0, exclusiveMax: 1 }),
    short_term_vega_power: c.number(o, 'short_term_vega_power', p, { min: 0 }),
    long_term_vega_power: c.number(o, 'long_term_vega_power', p, { min: 0 }),
    min_volatility_for_shock_up: c.number(o, 'min_volatility_for_shock_up', p, { min: 0 }),
    extended_table_factor: c.number(o, 'extended_table_factor', p, { min: 0 }),
  };
}

/**
 * Reads a table of currency pairs `{ btc_usd: {...}, ... }` at `path`: it must be a non-empty object whose keys look
 * like 'btc_usd' and whose entries are objects with no key outside `keys`; `read` reads each entry at its path.
 * Returns the entries that are objects (issues recorded on `c`).
 */
export function checkPairTable<T>(
  c: Checker, value: unknown, path: string, keys: readonly string[], read: (o: Record<string, unknown>, p: string) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  const table = c.object(value, path);
  if (table === undefined) return out;
  if (Object.keys(table).length === 0) c.fail(path, 'must define at least one pair');
  for (const [key, entry] of Object.entries(table)) {
    const p = join(path, key);
    if (!/^[a-z0-9]+_[a-z0-9]+$/.test(key)) c.fail(p, "pair keys look like 'btc_usd'");
    const o = c.object(entry, p);
    if (o === undefined) continue;
    c.noExtraKeys(o, keys, p);
    out[key] = read(o, p);
  }
  return out;
}

/** Checks extended moves (simple returns): each a finite number > -1 and not 0, reported as `extended_moves[i]`. */
export function checkExtendedMoves(c: Checker, moves: readonly unknown[]): number[] {
  return moves.map((m, i) => {
    const v = c.numberValue(m, `extended_moves[${i}]`, { exclusiveMin: -1 });
    if (v === 0) c.fail(`extended_moves[${i}]`, 'an extended move must not be 0');
    return v;
  });
}

/** Validates parsed JSON as a venue-grid model: every issue with its path, or the typed frozen value. */
export function validateDeribitGridModel(json: unknown): Validated<DeribitGridModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'general', 'currency_pairs', 'extended_moves', 'vega_reference_days', 'vega_dte_floor_days'], '');
  const version = c.header(root, 'scenarios/deribit-grid');
  const general = c.object(root['general'], 'general');
  let buckets = Number.NaN;
  if (general !== undefined) {
    c.noExtraKeys(general, ['buckets_count', 'vol_scenarios_count'], 'general');
    buckets = c.number(general, 'buckets_count', 'general', { integer: true, min: 1, max: 100 });
    const vs = c.number(general, 'vol_scenarios_count', 'general', { integer: true });
    if (Number.isFinite(vs) && vs !== 3) c.fail('general.vol_scenarios_count', `only 3 (up, same, down) is supported, got ${vs}`);
  }
  const pairs = checkPairTable(c, root['currency_pairs'], 'currency_pairs', GRID_PAIR_KEYS, (o, p) => checkGridPairParams(c, o, p));
  const moves = checkExtendedMoves(c, c.array(root, 'extended_moves', '', false));
  const switchDays = c.number(root, 'vega_reference_days', '', { exclusiveMin: 0 });
  const floorDays = c.number(root, 'vega_dte_floor_days', '', { exclusiveMin: 0 });
  return c.result(() => deepFreeze({
    model: 'scenarios/deribit-grid' as const,
    version,
    description: root['description'] as string,
    general: { buckets_count: buckets, vol_scenarios_count: 3 as const },
    currency_pairs: pairs,
    extended_moves: moves,
    vega_reference_days: switchDays,
    vega_dte_floor_days: floorDays,
  }));
}
