import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import type { Rng } from '../../src/math/index.ts';
import {
  BacktestInputError,
  acerbiSzekelyZ2,
  acerbiSzekelyZ2Test,
  normalTail,
  simulateZ2,
  studentTTail,
} from '../../src/backtest/index.ts';
import type { EsBacktestInput } from '../../src/backtest/index.ts';
import { published } from './reference.ts';

const mc = published.backtests.acerbi_szekely_Z2_mc;

/** T days of a constant zero-mean forecast at alpha = 2.5 % (VaR/ES of the standard normal or t3). */
function constantForecast(T: number, tail: { valueAtRisk: number; expectedShortfall: number }): EsBacktestInput {
  return {
    pnl: new Float64Array(T),
    valueAtRisk: new Float64Array(T).fill(tail.valueAtRisk),
    expectedShortfall: new Float64Array(T).fill(tail.expectedShortfall),
    coverage: 0.975,
  };
}

const valueAt = (r: { criticalValues: readonly { level: number; value: number }[] }, level: number): number => {
  const c = r.criticalValues.find((v) => v.level === level);
  if (c === undefined) throw new Error(`no level ${level}`);
  return c.value;
};

describe('Acerbi-Szekely Z2 statistic', () => {
  it('is sum X_t I_t / (T alpha ES_t) + 1 on a hand-made example', () => {
    // alpha = 0.25, T = 4: day 1 and day 3 breach VaR (X + VaR < 0); day 2 exactly at -VaR does not
    const z = acerbiSzekelyZ2({ pnl: [1, -3, -2, -5], valueAtRisk: [2, 2, 2, 4], expectedShortfall: [3, 3, 3, 6], coverage: 0.75 });
    expect(z.exceptions).toBe(2);
    expect(z.statistic).toBeCloseTo((-3 / 3 + -5 / 6) / (4 * 0.25) + 1, 15);
    expect(z.alpha).toBe(0.25);
    expect(acerbiSzekelyZ2({ pnl: [1, 2], valueAtRisk: [1, 1], expectedShortfall: [2, 2], coverage: 0.975 }).statistic).toBe(1);
  });

  it('is invariant to a common rescaling of P&L, VaR and ES', () => {
    const base = { pnl: [0.5, -2.5, -1, -4], valueAtRisk: [2, 2, 1.5, 3], expectedShortfall: [2.6, 2.6, 2, 3.9], coverage: 0.9 };
    const scaled = { ...base, pnl: base.pnl.map((v) => 1e4 * v), valueAtRisk: base.valueAtRisk.map((v) => 1e4 * v), expectedShortfall: base.expectedShortfall.map((v) => 1e4 * v) };
    expect(acerbiSzekelyZ2(scaled).statistic).toBeCloseTo(acerbiSzekelyZ2(base).statistic, 13);
  });

  it('rejects bad input naming the field', () => {
    expect(() => acerbiSzekelyZ2({ pnl: [1, 2], valueAtRisk: [1], expectedShortfall: [2, 2], coverage: 0.975 })).toThrow(/valueAtRisk.length/);
    expect(() => acerbiSzekelyZ2({ pnl: [1, Number.NaN], valueAtRisk: [1, 1], expectedShortfall: [2, 2], coverage: 0.975 })).toThrow(/pnl\[1\]/);
    expect(() => acerbiSzekelyZ2({ pnl: [1, 2], valueAtRisk: [1, 1], expectedShortfall: [2, 0], coverage: 0.975 })).toThrow(/expectedShortfall\[1\]/);
    expect(() => acerbiSzekelyZ2({ pnl: [], valueAtRisk: [], expectedShortfall: [], coverage: 0.975 })).toThrow(BacktestInputError);
    expect(() => acerbiSzekelyZ2({ pnl: [1], valueAtRisk: [1], expectedShortfall: [2], coverage: 2.5 })).toThrow(/coverage/);
  });
});

