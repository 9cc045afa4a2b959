import { describe, expect, it } from 'vitest';
import { createReturnsPanel } from '../../src/market/returns/index.ts';
import { historicalScenarios, validateHistoricalModel, type HistoricalModel } from '../../src/scenarios/index.ts';

// 40 daily rows 2026-01-01 .. 2026-02-09 of two assets with known log returns
const dates = Array.from({ length: 40 }, (_, t) => new Date(Date.UTC(2026, 0, 1 + t)).toISOString().slice(0, 10));
const rA = (t: number): number => 0.01 * Math.sin(t + 1) + (t === 3 ? -0.2 : 0);
const rB = (t: number): number => 0.02 * Math.cos(2 * t) + (t === 3 ? -0.25 : 0);
const weights = dates.map((_, t) => (t === 30 ? 0.5 : 1));
const panel = createReturnsPanel({ dates, assets: ['A', 'B'], returns: dates.map((_, t) => [rA(t), rB(t)]), weights });

const model = (over: Partial<HistoricalModel> = {}): HistoricalModel => ({
  model: 'scenarios/historical', version: '1.0.0', description: 'test', lookback_days: 10, mpor_days: 1, mpor_scaling: 'overlapping',
  stress_periods: [{ name: 'early-crash', from: dates[2] as string, to: dates[4] as string }, { name: 'future', from: dates[36] as string, to: dates[38] as string }],
  ...over,
});

describe('historical simulation', () => {
  it('lookback rows plus stress periods outside the lookback, never rows after the as-of date', () => {
    const set = historicalScenarios(panel, model(), { asOf: dates[34] as string });
    const ids = set.scenarios.map((s) => s.id);
    // lookback = rows 25..34; stress rows 2, 3, 4 added; the 'future' period (rows 36..38) is after asOf
    expect(ids).toEqual([2, 3, 4, ...Array.from({ length: 10 }, (_, k) => 25 + k)].map((t) => `hs:${dates[t]}`));
    expect(set.scenarios[1]!.tags).toEqual(['stress:early-crash']);
    expect(set.scenarios[3]!.tags).toEqual(['lookback']);
    expect(set.details['stressPeriods']).toEqual([
      { name: 'early-crash', from: dates[2], to: dates[4], rows: 3 },
      { name: 'future', from: dates[36], to: dates[38], rows: 0 },
    ]);
    // joint moves of the same date; simple returns = expm1(log return)
    expect(Array.from(set.scenarios[1]!.spotReturns)).toEqual([Math.expm1(rA(3)), Math.expm1(rB(3))]);
    expect(set.scenarios.every((s) => s.volShifts.every((v) => v.kind === 'parallel' && v.shift === 0))).toBe(true);
  });

  it('a stress period inside the lookback does not duplicate rows; downweighted rows keep their weight', () => {
    const set = historicalScenarios(panel, model({ stress_periods: [{ name: 'recent', from: dates[30] as string, to: dates[31] as string }] }), { asOf: dates[34] as string });
    expect(set.scenarios).toHaveLength(10);
    const s30 = set.scenarios.find((s) => s.id === `hs:${dates[30]}`)!;
    expect(s30.tags).toEqual(['lookback', 'stress:recent']);
    expect(s30.weight).toBe(0.5);
    expect(set.weightMeaning).toBe('probability');
  });

  it('MPOR: overlapping h-day sums or sqrt(h) scaling', () => {
    const over = historicalScenarios(panel, model({ mpor_days: 4 }), { asOf: dates[34] as string });
    const s = over.scenarios.find((x) => x.id === `hs:${dates[30]}`)!;
    expect(s.spotReturns[0]).toBeCloseTo(Math.expm1(rA(27) + rA(28) + rA(29) + rA(30)), 15);
    expect(s.weight).toBe(0.5); // smallest weight in the window
    expect(s.timeStepDays).toBe(4);
    // the stress row 2 has only 2 rows before it: no 4-day window, skipped and recorded
    expect(over.details['skipped']).toEqual([{ date: dates[2], reason: 'fewer than 4 rows before it' }]);
    const sq = historicalScenarios(panel, model({ mpor_days: 4, mpor_scaling: 'sqrt' }), { asOf: dates[34] as string });
    expect(sq.scenarios.find((x) => x.id === `hs:${dates[3]}`)!.spotReturns[1]).toBeCloseTo(Math.expm1(2 * rB(3)), 15);
  });

  it('extra and panel stress periods are merged; the model is validated', () => {
    const set = historicalScenarios({ ...panel, stressPeriods: [{ name: 'incident', from: dates[10] as string, to: dates[10] as string, dates: [dates[10] as string] }] }, model({ stress_periods: [] }), {
      asOf: dates[34] as string, stressPeriods: [{ name: 'extra', from: dates[0] as string, to: dates[0] as string }],
    });
    expect(set.scenarios.slice(0, 2).map((s) => s.tags)).toEqual([['stress:extra'], ['stress:incident']]);
    expect(() => historicalScenarios(panel, model({ lookback_days: 0 }))).toThrow(/lookback_days/);
    expect(validateHistoricalModel({ ...model(), mpor_scaling: 'bootstrap' }).ok).toBe(false);
  });
});
