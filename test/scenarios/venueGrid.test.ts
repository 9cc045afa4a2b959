import { describe, expect, it } from 'vitest';
import {
  applyVolShift, expectValid, extendedScaling, validateDeribitGridModel, venueGridScenarios, ScenarioInputError, type DeribitGridModel,
} from '../../src/scenarios/index.ts';
import { readJson } from './helpers.ts';

const model: DeribitGridModel = expectValid(validateDeribitGridModel(readJson('models/scenarios/deribit-grid/1.0.0.json')), 'grid');

describe('venue grid (reference/margin-methods.md §1)', () => {
  const set = venueGridScenarios(model, { underlyings: ['BTC'] });

  it('27 standard scenarios (9 buckets incl. 0 x up/same/down) then 8 extended (vol up only), in the venue order', () => {
    expect(set.kind).toBe('venue-grid');
    expect(set.modelVersion).toBe('scenarios/deribit-grid@1.0.0');
    expect(set.seed).toBeUndefined();
    expect(set.scenarios).toHaveLength(35);
    const std = set.scenarios.slice(0, 27);
    const ext = set.scenarios.slice(27);
    expect(std.every((s) => s.tags.includes('standard'))).toBe(true);
    expect(ext.every((s) => s.tags.includes('extended') && s.tags.includes('vol:up'))).toBe(true);
    // bucket values +-0.16 k/4, k = -4..4, each three times (vol up, same, down)
    std.forEach((s, i) => {
      const k = Math.floor(i / 3) - 4;
      expect(s.spotReturns[0]).toBeCloseTo((0.16 * k) / 4, 15);
      expect(s.tags).toContain(['vol:up', 'vol:same', 'vol:down'][i % 3]);
      expect(s.tags).toContain(`bucket:${k + 5}`);
    });
    expect(std.filter((s) => s.spotReturns[0] === 0)).toHaveLength(3);
    expect(ext.map((s) => s.spotReturns[0])).toEqual([-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]);
    expect(Array.from(set.spotReturnMatrix.subarray(0, 3))).toEqual([-0.16, -0.16, -0.16]);
  });

  it('reproduces the venue published risk vector of an inverse perpetual (price order and extended scaling)', () => {
    // Deribit private/pme/simulate OpenAPI response example (BTC, model_params timestamp 1718619740501; cited in
    // margin-methods.md §1): BTC-PERPETUAL position 0.314538364 BTC, initial_risk_vectors.standard / .extended.
    // An inverse perpetual's coin P&L for a move m is q m / (1 + m) (scripts/reference/scenario_reference_values.py).
    const q = 0.314538364;
    const standardBuckets = [
      -0.05991206933333334, -0.04289159509090909, -0.027351162086956524, -0.013105765166666668, 0,
      0.012097629384615385, 0.023299138074074074, 0.033700538999999995, 0.043384601931034494,
    ];
    const extended = [-0.05991206933333334, -0.05991206933333334, 0.04338460193103449, 0.04338460193103449, 0.04338460193103449, 0.04338460193103449, 0.04338460193103449, 0.04338460193103449];
    const pnl = (m: number): number => (q * m) / (1 + m);
    set.scenarios.slice(0, 27).forEach((s, i) => expect(pnl(s.spotReturns[0] as number)).toBeCloseTo(standardBuckets[Math.floor(i / 3)] as number, 15));
    set.scenarios.slice(27).forEach((s, i) => expect(pnl(s.spotReturns[0] as number) * (s.weight as number)).toBeCloseTo(extended[i] as number, 15));
  });

  it('extended weights are the venue scaling factor (hand values) and standard weights are 1', () => {
    const hand = [0.098124098124098124, 0.38672438672438672, 0.41379310344827586, 0.27586206896551724, 0.20689655172413793, 0.18390804597701149, 0.17241379310344828, 0.16551724137931034];
    set.scenarios.slice(27).forEach((s, i) => expect(s.weight).toBeCloseTo(hand[i] as number, 15));
    expect(set.scenarios.slice(0, 27).every((s) => s.weight === 1)).toBe(true);
    expect(extendedScaling(model.currency_pairs['btc_usd']!, -0.66)).toBeCloseTo(hand[0] as number, 15);
    expect(set.weightMeaning).toBe('pnl-fraction');
  });

  it('vol rules: up / unchanged / down per bucket, applied to any expiry (DTE 1, 7, 30, 180)', () => {
    const [u, same, d] = set.scenarios.slice(12, 15); // bucket 0
    const hand = { 1: [1.4322573344016543, 0.18387133279917284], 7: [1.064224673163244, 0.36788766341837802], 30: [0.9, 0.45], 180: [0.83766300945883617, 0.48116849527058191] } as const;
    for (const [dte, [hu, hd]] of Object.entries(hand)) {
      const T = Number(dte) / 365;
      expect(applyVolShift(u!.volShifts[0]!, 0.6, T)).toBeCloseTo(hu, 14);
      expect(applyVolShift(same!.volShifts[0]!, 0.6, T)).toBe(0.6);
      expect(applyVolShift(d!.volShifts[0]!, 0.6, T)).toBeCloseTo(hd, 14);
    }
    // the extended scenarios use the same up rule
    expect(set.scenarios[30]!.volShifts[0]).toEqual(u!.volShifts[0]);
  });

  it('several underlyings move together by their pair ranges; unknown pairs are refused', () => {
    const two = venueGridScenarios(model, { underlyings: ['BTC', 'ETH'], pairs: { ETH: 'btc_usd' } });
    expect(two.underlyings).toEqual(['BTC', 'ETH']);
    expect(Array.from(two.scenarios[0]!.spotReturns)).toEqual([-0.16, -0.16]);
    expect(() => venueGridScenarios(model, { underlyings: ['ETH'] })).toThrow(ScenarioInputError);
    expect(() => venueGridScenarios(model, { underlyings: ['ETH'] })).toThrow(/pairs\.ETH/);
  });

  it('is deterministic: two builds are identical', () => {
    expect(venueGridScenarios(model, { underlyings: ['BTC'] })).toEqual(set);
    expect(Object.isFrozen(set) && Object.isFrozen(set.scenarios) && Object.isFrozen(set.scenarios[0])).toBe(true);
  });
});
