/**
 * One scenario set from several (pure), e.g. the filtered-historical scenarios plus the incident replay: the union of
 * the sets' underlyings (first-seen order), every scenario kept with its own moves, vol rules, time step, weight and
 * tags; an underlying a set does not list gets a 0 move and no vol shift in that set's scenarios. The result takes
 * the first set's weight meaning; a later set with another meaning may join only if none of its scenarios is
 * reweighted (weight absent or 1, which means the same under both meanings). Scenario ids must be distinct. The result is of kind `composite`, records the
 * parts (id, kind, model version, count) in `details.parts`, and carries the given model version.
 */
import { buildScenarioSet } from './buildScenarioSet.ts';
import { ScenarioInputError } from './errors.ts';
import type { ScenarioDraft, ScenarioSet } from './types.ts';
import { NO_VOL_SHIFT } from './volShift.ts';

/** Combines `sets` (see the module comment). */
export function combineScenarioSets(id: string, modelVersion: string, sets: readonly ScenarioSet[]): ScenarioSet {
  if (!Array.isArray(sets) || sets.length === 0) throw new ScenarioInputError('sets', sets, 'expected at least one scenario set');
  const meaning = sets[0]!.weightMeaning;
  sets.forEach((s, i) => {
    if (s.weightMeaning === meaning) return;
    s.scenarios.forEach((sc: ScenarioSet['scenarios'][number], j: number) => {
      if (sc.weight !== undefined && sc.weight !== 1) {
        throw new ScenarioInputError(`sets[${i}].scenarios[${j}].weight`, sc.weight, `a reweighted scenario cannot join a set whose weights mean ${meaning}`);
      }
    });
  });
  const underlyings: string[] = [];
  for (const s of sets) for (const u of s.underlyings) if (!underlyings.includes(u)) underlyings.push(u);
  const drafts: ScenarioDraft[] = [];
  for (const set of sets) {
    const column = underlyings.map((u) => set.underlyings.indexOf(u));
    for (const sc of set.scenarios) {
      drafts.push({
        id: sc.id, label: sc.label,
        spotReturns: column.map((j) => (j < 0 ? 0 : (sc.spotReturns[j] as number))),
        volShifts: column.map((j) => (j < 0 ? NO_VOL_SHIFT : sc.volShifts[j]!)),
        ...(sc.timeStepDays === undefined ? {} : { timeStepDays: sc.timeStepDays }),
        ...(sc.weight === undefined || sc.weight === 1 ? {} : { weight: sc.weight }),
        tags: sc.tags,
      });
    }
  }
  return buildScenarioSet({
    id, kind: 'composite', modelVersion, underlyings, weightMeaning: meaning, scenarios: drafts,
    details: { parts: sets.map((s) => ({ id: s.id, kind: s.kind, modelVersion: s.modelVersion, scenarios: s.scenarios.length })) },
  });
}
