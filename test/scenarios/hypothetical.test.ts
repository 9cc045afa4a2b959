import { describe, expect, it } from 'vitest';
import { applyVolShift, expectValid, hypotheticalScenarios, validateHypotheticalModel, ScenarioInputError } from '../../src/scenarios/index.ts';
import { readJson } from './helpers.ts';

const model = expectValid(validateHypotheticalModel(readJson('models/scenarios/hypothetical/1.0.0.json')), 'hypothetical');

describe('hypothetical named stresses (models/scenarios/hypothetical/1.0.0.json)', () => {
  const set = hypotheticalScenarios(model, { underlyings: ['BTC', 'ETH', 'SOL'], affected: ['BTC', 'ETH'], dailyVolatility: { BTC: 0.03, ETH: 0.04 } });
  const byId = new Map(set.scenarios.map((s) => [s.id, s]));
  const get = (id: string) => {
    const s = byId.get(id);
    if (s === undefined) throw new Error(`no scenario ${id}`);
    return s;
  };
  const vol = (id: string, k: number, base = 0.5, T = 30 / 365): number => applyVolShift(get(id).volShifts[k]!, base, T);

  it('lists the scenarios of every template; the depegged stablecoin joins the underlyings', () => {
    expect(set.underlyings).toEqual(['BTC', 'ETH', 'SOL', 'USDT']);
    expect(set.scenarios.map((s) => s.id)).toEqual([
      'venue-hack:BTC', 'venue-hack:ETH',
      'oracle-manipulation:BTC:down', 'oracle-manipulation:BTC:up', 'oracle-manipulation:ETH:down', 'oracle-manipulation:ETH:up',
      'stablecoin-depeg', 'correlation-one', 'vol-spike',
    ]);
    expect(set.modelVersion).toBe('scenarios/hypothetical@1.0.0');
  });

  it('venue hack: the affected coin -25 % and +30 vol points, the others -8 % and +10, the stablecoin pegged', () => {
    expect(Array.from(get('venue-hack:ETH').spotReturns)).toEqual([-0.08, -0.25, -0.08, 0]);
    expect([vol('venue-hack:ETH', 0), vol('venue-hack:ETH', 1), vol('venue-hack:ETH', 3)].map((v) => Number(v.toFixed(12)))).toEqual([0.6, 0.8, 0.5]);
    expect(get('venue-hack:ETH').tags).toEqual(['hypothetical:venue-hack', 'affected:ETH']);
  });

  it('oracle manipulation: one asset moved both ways, nothing else', () => {
    expect(Array.from(get('oracle-manipulation:BTC:down').spotReturns)).toEqual([-0.3, 0, 0, 0]);
    expect(Array.from(get('oracle-manipulation:BTC:up').spotReturns)).toEqual([0.3, -0, -0, 0]);
    expect(vol('oracle-manipulation:BTC:up', 0)).toBe(0.5);
  });

  it('stablecoin depeg: USDT -10 %, crypto -5 % with +10 vol points', () => {
    expect(Array.from(get('stablecoin-depeg').spotReturns)).toEqual([-0.05, -0.05, -0.05, -0.1]);
    expect(vol('stablecoin-depeg', 3)).toBe(0.5);
  });

  it('correlation to one: all assets fall by 4 of their own daily sd over 2 days (fallback without a vol)', () => {
    const s = get('correlation-one');
    expect(s.spotReturns[0]).toBeCloseTo(Math.expm1(-4 * 0.03 * Math.SQRT2), 15);
    expect(s.spotReturns[1]).toBeCloseTo(Math.expm1(-4 * 0.04 * Math.SQRT2), 15);
    expect(s.spotReturns[2]).toBe(-0.2);
    expect(s.spotReturns[3]).toBe(0);
    expect(s.timeStepDays).toBe(2);
    expect(s.spotReturns.slice(0, 3).every((r) => r < 0)).toBe(true);
  });

  it('vol spike: the term-scaled rule moves front expiries most', () => {
    const front = vol('vol-spike', 0, 0.5, 1 / 365);
    const month = vol('vol-spike', 0, 0.5, 30 / 365);
    const year = vol('vol-spike', 0, 0.5, 1);
    expect(month).toBeCloseTo(0.8, 14);
    expect(front).toBeCloseTo(0.5 * (1 + 0.6 * 30 ** 0.3), 14);
    expect(front > month && month > year).toBe(true);
    expect(get('vol-spike').spotReturns[0]).toBe(-0.05);
  });

  it('defaults to every risky underlying as affected; rejects an unknown affected asset; deterministic', () => {
    const all = hypotheticalScenarios(model, { underlyings: ['BTC', 'DOGE'] });
    expect(all.scenarios.filter((s) => s.id.startsWith('venue-hack:')).map((s) => s.id)).toEqual(['venue-hack:BTC', 'venue-hack:DOGE']);
    expect(() => hypotheticalScenarios(model, { underlyings: ['BTC'], affected: ['XRP'] })).toThrow(ScenarioInputError);
    expect(hypotheticalScenarios(model, { underlyings: ['BTC', 'ETH', 'SOL'], affected: ['BTC', 'ETH'], dailyVolatility: { BTC: 0.03, ETH: 0.04 } })).toEqual(set);
  });
});
