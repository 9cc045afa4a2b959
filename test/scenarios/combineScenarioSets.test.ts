/** combineScenarioSets: the union of underlyings, every scenario kept, zero moves where a set lacks an underlying. */
import { describe, expect, it } from 'vitest';
import { buildScenarioSet, combineScenarioSets, NO_VOL_SHIFT, ScenarioInputError } from '../../src/scenarios/index.ts';

const a = buildScenarioSet({
  id: 'a', kind: 'filtered-historical', modelVersion: 'scenarios/filtered-historical@1.0.0', underlyings: ['BTC', 'ETH'], weightMeaning: 'probability',
  scenarios: [
    { id: 'a1', label: 'a1', spotReturns: [-0.1, -0.2], volShifts: [NO_VOL_SHIFT, NO_VOL_SHIFT], timeStepDays: 2 },
    { id: 'a2', label: 'a2', spotReturns: [0.05, 0.01], volShifts: [NO_VOL_SHIFT, NO_VOL_SHIFT], weight: 0.5, tags: ['stress:x'] },
  ],
});
const replay = buildScenarioSet({
  id: 'r', kind: 'incident-replay', modelVersion: 'scenarios/incident-replay@1.0.0', underlyings: ['ETH', 'SOL'], weightMeaning: 'pnl-fraction',
  scenarios: [{ id: 'r1', label: 'replay', spotReturns: [-0.125, -0.3], volShifts: [{ kind: 'parallel', shift: 0.2 }, NO_VOL_SHIFT], timeStepDays: 0 }],
});

describe('combineScenarioSets', () => {
  it('keeps every scenario, unions the underlyings and fills absent ones with 0 and no vol shift', () => {
    const c = combineScenarioSets('a+r', 'scenarios/composite@1.0.0', [a, replay]);
    expect(c.kind).toBe('composite');
    expect(c.underlyings).toEqual(['BTC', 'ETH', 'SOL']);
    expect(c.scenarios.map((s) => s.id)).toEqual(['a1', 'a2', 'r1']);
    expect(Array.from(c.spotReturnMatrix)).toEqual([-0.1, -0.2, 0, 0.05, 0.01, 0, 0, -0.125, -0.3]);
    expect(c.scenarios[2]!.volShifts[1]).toEqual({ kind: 'parallel', shift: 0.2 });
    expect(c.scenarios[0]!.volShifts[2]).toEqual(NO_VOL_SHIFT);
    expect(c.scenarios[1]!.weight).toBe(0.5);
    expect(c.scenarios[0]!.timeStepDays).toBe(2);
    expect(c.weightMeaning).toBe('probability');
    expect(c.details['parts']).toEqual([
      { id: 'a', kind: 'filtered-historical', modelVersion: 'scenarios/filtered-historical@1.0.0', scenarios: 2 },
      { id: 'r', kind: 'incident-replay', modelVersion: 'scenarios/incident-replay@1.0.0', scenarios: 1 },
    ]);
  });

  it('refuses a reweighted scenario under another weight meaning, and duplicate ids', () => {
    expect(() => combineScenarioSets('x', 'scenarios/composite@1.0.0', [replay, a])).toThrow(ScenarioInputError);
    expect(() => combineScenarioSets('x', 'scenarios/composite@1.0.0', [a, a])).toThrow(/a1|unique|distinct|duplicate/i);
  });
});
