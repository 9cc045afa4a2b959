/**
 * Assembles scenario drafts into a frozen ScenarioSet (pure): validates every field, copies the spot returns into
 * one row-major Float64Array and gives each scenario a view of its row. Rules are validated once per distinct
 * object (generators share rule objects across scenarios).
 */
import type { RngSeed } from '../math/index.ts';
import { ScenarioInputError } from './errors.ts';
import { deepFreeze } from './models/check.ts';
import type { Scenario, ScenarioDraft, ScenarioSet, ScenarioSetKind, VolShiftRule } from './types.ts';
import { validateVolShiftRule } from './volShift.ts';

/** Input of {@link buildScenarioSet}. */
export interface ScenarioSetInput {
  readonly id: string;
  readonly kind: ScenarioSetKind;
  readonly modelVersion: string;
  readonly seed?: RngSeed;
  readonly underlyings: readonly string[];
  readonly weightMeaning: ScenarioSet['weightMeaning'];
  readonly scenarios: readonly ScenarioDraft[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the set. Checks: non-empty unique underlyings and scenario ids, one finite simple return > -1 and one
 * valid rule per underlying, weight and timeStepDays finite and >= 0.
 */
export function buildScenarioSet(input: ScenarioSetInput): ScenarioSet {
  const { underlyings } = input;
  if (typeof input.id !== 'string' || input.id === '') throw new ScenarioInputError('id', input.id, 'expected a non-empty id');
  if (typeof input.modelVersion !== 'string' || !/^.+@\d+\.\d+\.\d+$/.test(input.modelVersion)) {
    throw new ScenarioInputError('modelVersion', input.modelVersion, 'expected <family>/<name>@<semver>');
  }
  if (!Array.isArray(underlyings) || underlyings.length === 0) throw new ScenarioInputError('underlyings', underlyings, 'expected at least one underlying');
  underlyings.forEach((u, j) => {
    if (typeof u !== 'string' || u === '' || underlyings.indexOf(u) !== j) throw new ScenarioInputError(`underlyings[${j}]`, u, 'expected unique non-empty codes');
  });
  const n = underlyings.length;
  const m = input.scenarios.length;
  const matrix = new Float64Array(m * n);
  const ids = new Set<string>();
  const checked = new Map<VolShiftRule, VolShiftRule>();
  const scenarios: Scenario[] = input.scenarios.map((s, i) => {
    const f = `scenarios[${i}]`;
    if (typeof s.id !== 'string' || s.id === '' || ids.has(s.id)) throw new ScenarioInputError(`${f}.id`, s.id, 'expected a unique non-empty id');
    ids.add(s.id);
    if (s.spotReturns.length !== n) throw new ScenarioInputError(`${f}.spotReturns`, s.spotReturns.length, `expected ${n} returns (one per underlying)`);
    for (let j = 0; j < n; j++) {
      const r = s.spotReturns[j] as number;
      if (!Number.isFinite(r) || r <= -1) throw new ScenarioInputError(`${f}.spotReturns[${j}]`, r, 'expected a finite simple return > -1');
      matrix[i * n + j] = r;
    }
    if (s.volShifts.length !== n) throw new ScenarioInputError(`${f}.volShifts`, s.volShifts.length, `expected ${n} rules (one per underlying)`);
    const volShifts = s.volShifts.map((rule, j) => {
      let ok = checked.get(rule);
      if (ok === undefined) {
        ok = validateVolShiftRule(rule, `${f}.volShifts[${j}]`);
        checked.set(rule, ok);
      }
      return ok;
    });
    if (s.weight !== undefined && !(Number.isFinite(s.weight) && s.weight >= 0)) throw new ScenarioInputError(`${f}.weight`, s.weight, 'expected a finite weight >= 0');
    if (s.timeStepDays !== undefined && !(Number.isFinite(s.timeStepDays) && s.timeStepDays >= 0)) {
      throw new ScenarioInputError(`${f}.timeStepDays`, s.timeStepDays, 'expected finite days >= 0');
    }
    const scenario: Scenario = {
      id: s.id,
      label: s.label,
      spotReturns: matrix.subarray(i * n, (i + 1) * n),
      volShifts: Object.freeze(volShifts),
      ...(s.timeStepDays === undefined ? {} : { timeStepDays: s.timeStepDays }),
      ...(s.weight === undefined ? {} : { weight: s.weight }),
      tags: Object.freeze([...(s.tags ?? [])]),
    };
    return Object.freeze(scenario);
  });
  const set: ScenarioSet = {
    id: input.id,
    kind: input.kind,
    modelVersion: input.modelVersion,
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    underlyings: Object.freeze([...underlyings]),
    returnConvention: 'simple',
    weightMeaning: input.weightMeaning,
    spotReturnMatrix: matrix,
    scenarios: Object.freeze(scenarios),
    details: deepFreeze({ ...(input.details ?? {}) }),
  };
  return Object.freeze(set);
}

/** The scenario whose id is `id`, or undefined. */
export function findScenario(set: ScenarioSet, id: string): Scenario | undefined {
  return set.scenarios.find((s) => s.id === id);
}

/** The simple return of `underlying` in scenario index `i` (NaN when the underlying is not in the set). */
export function spotReturnOf(set: ScenarioSet, i: number, underlying: string): number {
  const j = set.underlyings.indexOf(underlying);
  return j < 0 ? Number.NaN : (set.spotReturnMatrix[i * set.underlyings.length + j] as number);
}
