/**
 * The haircut schedule (`models/haircuts/<version>.json`), pure validator: `confidence` q and `mpor_days` of the
 * volatility haircut, and per asset (upper-case code, with a `default`) a `floor` and a `cap` (fractions,
 * 0 <= floor <= cap <= 1).
 */
import { Checker, deepFreeze, join, type Validated } from '../../scenarios/index.ts';

/** Floor and cap of one asset's haircut (fractions of its USD value). */
export interface HaircutBounds {
  readonly floor: number;
  readonly cap: number;
}

/** A validated haircut schedule. */
export interface HaircutSchedule {
  readonly model: 'haircuts';
  readonly version: string;
  readonly confidence: number;
  readonly mpor_days: number;
  readonly default: HaircutBounds;
  readonly assets: Readonly<Record<string, HaircutBounds>>;
}

function bounds(c: Checker, value: unknown, p: string): HaircutBounds {
  const o = c.object(value, p);
  if (o === undefined) return { floor: Number.NaN, cap: Number.NaN };
  c.noExtraKeys(o, ['floor', 'cap'], p);
  const floor = c.number(o, 'floor', p, { min: 0, max: 1 });
  const cap = c.number(o, 'cap', p, { min: 0, max: 1 });
  if (floor > cap) c.fail(join(p, 'cap'), `cap (${cap}) must be >= floor (${floor})`);
  return { floor, cap };
}

/** Validates parsed JSON as a haircut schedule; every issue with its path, or the typed frozen value. */
export function validateHaircutSchedule(json: unknown): Validated<HaircutSchedule> {
  const c = new Checker('margin');
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'confidence', 'mpor_days', 'default', 'assets'], '');
  const version = c.header(root, 'haircuts');
  const confidence = c.number(root, 'confidence', '', { exclusiveMin: 0.5, exclusiveMax: 1 });
  const mpor = c.number(root, 'mpor_days', '', { exclusiveMin: 0 });
  const def = bounds(c, root['default'], 'default');
  const assets: Record<string, HaircutBounds> = {};
  const aj = c.object(root['assets'], 'assets');
  if (aj !== undefined) {
    for (const [k, v] of Object.entries(aj)) {
      if (!/^[A-Z0-9]+$/.test(k)) c.fail(join('assets', k), 'asset codes are upper case, e.g. BTC');
      assets[k] = bounds(c, v, join('assets', k));
    }
  }
  return c.result(() => deepFreeze({ model: 'haircuts' as const, version, confidence, mpor_days: mpor, default: def, assets }));
}
