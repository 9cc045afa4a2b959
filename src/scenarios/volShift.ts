/**
 * Applying a scenario's vol-shift rule to a base implied vol at an expiry (pure), so that revaluation can use
 * the same scenario on any surface: read the base vol of an option from its surface, then
 * `applyVolShift(rule, baseVol, expiry)`. Rules are defined in `types.ts`; results are floored at 0.
 */
import { ScenarioInputError } from './errors.ts';
import type { VolShiftRule } from './types.ts';

/** Days in an ACT/365 year: days-to-expiry = expiry (years) x 365. */
export const DAYS_PER_YEAR = 365;

/** The rule that leaves vols unchanged (`parallel`, shift 0), shared and frozen. */
export const NO_VOL_SHIFT: VolShiftRule = Object.freeze({ kind: 'parallel', shift: 0 });

/**
 * The term factor `(referenceDays / max(dte, floorDays))^p` of a `term-scaled` rule at `dte` days, with the
 * short-term power up to `referenceDays` inclusive and the long-term power beyond.
 */
export function termScaleFactor(rule: Extract<VolShiftRule, { kind: 'term-scaled' }>, dte: number): number {
  const p = dte <= rule.referenceDays ? rule.power : (rule.longTermPower ?? rule.power);
  return (rule.referenceDays / Math.max(dte, rule.floorDays)) ** p;
}

/** Linear interpolation in days with flat extrapolation (tenors strictly ascending). */
export function interpolateFlat(tenorDays: readonly number[], values: readonly number[], dte: number): number {
  const n = tenorDays.length;
  if (dte <= (tenorDays[0] as number)) return values[0] as number;
  if (dte >= (tenorDays[n - 1] as number)) return values[n - 1] as number;
  let k = 1;
  while ((tenorDays[k] as number) < dte) k++;
  const t0 = tenorDays[k - 1] as number;
  const t1 = tenorDays[k] as number;
  const w = (dte - t0) / (t1 - t0);
  return (values[k - 1] as number) * (1 - w) + (values[k] as number) * w;
}

/**
 * The shifted vol (annualised decimal, >= 0) of an option whose base vol is `vol` and time to expiry `expiry`
 * years (ACT/365). NaN in, NaN out; the rule is assumed valid (see `validateVolShiftRule`).
 */
export function applyVolShift(rule: VolShiftRule, vol: number, expiry: number): number {
  let out: number;
  switch (rule.kind) {
    case 'parallel':
      out = vol + rule.shift;
      break;
    case 'relative':
      out = vol * rule.factor;
      break;
    case 'term-scaled': {
      const base = rule.shift > 0 ? Math.max(vol, rule.minBaseVol ?? 0) : vol;
      out = vol + base * rule.shift * termScaleFactor(rule, expiry * DAYS_PER_YEAR);
      break;
    }
    case 'term-structure': {
      const v = interpolateFlat(rule.tenorDays, rule.values, expiry * DAYS_PER_YEAR);
      out = rule.mode === 'absolute' ? vol + v : vol * v;
      break;
    }
  }
  return out < 0 ? 0 : out;
}

/**
 * Kernel over arrays: `out[i] = applyVolShift(rule, vols[i], expiries[i])` for i < `length` (default
 * `vols.length`); `out` defaults to a new Float64Array. No allocation when `out` is given.
 */
export function applyVolShiftArray(
  rule: VolShiftRule,
  vols: ArrayLike<number>,
  expiries: ArrayLike<number>,
  out: Float64Array = new Float64Array(vols.length),
  length: number = vols.length,
): Float64Array {
  for (let i = 0; i < length; i++) out[i] = applyVolShift(rule, vols[i] as number, expiries[i] as number);
  return out;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Checks a rule's fields and returns a frozen copy; a bad field raises ScenarioInputError naming `${field}.<name>`. */
export function validateVolShiftRule(rule: VolShiftRule, field: string): VolShiftRule {
  if (rule === null || typeof rule !== 'object') throw new ScenarioInputError(field, rule, 'expected a vol-shift rule object');
  switch (rule.kind) {
    case 'parallel':
      if (!finite(rule.shift)) throw new ScenarioInputError(`${field}.shift`, rule.shift, 'expected a finite number');
      return rule === NO_VOL_SHIFT ? rule : Object.freeze({ kind: 'parallel', shift: rule.shift });
    case 'relative':
      if (!finite(rule.factor) || rule.factor < 0) throw new ScenarioInputError(`${field}.factor`, rule.factor, 'expected a finite factor >= 0');
      return Object.freeze({ kind: 'relative', factor: rule.factor });
    case 'term-scaled': {
      if (!finite(rule.shift) || rule.shift <= -1) throw new ScenarioInputError(`${field}.shift`, rule.shift, 'expected a finite relative shift > -1');
      if (!finite(rule.power) || rule.power < 0) throw new ScenarioInputError(`${field}.power`, rule.power, 'expected a finite power >= 0');
      if (rule.longTermPower !== undefined && (!finite(rule.longTermPower) || rule.longTermPower < 0)) {
        throw new ScenarioInputError(`${field}.longTermPower`, rule.longTermPower, 'expected a finite power >= 0');
      }
      if (!finite(rule.referenceDays) || rule.referenceDays <= 0) throw new ScenarioInputError(`${field}.referenceDays`, rule.referenceDays, 'expected days > 0');
      if (!finite(rule.floorDays) || rule.floorDays <= 0) throw new ScenarioInputError(`${field}.floorDays`, rule.floorDays, 'expected days > 0');
      if (rule.minBaseVol !== undefined && (!finite(rule.minBaseVol) || rule.minBaseVol < 0)) {
        throw new ScenarioInputError(`${field}.minBaseVol`, rule.minBaseVol, 'expected a vol >= 0');
      }
      return Object.freeze({ ...rule });
    }
    case 'term-structure': {
      if (rule.mode !== 'absolute' && rule.mode !== 'relative') throw new ScenarioInputError(`${field}.mode`, rule.mode, "expected 'absolute' or 'relative'");
      const { tenorDays, values } = rule;
      if (!Array.isArray(tenorDays) || tenorDays.length === 0) throw new ScenarioInputError(`${field}.tenorDays`, tenorDays, 'expected a non-empty array of days');
      if (!Array.isArray(values) || values.length !== tenorDays.length) {
        throw new ScenarioInputError(`${field}.values`, values, `expected ${tenorDays.length} values (one per tenor)`);
      }
      tenorDays.forEach((d, i) => {
        if (!finite(d) || d < 0 || (i > 0 && !(d > (tenorDays[i - 1] as number)))) {
          throw new ScenarioInputError(`${field}.tenorDays[${i}]`, d, 'tenors must be finite, >= 0 and strictly ascending');
        }
      });
      values.forEach((v, i) => {
        if (!finite(v) || (rule.mode === 'relative' && v < 0)) throw new ScenarioInputError(`${field}.values[${i}]`, v, 'expected a finite value (>= 0 when relative)');
      });
      return Object.freeze({ kind: 'term-structure', mode: rule.mode, tenorDays: Object.freeze([...tenorDays]), values: Object.freeze([...values]) });
    }
    default:
      throw new ScenarioInputError(`${field}.kind`, (rule as { kind?: unknown }).kind, "expected 'parallel', 'relative', 'term-scaled' or 'term-structure'");
  }
}
