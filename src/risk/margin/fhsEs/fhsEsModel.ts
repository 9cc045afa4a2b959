/**
 * The FHS expected-shortfall margin model (`models/margin/fhs-es/<version>.json`), pure validator:
 *
 * - `confidence` (EMIR Art. 24: >= 0.995 OTC, >= 0.99 other), `es_method` ('k-worst' | 'acerbi-tasche');
 * - `scenario_horizon_days` (horizon of the P&L vector handed in, 1 for daily FHS scenarios), `mpor_days` (EMIR
 *   Art. 26: 5 OTC, 2 other) and `mpor_scaling`: 'sqrt' (ES x sqrt(mpor / horizon)), 'overlapping' (ES of the sums
 *   of mpor / horizon consecutive scenario P&Ls, scenarios in date order), 'none' (the vector already is the MPOR);
 * - `apc` (EMIR Art. 28, one of): `{ method: 'buffer', buffer }` (a) buffer >= 25 % released when margins rise;
 *   `{ method: 'stressed-weight', weight }` (b) weight >= 25 % on stressed observations; `{ method: 'floor',
 *   lookback_years }` (c) floor = the margin over a >= 10-year lookback; `{ method: 'none' }`;
 * - `liquidity`: per underlying (with a `default`) `half_spread` (fraction), `impact_coefficient` and `adv_usd`
 *   (average daily volume, USD);
 * - `concentration`: `market_capacity_share` (share of ADV liquidated per day), `offset_days`, `max_days` (cap of
 *   the effective liquidation period), `max_fraction_of_margin` (cap of the add-on relative to the ES margin).
 */
import { Checker, deepFreeze, join, type Validated } from '../../../scenarios/index.ts';

/** Anti-procyclicality option (EMIR RTS 153/2013 Art. 28). */
export type ApcConfig =
  | { readonly method: 'none' }
  | { readonly method: 'buffer'; readonly buffer: number }
  | { readonly method: 'stressed-weight'; readonly weight: number }
  | { readonly method: 'floor'; readonly lookback_years: number };

/** Liquidity parameters of one underlying. */
export interface LiquidityParams {
  /** Half the bid/ask spread as a fraction of the price, e.g. 0.0005. */
  readonly half_spread: number;
  /** Square-root market-impact coefficient: cost fraction = impact_coefficient x sqrt(|exposure| / adv_usd). */
  readonly impact_coefficient: number;
  /** Average daily traded volume, USD. */
  readonly adv_usd: number;
}

/** A validated FHS-ES margin model. */
export interface FhsEsModel {
  readonly model: 'margin/fhs-es';
  readonly version: string;
  readonly confidence: number;
  readonly es_method: 'k-worst' | 'acerbi-tasche';
  readonly scenario_horizon_days: number;
  readonly mpor_days: number;
  readonly mpor_scaling: 'sqrt' | 'overlapping' | 'none';
  readonly apc: ApcConfig;
  readonly liquidity: { readonly default: LiquidityParams; readonly underlyings: Readonly<Record<string, LiquidityParams>> };
  readonly concentration: {
    readonly market_capacity_share: number;
    readonly offset_days: number;
    readonly max_days: number;
    readonly max_fraction_of_margin: number;
  };
}

function liquidity(c: Checker, value: unknown, p: string): LiquidityParams {
  const o = c.object(value, p);
  if (o === undefined) return { half_spread: Number.NaN, impact_coefficient: Number.NaN, adv_usd: Number.NaN };
  c.noExtraKeys(o, ['half_spread', 'impact_coefficient', 'adv_usd'], p);
  return {
    half_spread: c.number(o, 'half_spread', p, { min: 0, max: 1 }),
    impact_coefficient: c.number(o, 'impact_coefficient', p, { min: 0 }),
    adv_usd: c.number(o, 'adv_usd', p, { exclusiveMin: 0 }),
  };
}

