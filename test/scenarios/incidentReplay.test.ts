import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePerpetualFuturesCsv } from '../../src/market/index.ts';
import {
  applyVolShift, dailyCloseObservations, expectValid, futuresMarkObservations, incidentReplayScenarios, validateIncidentReplayModel,
  type IncidentReplayModel,
} from '../../src/scenarios/index.ts';
import { atmTermStructure, cryptoDailySeries, drawdownIncident, readJson, repoPath } from './helpers.ts';

const model = expectValid(validateIncidentReplayModel(readJson('models/scenarios/incident-replay/1.0.0.json')), 'replay');
const incident = drawdownIncident();
const perpFile = 'fixtures/market/deribit_2025_2026/perpetual_futures_prices.csv';
const marks = parsePerpetualFuturesCsv(readFileSync(repoPath(perpFile), 'utf8'), { file: perpFile }).rows;
const before = { BTC: atmTermStructure('20260204T213308Z', 'BTC'), ETH: atmTermStructure('20260204T213308Z', 'ETH') };
const after = { BTC: atmTermStructure('20260205T212937Z', 'BTC'), ETH: atmTermStructure('20260205T212937Z', 'ETH') };

describe('incident replay of the 2026-02-05 drawdown', () => {
  const set = incidentReplayScenarios(incident, model, {
    underlyings: ['BTC', 'ETH', 'SOL'], observations: futuresMarkObservations(marks), atmBefore: before, atmAfter: after,
  });
  const s = set.scenarios[0]!;

  it('spot moves observed across the window on the perpetual marks (73,083 -> 63,844.5; 2,143.35 -> 1,876.25)', () => {
    expect(set.scenarios).toHaveLength(1);
    expect(s.id).toBe('replay:2026-02-05-drawdown');
    expect(s.spotReturns[0]).toBeCloseTo(63844.5 / 73083 - 1, 15); // -12.64 %
    expect(s.spotReturns[1]).toBeCloseTo(1876.25 / 2143.35 - 1, 15); // -12.46 %
    expect(s.tags).toEqual(['incident:2026-02-05-drawdown', 'affected:BTC', 'affected:ETH']);
    // SOL has no perpetual mark: a per-underlying result, not a crash
    expect(s.spotReturns[2]).toBe(0);
    expect(set.details['unobserved']).toEqual([{ asset: 'SOL', reason: 'no observation at or before the start' }]);
    expect(set.details['volUnchanged']).toEqual(['SOL']);
  });

  it('ATM-vol change from the before/after snapshots, applied at any expiry', () => {
    // the two snapshots' nearest-to-forward mark IVs (test helper): BTC front 0.668 -> 1.481, 1 year 0.505 -> 0.550
    const btcRule = s.volShifts[0]!;
    expect(btcRule.kind).toBe('term-structure');
    // at the after-snapshot's own tenors the shifted before-vol equals the after-vol
    after.BTC.tenorDays.forEach((d, i) => {
      const beforeVol = interpolate(before.BTC, d);
      expect(applyVolShift(btcRule, beforeVol, d / 365)).toBeCloseTo(after.BTC.vols[i] as number, 12);
    });
    const frontChange = applyVolShift(btcRule, 0, 1 / 365);
    const yearChange = applyVolShift(s.volShifts[0]!, 0.5, 323 / 365) - 0.5;
    expect(frontChange).toBeGreaterThan(0.5); // +50 vol points or more at the front
    expect(yearChange).toBeGreaterThan(0.02);
    expect(yearChange).toBeLessThan(0.1);
    // ETH's front move is larger still (0.96 -> 1.75)
    expect(applyVolShift(s.volShifts[1]!, 0, 0.5 / 365)).toBeGreaterThan(0.7);
  });

  it('from daily closes: the covering closes are 2026-02-03 and 2026-02-05 (-16.97 % for BTC); nearest gives -14.0 %', () => {
    const obs = dailyCloseObservations(cryptoDailySeries());
    const cover = incidentReplayScenarios(incident, model, { underlyings: ['BTC', 'ETH', 'SOL'], observations: obs });
    expect(cover.scenarios[0]!.spotReturns[0]).toBeCloseTo(62909.86 / 75770.21 - 1, 15);
    expect((cover.details['unobserved'] as unknown[]).length).toBe(0);
    const nearest: IncidentReplayModel = { ...model, pick: 'nearest' };
    const near = incidentReplayScenarios(incident, nearest, { underlyings: ['BTC'], observations: obs });
    expect(near.scenarios[0]!.spotReturns[0]).toBeCloseTo(62909.86 / 73165.83 - 1, 15);
  });

  it('refuses observations too far from the window edges; deterministic', () => {
    const far = incidentReplayScenarios(incident, { ...model, max_observation_gap_days: 0.1 }, { underlyings: ['BTC'], observations: dailyCloseObservations(cryptoDailySeries()) });
    expect(far.scenarios[0]!.spotReturns[0]).toBe(0);
    expect((far.details['unobserved'] as Array<{ reason: string }>)[0]!.reason).toMatch(/days from the window edges/);
    expect(incidentReplayScenarios(incident, model, { underlyings: ['BTC', 'ETH', 'SOL'], observations: futuresMarkObservations(marks), atmBefore: before, atmAfter: after })).toEqual(set);
    const bad = { tenorDays: [1, 7], vols: [0.5, -0.1] };
    expect(() => incidentReplayScenarios(incident, model, { underlyings: ['BTC'], observations: [], atmBefore: { BTC: bad }, atmAfter: { BTC: bad } })).toThrow(/atmBefore\.BTC\.vols\[1\]/);
  });
});

function interpolate(ts: { tenorDays: readonly number[]; vols: readonly number[] }, d: number): number {
  const t = ts.tenorDays;
  if (d <= (t[0] as number)) return ts.vols[0] as number;
  if (d >= (t[t.length - 1] as number)) return ts.vols[t.length - 1] as number;
  let k = 1;
  while ((t[k] as number) < d) k++;
  const w = (d - (t[k - 1] as number)) / ((t[k] as number) - (t[k - 1] as number));
  return (ts.vols[k - 1] as number) * (1 - w) + (ts.vols[k] as number) * w;
}