describe('Acerbi-Szekely Z2 test with seeded simulated critical values', () => {
  // Monte Carlo tolerances: about 4 standard deviations of the estimator at that M, measured over 8 seeds
  // (T = 250 normal, M = 100 000: sd 0.0026 / 0.0061 / 0.032 at 5 % / 1 % / 0.01 %), plus the published
  // figure's own rounding or Monte Carlo error.
  it('T = 250, alpha = 2.5 %, normal: critical values near the paper (-0.70 at 5 %, -1.8 at 0.01 %) and the note (-0.7022, -1.0390, -1.7717)', () => {
    const input = constantForecast(250, normalTail(0.025));
    const r = acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, simulations: 100000, seed: 1, levels: [0.05, 0.01, 0.0001] });
    console.info(`Z2 T=250 normal, M=100000, seed 1: ${r.criticalValues.map((c) => `${c.level}: ${c.value.toFixed(4)}`).join(', ')}; mean ${r.simulatedMean.toFixed(4)}`);
    expect(Math.abs(valueAt(r, 0.05) - -0.7)).toBeLessThan(0.015);
    expect(Math.abs(valueAt(r, 0.05) - mc.T250_normal.q5)).toBeLessThan(0.012);
    expect(Math.abs(valueAt(r, 0.01) - mc.T250_normal.q1)).toBeLessThan(0.025);
    expect(Math.abs(valueAt(r, 0.0001) - -1.8)).toBeLessThan(0.15);
    expect(Math.abs(valueAt(r, 0.0001) - mc.T250_normal.q0_01)).toBeLessThan(0.13);
    // E[Z2] = 0 under the null: the sd of one Z2 is about 0.35 here, so the mean of 1e5 has sd ~ 0.0011
    expect(Math.abs(r.simulatedMean)).toBeLessThan(0.005);
    // the observed P&L is all zeros: no exception, Z2 = 1, p-value 1
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBe(1);
    expect(r.criticalValues.every((c) => !c.rejected)).toBe(true);
    // reproduced from the seed: the same seed gives the same values (pinned), another seed different ones
    expect(valueAt(r, 0.05)).toBeCloseTo(-0.7048, 4);
    const again = acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, simulations: 2000, seed: 'z2' });
    expect(acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, simulations: 2000, seed: 'z2' })).toEqual(again);
    expect(acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, simulations: 2000, seed: 'z3' }).criticalValues).not.toEqual(again.criticalValues);
    expect(again.criticalValues.map((c) => c.level)).toEqual([0.05, 0.0001]); // default levels
  });

  it('T = 250 Student t(3): 5 % and 1 % values near the note (-0.8139, -1.3341), heavier than normal', () => {
    const r = acerbiSzekelyZ2Test(constantForecast(250, studentTTail(0.025, 3)), {
      forecast: { family: 't', dof: 3 },
      simulations: 20000,
      seed: 2,
      levels: [0.05, 0.01],
    });
    console.info(`Z2 T=250 t3, M=20000, seed 2: ${r.criticalValues.map((c) => `${c.level}: ${c.value.toFixed(4)}`).join(', ')}`);
    expect(Math.abs(valueAt(r, 0.05) - mc.T250_t3.q5)).toBeLessThan(0.05);
    expect(Math.abs(valueAt(r, 0.01) - mc.T250_t3.q1)).toBeLessThan(0.15);
    expect(valueAt(r, 0.05)).toBeLessThan(mc.T250_normal.q5);
  });

  it('T = 1966 at the 1 % level: MathWorks esbacktest critical values -0.34639 (normal) and -0.42986 (t3)', () => {
    const normal = acerbiSzekelyZ2Test(constantForecast(1966, normalTail(0.025)), { forecast: { family: 'normal' }, simulations: 10000, seed: 3, levels: [0.01] });
    const t3 = acerbiSzekelyZ2Test(constantForecast(1966, studentTTail(0.025, 3)), { forecast: { family: 't', dof: 3 }, simulations: 4000, seed: 4, levels: [0.01] });
    console.info(`Z2 T=1966 1%: normal (M=10000) ${valueAt(normal, 0.01).toFixed(5)}, t3 (M=4000) ${valueAt(t3, 0.01).toFixed(5)}`);
    // sd over seeds: 0.0035 (normal, M = 10 000), 0.013 (t3, M = 4000)
    expect(Math.abs(valueAt(normal, 0.01) - mc.mathworks_T1966_q1.normal)).toBeLessThan(0.015);
    expect(Math.abs(valueAt(t3, 0.01) - mc.mathworks_T1966_q1.t3)).toBeLessThan(0.055);
  });

  it('time-varying forecasts with a non-zero mean: the fitted forecast distribution keeps E[Z2] = 0, and a sampler reproduces it', () => {
    const T = 300;
    const valueAtRisk = new Float64Array(T);
    const expectedShortfall = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const sigma = 100 * (1 + 0.5 * Math.sin(t / 20));
      const mu = 5 * Math.cos(t / 7); // drift, so ES/VaR differs from the zero-mean ratio
      const tail = normalTail(0.025);
      valueAtRisk[t] = sigma * tail.valueAtRisk - mu;
      expectedShortfall[t] = sigma * tail.expectedShortfall - mu;
    }
    const input: EsBacktestInput = { pnl: new Float64Array(T), valueAtRisk, expectedShortfall, coverage: 0.975 };
    const z = simulateZ2(input, { family: 'normal' }, 20000, 'tv');
    let mean = 0;
    for (const v of z) mean += v / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.012); // sd of the mean ~ 0.32 / sqrt(20000) = 0.0023
    // the same distribution written as a sampler consumes the generator identically: identical simulation
    const sampler = (t: number, rng: Rng): number => {
      const sigma = 100 * (1 + 0.5 * Math.sin(t / 20));
      const mu = 5 * Math.cos(t / 7);
      return mu + sigma * rng.nextNormal();
    };
    const viaSampler = simulateZ2(input, { family: 'sampler', sample: sampler }, 20000, 'tv');
    let maxDiff = 0;
    for (let m = 0; m < z.length; m++) maxDiff = Math.max(maxDiff, Math.abs((z[m] as number) - (viaSampler[m] as number)));
    expect(maxDiff).toBeLessThan(1e-12);
  });

  it('has power: P&L 50 % more volatile than forecast is rejected at 5 %', () => {
    const T = 250;
    const tail = normalTail(0.025);
    const rng = createRng('too-volatile');
    const pnl = Float64Array.from({ length: T }, () => 1.5 * rng.nextNormal());
    const r = acerbiSzekelyZ2Test({ ...constantForecast(T, tail), pnl }, { forecast: { family: 'normal' }, simulations: 5000, seed: 5 });
    console.info(`Z2 power check: statistic ${r.statistic.toFixed(3)}, p-value ${r.pValue.toExponential(2)}, exceptions ${r.exceptions}`);
    expect(r.statistic).toBeLessThan(valueAt(r, 0.05));
    expect(r.criticalValues[0]?.rejected).toBe(true);
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.pValue).toBeGreaterThanOrEqual(1 / 5001);
  });

  it('rejects bad options', () => {
    const input = constantForecast(10, normalTail(0.025));
    expect(() => acerbiSzekelyZ2Test(input, { forecast: { family: 't', dof: 1 }, seed: 1 })).toThrow(/forecast.dof/);
    expect(() => acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, seed: 1.5 })).toThrow(/options.seed/);
    expect(() => acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, seed: 1, simulations: 0 })).toThrow(/options.simulations/);
    expect(() => acerbiSzekelyZ2Test(input, { forecast: { family: 'normal' }, seed: 1, levels: [0.05, 1] })).toThrow(/options.levels\[1\]/);
    expect(() => acerbiSzekelyZ2Test(input, { forecast: { family: 'x' } as never, seed: 1 })).toThrow(/forecast.family/);
    const flat = { ...input, expectedShortfall: input.valueAtRisk };
    expect(() => acerbiSzekelyZ2Test(flat, { forecast: { family: 'normal' }, seed: 1 })).toThrow(/expectedShortfall\[0\]/);
  });
});
