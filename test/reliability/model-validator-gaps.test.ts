/**
 * Bugs the model fuzz found (issue 10, part 1), now fixed: the validators reject duplicate directions, a horizon_days
 * above 365, an mpor_days above 30 or above lookback_days; a history too short for one MPOR window is a clear error.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createReturnsPanel } from '../../src/market/returns/index.ts';
import {
  historicalScenarios, hypotheticalScenarios, validateHistoricalModel, validateHypotheticalModel,
} from '../../src/scenarios/index.ts';

const hypothetical = (): { stresses: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(fileURLToPath(new URL('../../models/scenarios/hypothetical/1.0.0.json', import.meta.url)), 'utf8')) as { stresses: Record<string, unknown>[] };
const OPTIONS = { underlyings: ['BTC', 'ETH', 'SOL'], affected: ['BTC', 'ETH'], dailyVolatility: { BTC: 0.03, ETH: 0.04 } };

const dates = Array.from({ length: 40 }, (_, t) => new Date(Date.UTC(2026, 0, 1 + t)).toISOString().slice(0, 10));
const panel = createReturnsPanel({ dates, assets: ['A', 'B'], returns: dates.map((_, t) => [0.01 * Math.sin(t), 0.02 * Math.cos(t)]), weights: dates.map(() => 1) });
const historical = (over: Record<string, unknown>): unknown => ({
  model: 'scenarios/historical', version: '1.0.0', description: 't', lookback_days: 10, mpor_days: 1, mpor_scaling: 'overlapping', stress_periods: [], ...over,
});

describe('model validators reject what the generators cannot use (bugs found by the fuzz, fixed)', () => {
  // BUG: stresses[1].directions = [-1, -1] passes validateHypotheticalModel; hypotheticalScenarios then throws
  // ScenarioInputError "scenarios[3].id: expected a unique non-empty id (got "oracle-manipulation:BTC:up")".
  it('hypothetical: duplicate directions are rejected at stresses[1].directions', () => {
    const m = hypothetical();
    (m.stresses[1] as Record<string, unknown>)['directions'] = [-1, -1];
    const r = validateHypotheticalModel(m);
    if (r.ok) expect(() => hypotheticalScenarios(r.value, OPTIONS)).not.toThrow();
    expect(r.ok).toBe(false);
  });

  // BUG: stresses[3].horizon_days = 1e308 passes; hypotheticalScenarios throws "scenarios[7].spotReturns[0]: expected
  // a finite simple return > -1 (got -1)", naming no model field.
  it('hypothetical: an absurd horizon_days is rejected at stresses[3].horizon_days', () => {
    const m = hypothetical();
    (m.stresses[3] as Record<string, unknown>)['horizon_days'] = 1e308;
    const r = validateHypotheticalModel(m);
    if (r.ok) expect(() => hypotheticalScenarios(r.value, OPTIONS)).not.toThrow();
    expect(r.ok).toBe(false);
  });

  // BUG: mpor_days = 1e308 passes validateHistoricalModel; with mpor_scaling 'sqrt' historicalScenarios throws
  // "scenarios[0].spotReturns[0]: expected a finite simple return > -1 (got -1)".
  it('historical: an absurd mpor_days (sqrt scaling) is rejected at mpor_days', () => {
    const r = validateHistoricalModel(historical({ mpor_days: 1e308, mpor_scaling: 'sqrt' }));
    if (r.ok) expect(() => historicalScenarios(panel, r.value, { asOf: dates[34] as string })).not.toThrow();
    expect(r.ok).toBe(false);
  });

  // BUG: mpor_days longer than the history (39 or 1e308 here, 'overlapping') passes and historicalScenarios silently
  // returns a set with 0 scenarios (no failure, no flag).
  it('historical: an mpor_days longer than the history up to asOf is a clear error naming asOf, never an empty set', () => {
    const r = validateHistoricalModel(historical({ lookback_days: 30, mpor_days: 30 }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(() => historicalScenarios(panel, r.value, { asOf: dates[20] as string })).toThrow(/asOf.*no 30-day window/);
    const tooLong = validateHistoricalModel(historical({ mpor_days: 1e308 }));
    expect(tooLong.ok).toBe(false);
  });
});
