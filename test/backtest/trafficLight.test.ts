import { describe, expect, it } from 'vitest';
import {
  BASEL_PLUS_FACTORS,
  BacktestInputError,
  trafficLight,
  trafficLightBoundaries,
} from '../../src/backtest/index.ts';
import type { TrafficLightZone } from '../../src/backtest/index.ts';
import { mathworksNormal95Series } from './mathworks.ts';
import { published, reference, relErr, sig } from './reference.ts';

/** methods.md §6.3, the BCBS 1996 table as printed there (cumulative probability in %, 2 decimals). */
const BASEL_TABLE_PERCENT = [8.11, 28.58, 54.32, 75.81, 89.22, 95.88, 98.63, 99.6, 99.89, 99.97, 99.99];

describe('traffic light', () => {
  it('reproduces the Basel 250 / 99 % table: cumulative probabilities to the printed digits, zones and plus factors', () => {
    for (const row of published.backtests.basel_table_250_99) {
      const r = trafficLight({ n: 250, x: row.exceptions }, 0.99);
      expect(Number((100 * r.cumulativeProbability).toFixed(2)), `x=${row.exceptions}`).toBe(BASEL_TABLE_PERCENT[row.exceptions]);
      expect(relErr(r.cumulativeProbability, row.cum_prob), `x=${row.exceptions}`).toBeLessThan(1e-14);
      expect(r.zone).toBe(row.zone);
      expect(r.plusFactor).toBe(row.plus_factor);
    }
    // "exact" values of methods.md §6.3: P(X <= 10) = 99.9946 %, P(X <= 11) = 99.9989 %
    expect(Number((100 * trafficLight({ n: 250, x: 10 }, 0.99).cumulativeProbability).toFixed(4))).toBe(99.9946);
    expect(Number((100 * trafficLight({ n: 250, x: 11 }, 0.99).cumulativeProbability).toFixed(4))).toBe(99.9989);
    expect(trafficLight({ n: 250, x: 30 }, 0.99)).toMatchObject({ zone: 'red', plusFactor: 1 });
    expect(trafficLightBoundaries(250, 0.99)).toEqual({ greenMax: 4, yellowMax: 9 });
    expect(BASEL_PLUS_FACTORS).toHaveLength(11);
  });

  it('reproduces the MathWorks example: P(X <= 57) 0.77913, TypeI P(X >= 57) 0.26396, green', () => {
    const v = published.backtests.traffic_light_mathworks;
    const r = trafficLight(mathworksNormal95Series(), 0.95);
    expect(r).toMatchObject({ n: v.N, x: v.x, zone: v.zone, plusFactor: null });
    expect(sig(r.cumulativeProbability, 5)).toBe(v.P_le_x);
    expect(sig(r.probabilityAtLeast, 5)).toBe(v.P_ge_x);
  });

  it('decides zones for any window and coverage exactly as the mpmath cumulative probabilities do', () => {
    const zoneOf = (cum: number): TrafficLightZone => (cum >= 0.9999 ? 'red' : cum >= 0.95 ? 'yellow' : 'green');
    let checked = 0;
    for (const c of reference.binomial) {
      const r = trafficLight({ n: c.n, x: c.x }, c.coverage);
      expect(r.zone, `n=${c.n} x=${c.x} coverage=${c.coverage}`).toBe(zoneOf(c.cdf));
      expect(Math.abs(r.cumulativeProbability - c.cdf)).toBeLessThan(1e-14 + 1e-13 * c.cdf);
      const b = r.boundaries;
      expect(r.zone).toBe(c.x <= b.greenMax ? 'green' : c.x <= b.yellowMax ? 'yellow' : 'red');
      checked++;
    }
    console.info(`traffic light: ${checked} (n, x, coverage) cases agree with mpmath zones`);
  });

  it('boundaries are where the zone changes (500/99 %, 1000/99 %, 250/97.5 %, 20000/97.5 %)', () => {
    for (const [n, coverage] of [[500, 0.99], [1000, 0.99], [250, 0.975], [20000, 0.975]] as const) {
      const { greenMax, yellowMax } = trafficLightBoundaries(n, coverage);
      expect(trafficLight({ n, x: greenMax }, coverage).zone).toBe('green');
      expect(trafficLight({ n, x: greenMax + 1 }, coverage).zone).toBe('yellow');
      expect(trafficLight({ n, x: yellowMax }, coverage).zone).toBe('yellow');
      expect(trafficLight({ n, x: yellowMax + 1 }, coverage).zone).toBe('red');
    }
    // scipy.stats.binom.cdf(k, 500, 0.01): k = 8 -> 0.93289, 9 -> 0.96890, 14 -> 0.999794, 15 -> 0.999939
    expect(trafficLightBoundaries(500, 0.99)).toEqual({ greenMax: 8, yellowMax: 14 });
  });

  it('short windows: with (1 - p)^n >= 95 % even zero exceptions is yellow (the rule read literally)', () => {
    expect(trafficLight({ n: 5, x: 0 }, 0.99).zone).toBe('yellow'); // 0.99^5 = 0.951
    expect(trafficLight({ n: 6, x: 0 }, 0.99).zone).toBe('green'); // 0.99^6 = 0.941
    expect(trafficLightBoundaries(5, 0.99).greenMax).toBe(-1);
    expect(trafficLight({ n: 3, x: 3 }, 0.99).zone).toBe('red');
  });

  it('custom thresholds and input errors', () => {
    expect(trafficLight({ n: 250, x: 5 }, 0.99, { yellow: 0.97, red: 0.999 }).zone).toBe('green');
    expect(trafficLight({ n: 250, x: 5 }, 0.99, { yellow: 0.97, red: 0.999 }).plusFactor).toBeNull();
    expect(() => trafficLight({ n: 250, x: 5 }, 0.99, { yellow: 0.99, red: 0.95 })).toThrow(/thresholds.red/);
    expect(() => trafficLight({ n: 250, x: 251 }, 0.99)).toThrow(BacktestInputError);
    expect(() => trafficLight({ n: 250, x: 1 }, -0.5)).toThrow(/coverage/);
    expect(() => trafficLightBoundaries(0, 0.99)).toThrow(/^n:/);
  });
});
