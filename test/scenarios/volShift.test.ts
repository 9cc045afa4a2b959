import { describe, expect, it } from 'vitest';
import {
  applyVolShift, applyVolShiftArray, NO_VOL_SHIFT, ScenarioInputError, termScaleFactor, validateVolShiftRule, type VolShiftRule,
} from '../../src/scenarios/index.ts';

// Venue up/down rules of models/scenarios/deribit-grid/1.0.0.json (btc_usd).
const up = { kind: 'term-scaled', shift: 0.5, power: 0.3, longTermPower: 0.13, referenceDays: 30, floorDays: 1, minBaseVol: 0.5 } as const;
const down = { kind: 'term-scaled', shift: -0.25, power: 0.3, longTermPower: 0.13, referenceDays: 30, floorDays: 1 } as const;
const years = (days: number): number => days / 365;

// Hand values from scripts/reference/scenario_reference_values.py (mpmath, 30 digits, formula of
// reference/margin-methods.md §1: sigma (1 + R (30 / max(DTE, floor))^p), base floored at min_volatility_for_shock_up).
const HAND: ReadonlyArray<{ dte: number; factor: number; up06: number; down06: number; up03: number; down03: number }> = [
  { dte: 0.25, factor: 2.7741911146721811, up06: 1.4322573344016543, down06: 0.18387133279917284, up03: 0.99354777866804527, down03: 0.091935666399586418 },
  { dte: 1, factor: 2.7741911146721811, up06: 1.4322573344016543, down06: 0.18387133279917284, up03: 0.99354777866804527, down03: 0.091935666399586418 },
  { dte: 7, factor: 1.5474155772108132, up06: 1.064224673163244, down06: 0.36788766341837802, up03: 0.6868538943027033, down03: 0.18394383170918901 },
  { dte: 30, factor: 1, up06: 0.9, down06: 0.45, up03: 0.55, down03: 0.225 },
  { dte: 180, factor: 0.79221003152945392, up06: 0.83766300945883617, down06: 0.48116849527058191, up03: 0.49805250788236348, down03: 0.24058424763529096 },
];

describe('applyVolShift: the venue vol-shock pattern against hand-computed values', () => {
  it.each(HAND)('DTE $dte days (floor 1 day; short power up to 30 days, long beyond)', (h) => {
    expect(termScaleFactor(up, h.dte)).toBeCloseTo(h.factor, 14);
    expect(applyVolShift(up, 0.6, years(h.dte))).toBeCloseTo(h.up06, 14);
    expect(applyVolShift(down, 0.6, years(h.dte))).toBeCloseTo(h.down06, 14);
    // sigma 0.3 < min_volatility_for_shock_up 0.5: the up shock is computed on 0.5, the down shock on 0.3
    expect(applyVolShift(up, 0.3, years(h.dte))).toBeCloseTo(h.up03, 14);
    expect(applyVolShift(down, 0.3, years(h.dte))).toBeCloseTo(h.down03, 14);
  });

  it('the DTE floor makes every expiry under one day shock like one day; the factor is continuous at 30 days', () => {
    expect(applyVolShift(up, 0.6, years(0.01))).toBe(applyVolShift(up, 0.6, years(1)));
    expect(termScaleFactor(up, 30 - 1e-9)).toBeCloseTo(termScaleFactor(up, 30 + 1e-9), 9);
  });

  it('parallel, relative and term-structure rules; results floored at 0', () => {
    expect(applyVolShift({ kind: 'parallel', shift: 0.1 }, 0.5, 0.1)).toBeCloseTo(0.6, 15);
    expect(applyVolShift({ kind: 'parallel', shift: -0.7 }, 0.5, 0.1)).toBe(0);
    expect(applyVolShift({ kind: 'relative', factor: 1.5 }, 0.4, 2)).toBeCloseTo(0.6, 15);
    expect(applyVolShift(NO_VOL_SHIFT, 0.45, 0.3)).toBe(0.45);
    const ts: VolShiftRule = { kind: 'term-structure', mode: 'absolute', tenorDays: [1, 7, 30], values: [0.8, 0.4, 0.1] };
    expect(applyVolShift(ts, 0.5, years(0.5))).toBeCloseTo(1.3, 15); // flat before the first tenor
    expect(applyVolShift(ts, 0.5, years(4))).toBeCloseTo(0.5 + 0.6, 15); // halfway 1..7
    expect(applyVolShift(ts, 0.5, years(365))).toBeCloseTo(0.6, 15); // flat after the last
    const rel: VolShiftRule = { kind: 'term-structure', mode: 'relative', tenorDays: [10], values: [2] };
    expect(applyVolShift(rel, 0.3, 1)).toBeCloseTo(0.6, 15);
    expect(applyVolShift(up, Number.NaN, 0.1)).toBeNaN();
  });

  it('the array kernel equals the scalar function and writes into a given buffer', () => {
    const vols = [0.2, 0.5, 0.9, 1.4];
    const t = [years(1), years(7), years(60), years(365)];
    const out = new Float64Array(4);
    expect(applyVolShiftArray(up, vols, t, out)).toBe(out);
    expect(Array.from(out)).toEqual(vols.map((v, i) => applyVolShift(up, v, t[i] as number)));
  });

  it('validateVolShiftRule names the bad field', () => {
    expect(() => validateVolShiftRule({ kind: 'relative', factor: -1 }, 'r')).toThrow(ScenarioInputError);
    expect(() => validateVolShiftRule({ kind: 'relative', factor: -1 }, 'r')).toThrow(/r\.factor/);
    expect(() => validateVolShiftRule({ ...down, floorDays: 0 }, 'x')).toThrow(/x\.floorDays/);
    expect(() => validateVolShiftRule({ kind: 'term-structure', mode: 'absolute', tenorDays: [5, 5], values: [0, 0] }, 'v')).toThrow(/v\.tenorDays\[1\]/);
    expect(() => validateVolShiftRule({ kind: 'bump' } as never, 'v')).toThrow(/v\.kind/);
  });
});
