/**
 * The SPAN-style model (`models/scenarios/span/<version>.json`, reference/methods.md §5.3): price scan range and
 * vol scan range per underlying (with a default), the extreme-move multiple and the fraction of its loss counted.
 * Pure validator.
 */
import type { Validated } from '../errors.ts';
import { Checker, deepFreeze, join } from './check.ts';

/** Scan ranges of one underlying. */
export interface SpanRanges {
  /** Price scan range as a fraction of the price (simple return), e.g. 0.1. */
  readonly price_scan_range: number;
  /** Vol scan range in absolute vol (annualised decimal), e.g. 0.1 = 10 vol points. */
  readonly volatility_scan_range: number;
}

/** A validated SPAN-style model. */
export interface SpanModel {
  readonly model: 'scenarios/span';
  readonly version: string;
  readonly description: string;
  /** Ranges used for an underlying without its own entry. */
  readonly default: SpanRanges;
  /** Per-underlying overrides keyed by underlying code (`BTC`). */
  readonly underlyings: Readonly<Record<string, SpanRanges>>;
  /** Extreme move = extreme_multiple x price_scan_range (2 in the standard table). */
  readonly extreme_multiple: number;
  /** Fraction of the extreme scenarios' loss counted (0.35). */
  readonly extreme_cover_fraction: number;
  /** Look-ahead of the risk array in days (1). */
  readonly look_ahead_days: number;
}

function ranges(c: Checker, value: unknown, path: string): SpanRanges {
  const o = c.object(value, path);
  if (o === undefined) return { price_scan_range: Number.NaN, volatility_scan_range: Number.NaN };
  c.noExtraKeys(o, ['price_scan_range', 'volatility_scan_range'], path);
  return {
    price_scan_range: c.number(o, 'price_scan_range', path, { exclusiveMin: 0, exclusiveMax: 0.5 }),
    volatility_scan_range: c.number(o, 'volatility_scan_range', path, { min: 0 }),
  };
}

/** Validates parsed JSON as a SPAN-style model. The extreme move must stay above -100 %. */
export function validateSpanModel(json: unknown): Validated<SpanModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'default', 'underlyings', 'extreme_multiple', 'extreme_cover_fraction', 'look_ahead_days'], '');
  const version = c.header(root, 'scenarios/span');
  const def = ranges(c, root['default'], 'default');
  const under: Record<string, SpanRanges> = {};
  if (root['underlyings'] !== undefined) {
    const o = c.object(root['underlyings'], 'underlyings');
    if (o !== undefined) for (const [k, v] of Object.entries(o)) under[k] = ranges(c, v, join('underlyings', k));
  }
  const multiple = c.number(root, 'extreme_multiple', '', { min: 1 });
  const cover = c.number(root, 'extreme_cover_fraction', '', { min: 0, max: 1 });
  const lookAhead = c.number(root, 'look_ahead_days', '', { min: 0 });
  for (const [k, r] of [['default', def] as const, ...Object.entries(under).map(([k, v]) => [join('underlyings', k), v] as const)]) {
    if (Number.isFinite(multiple) && Number.isFinite(r.price_scan_range) && multiple * r.price_scan_range >= 1) {
      c.fail(join(k, 'price_scan_range'), `extreme move ${multiple} x ${r.price_scan_range} would reach -100 %`);
    }
  }
  return c.result(() => deepFreeze({
    model: 'scenarios/span' as const,
    version,
    description: root['description'] as string,
    default: def,
    underlyings: under,
    extreme_multiple: multiple,
    extreme_cover_fraction: cover,
    look_ahead_days: lookAhead,
  }));
}
