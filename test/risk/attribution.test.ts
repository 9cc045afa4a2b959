/**
 * Attribution: the waterfall effects sum exactly to the change (in cents) for every seeded case, each effect is the
 * margin difference its swap causes, uncovered changes surface as 'unexplained', and the worst-scenario drivers sum
 * to the account's P&L there.
 */
import { describe, expect, it } from 'vitest';
import { attributeMarginChange, AttributionError, worstScenarioDrivers } from '../../src/risk/attribution/index.ts';
import { createRng } from '../../src/math/index.ts';

interface Calib { surfaceVol: number; scenarioMove: number; addOnRate: number; notional: number }
/** A toy margin: scanning loss of a short-vol book plus an add-on; nonlinear in every part. */
function margin(c: Calib): number {
  const scan = c.notional * (c.scenarioMove * c.scenarioMove * 0.5 + c.surfaceVol * c.scenarioMove);
  return scan * (1 + c.addOnRate);
}
const steps = [
  { name: 'surface', swap: (cur: Calib, post: Calib): Calib => ({ ...cur, surfaceVol: post.surfaceVol }) },
  { name: 'scenarios', swap: (cur: Calib, post: Calib): Calib => ({ ...cur, scenarioMove: post.scenarioMove }) },
  { name: 'addOns', swap: (cur: Calib, post: Calib): Calib => ({ ...cur, addOnRate: post.addOnRate }) },
];

describe('attributeMarginChange', () => {
  it('effects sum exactly to the change, to the cent, on 2000 seeded cases', () => {
    const rng = createRng('attribution');
    for (let i = 0; i < 2000; i++) {
      const notional = 10 ** (2 + 6 * rng.nextFloat64());
      const pre = { surfaceVol: 0.5 + rng.nextFloat64(), scenarioMove: 0.1 + 0.2 * rng.nextFloat64(), addOnRate: 0, notional };
      const post = { surfaceVol: pre.surfaceVol * (1 + rng.nextFloat64()), scenarioMove: pre.scenarioMove * 1.3, addOnRate: 0.1 * rng.nextFloat64(), notional };
      const a = attributeMarginChange(pre, post, margin, steps);
      const sumCents = a.effects.reduce((s, e) => s + Math.round(e.amount * 100), 0);
      expect(sumCents).toBe(Math.round(a.change * 100));
      expect(Math.round((a.after - a.before) * 100)).toBe(Math.round(a.change * 100));
      expect(a.effects.map((e) => e.name)).toEqual(['surface', 'scenarios', 'addOns']);
      expect(Math.abs(a.after - margin(post))).toBeLessThanOrEqual(0.005 + 1e-9 * margin(post));
    }
  });
  it('each effect is the margin difference its swap causes (hand-computed case)', () => {
    const pre = { surfaceVol: 0.6, scenarioMove: 0.15, addOnRate: 0, notional: 1_000_000 };
    const post = { surfaceVol: 1.2, scenarioMove: 0.2, addOnRate: 0.05, notional: 1_000_000 };
    // pre: 1e6 (0.01125 + 0.09) = 101250; after surface: 1e6 (0.01125 + 0.18) = 191250;
    // after scenarios: 1e6 (0.02 + 0.24) = 260000; after add-ons: 273000
    const a = attributeMarginChange(pre, post, margin, steps);
    expect(a.before).toBe(101250);
    expect(a.effects).toEqual([
      { name: 'surface', amount: 90000 }, { name: 'scenarios', amount: 68750 }, { name: 'addOns', amount: 13000 },
    ]);
    expect(a.change).toBe(171750);
  });
  it('a part the steps do not cover shows as unexplained; a non-finite margin is an error', () => {
    const pre = { surfaceVol: 0.6, scenarioMove: 0.15, addOnRate: 0, notional: 1_000_000 };
    const post = { ...pre, notional: 2_000_000 };
    const a = attributeMarginChange(pre, post, margin, steps);
    expect(a.effects.at(-1)).toEqual({ name: 'unexplained', amount: 101250 });
    expect(() => attributeMarginChange(pre, { ...post, surfaceVol: Number.NaN }, margin, steps)).toThrow(AttributionError);
  });
});

describe('worstScenarioDrivers', () => {
  it('finds the worst scenario and contributions that sum to its P&L', () => {
    // 3 instruments x 4 scenarios, P&L per unit
    const matrix = Float64Array.of(
      1, -2, 3, 0.5,
      -1, -4, 2, 0,
      0.5, 1, -6, 0,
    );
    const instruments = [0, 1, 2];
    const quantities = [2, 1, 0.5];
    const account = new Float64Array(4);
    for (let j = 0; j < 4; j++) for (let p = 0; p < 3; p++) account[j]! += quantities[p]! * matrix[instruments[p]! * 4 + j]!;
    const w = worstScenarioDrivers(account, instruments, quantities, matrix, 4, 2);
    expect(w.scenario).toBe(1); // P&L per scenario: 1.25, -7.5, 5, 1
    expect(w.pnl).toBe(-7.5);
    expect(w.drivers.map((d) => [d.position, d.pnl])).toEqual([[0, -4], [1, -4]]);
    const all = worstScenarioDrivers(account, instruments, quantities, matrix, 4, 10);
    expect(all.drivers.reduce((s, d) => s + d.pnl, 0)).toBe(w.pnl);
  });
  it('no scenarios gives scenario -1', () => {
    expect(worstScenarioDrivers(new Float64Array(0), [], [], new Float64Array(0), 0).scenario).toBe(-1);
  });
});