function apc(c: Checker, value: unknown): ApcConfig {
  const o = c.object(value, 'apc');
  if (o === undefined) return { method: 'none' };
  const method = c.oneOf(o, 'method', 'apc', ['none', 'buffer', 'stressed-weight', 'floor'] as const);
  switch (method) {
    case 'buffer':
      c.noExtraKeys(o, ['method', 'buffer'], 'apc');
      return { method, buffer: c.number(o, 'buffer', 'apc', { min: 0, max: 10 }) };
    case 'stressed-weight':
      c.noExtraKeys(o, ['method', 'weight'], 'apc');
      return { method, weight: c.number(o, 'weight', 'apc', { min: 0, max: 1 }) };
    case 'floor':
      c.noExtraKeys(o, ['method', 'lookback_years'], 'apc');
      return { method, lookback_years: c.number(o, 'lookback_years', 'apc', { exclusiveMin: 0 }) };
    default:
      c.noExtraKeys(o, ['method'], 'apc');
      return { method: 'none' };
  }
}

/** Validates parsed JSON as an FHS-ES margin model; every issue with its path, or the typed frozen value. */
export function validateFhsEsModel(json: unknown): Validated<FhsEsModel> {
  const c = new Checker('margin');
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'confidence', 'es_method', 'scenario_horizon_days', 'mpor_days', 'mpor_scaling', 'apc', 'liquidity', 'concentration'], '');
  const version = c.header(root, 'margin/fhs-es');
  const confidence = c.number(root, 'confidence', '', { exclusiveMin: 0, exclusiveMax: 1 });
  const esMethod = c.oneOf(root, 'es_method', '', ['k-worst', 'acerbi-tasche'] as const, 'k-worst');
  const horizon = c.number(root, 'scenario_horizon_days', '', { integer: true, min: 1 });
  const mpor = c.number(root, 'mpor_days', '', { integer: true, min: 1 });
  const scaling = c.oneOf(root, 'mpor_scaling', '', ['sqrt', 'overlapping', 'none'] as const);
  if (scaling === 'overlapping' && Number.isInteger(horizon) && Number.isInteger(mpor) && mpor % horizon !== 0) {
    c.fail('mpor_days', `overlapping windows need mpor_days (${mpor}) to be a multiple of scenario_horizon_days (${horizon})`);
  }
  const apcConfig = apc(c, root['apc']);
  const lj = c.object(root['liquidity'], 'liquidity');
  let liq: FhsEsModel['liquidity'] = { default: { half_spread: Number.NaN, impact_coefficient: Number.NaN, adv_usd: Number.NaN }, underlyings: {} };
  if (lj !== undefined) {
    c.noExtraKeys(lj, ['default', 'underlyings'], 'liquidity');
    const under: Record<string, LiquidityParams> = {};
    const uj = lj['underlyings'] === undefined ? {} : c.object(lj['underlyings'], 'liquidity.underlyings') ?? {};
    for (const [k, v] of Object.entries(uj)) under[k] = liquidity(c, v, join('liquidity.underlyings', k));
    liq = { default: liquidity(c, lj['default'], 'liquidity.default'), underlyings: under };
  }
  const cj = c.object(root['concentration'], 'concentration');
  let conc: FhsEsModel['concentration'] = { market_capacity_share: Number.NaN, offset_days: Number.NaN, max_days: Number.NaN, max_fraction_of_margin: Number.NaN };
  if (cj !== undefined) {
    c.noExtraKeys(cj, ['market_capacity_share', 'offset_days', 'max_days', 'max_fraction_of_margin'], 'concentration');
    conc = {
      market_capacity_share: c.number(cj, 'market_capacity_share', 'concentration', { exclusiveMin: 0, max: 1 }),
      offset_days: c.number(cj, 'offset_days', 'concentration', { min: 0 }),
      max_days: c.number(cj, 'max_days', 'concentration', { exclusiveMin: 0 }),
      max_fraction_of_margin: c.number(cj, 'max_fraction_of_margin', 'concentration', { min: 0 }),
    };
    if (Number.isFinite(conc.max_days) && Number.isFinite(mpor) && conc.max_days < mpor) c.fail('concentration.max_days', `must be >= mpor_days (${mpor}), got ${conc.max_days}`);
  }
  return c.result(() => deepFreeze({
    model: 'margin/fhs-es' as const, version, confidence, es_method: esMethod, scenario_horizon_days: horizon, mpor_days: mpor,
    mpor_scaling: scaling, apc: apcConfig, liquidity: liq, concentration: conc,
  }));
}
