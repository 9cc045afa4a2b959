import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import { fitAssetVolatilities, fitGarch, garchVolatility, simulateGarch, type GarchFit } from '../../src/correlation/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';
import { correlationReference, type GarchRef } from './helpers.ts';

const ref = correlationReference().garch;
const series = readJsonFixture<{ seed: string; params: { omega: number; alpha: number; beta: number; mu: number }; length: number; burnIn: number; returns: number[] }>(
  'fixtures/reference/correlation/garch_series.json',
);
const fhs = readJsonFixture<{ fhs_ewma_example: { returns: number[]; garch: { sigma_T_plus_1: number; scenarios_first3: number[] } } }>(
  'fixtures/reference/correlation/literature.json',
).fhs_ewma_example;

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('GARCH(1,1) filter and Gaussian log-likelihood', () => {
  it('matches numpy at the true parameters (h_1 = mean(eps^2)): log L, h_t and h_{T+1}', () => {
    const v = garchVolatility(series.returns, series.params);
    expect(rel(v.logLikelihood, ref.loglik_true_params)).toBeLessThan(1e-13);
    ref.variance_true_params_first5.forEach((h, t) => expect(rel(v.variance[t]!, h)).toBeLessThan(1e-13));
    expect(rel(v.variance.at(-1)!, ref.variance_true_params_last)).toBeLessThan(1e-12);
    expect(rel(v.nextVariance, ref.next_variance_true_params)).toBeLessThan(1e-12);
  });

  it('matches numpy with a non-zero mean, and with h_1 = omega / (1 - alpha - beta)', () => {
    expect(rel(garchVolatility(series.returns, ref.loglik_other.params).logLikelihood, ref.loglik_other.loglik)).toBeLessThan(1e-13);
    const u = ref.loglik_unconditional_h1;
    expect(rel(garchVolatility(series.returns, u.params, { initialVariance: 'unconditional' }).logLikelihood, u.loglik)).toBeLessThan(1e-13);
  });

  it('FHS worked example (methods.md 5.1): sigma_{T+1} = 0.0147705547 and revolatilised scenarios sigma_{T+1} z_t', () => {
    const p = { omega: 2e-6, alpha: 0.08, beta: 0.9 };
    for (const initialVariance of ['unconditional', 1e-4] as const) {
      const v = garchVolatility(fhs.returns, p, { initialVariance });
      expect(Math.abs(v.nextVolatility - fhs.garch.sigma_T_plus_1)).toBeLessThan(5e-11);
      fhs.garch.scenarios_first3.forEach((s, t) => expect(Math.abs(v.nextVolatility * v.standardizedResiduals[t]! - s)).toBeLessThan(5e-11));
    }
  });

  it('rejects parameters outside the model', () => {
    expect(() => garchVolatility(series.returns, { omega: 0, alpha: 0.1, beta: 0.8 })).toThrow(expect.objectContaining({ field: 'params.omega' }));
    expect(() => garchVolatility(series.returns, { omega: 1e-6, alpha: -0.1, beta: 0.8 })).toThrow(expect.objectContaining({ field: 'params.alpha' }));
    expect(() => garchVolatility(series.returns, { omega: 1e-6, alpha: 0.3, beta: 0.8 }, { initialVariance: 'unconditional' })).toThrow(
      expect.objectContaining({ field: 'params.beta' }),
    );
  });
});

describe('GARCH(1,1) maximum likelihood', () => {
  it('the committed series is what simulateGarch(createRng(seed)) generates', () => {
    const path = simulateGarch(series.params, { length: series.length, burnIn: series.burnIn, rng: createRng(series.seed) });
    expect(Array.from(path.returns)).toEqual(series.returns);
  });

  const cases: Array<[string, Parameters<typeof fitGarch>[1], GarchRef]> = [
    ['zero mean', {}, ref.fit_zero_mean],
    ['constant mean', { mean: 'constant' }, ref.fit_constant_mean],
    ['variance targeting', { varianceTargeting: true }, ref.fit_variance_targeting],
  ];
  for (const [name, options, expected] of cases) {
    it(`${name}: same optimum as scipy (log L to 1e-7, parameters to 1% of a standard error, SEs to 5%)`, () => {
      const f = fitGarch(series.returns, options);
      expect(f.stopReason).toBe('converged');
      expect(f.logLikelihood).toBeGreaterThan(expected.loglik - 1e-7);
      expect(Math.abs(f.logLikelihood - expected.loglik)).toBeLessThan(1e-6);
      for (const [k, se] of Object.entries(expected.standard_errors)) {
        const key = k as keyof GarchFit['params'];
        expect(Math.abs(f.params[key] - expected.params[key])).toBeLessThan(0.01 * se);
        expect(rel(f.standardErrors[key], se)).toBeLessThan(0.05);
        expect(f.robustStandardErrors[key]).toBeGreaterThan(0);
      }
      if (options?.varianceTargeting) expect(Number.isNaN(f.standardErrors.omega)).toBe(true);
      if (options?.mean !== 'constant') expect(f.params.mu).toBe(0);
    });
  }

  it('recovers the generating parameters within 3 standard errors (committed series and a fresh seeded simulation)', () => {
    const fresh = { omega: 2e-5, alpha: 0.15, beta: 0.8, mu: 0 };
    const runs: Array<[typeof fresh, number[] | Float64Array]> = [
      [series.params, series.returns],
      [fresh, simulateGarch(fresh, { length: 4000, rng: createRng('correlation-test-garch-recovery') }).returns],
    ];
    for (const [truth, r] of runs) {
      const f = fitGarch(r);
      expect(f.standardErrorsValid).toBe(true);
      for (const k of ['omega', 'alpha', 'beta'] as const) expect(Math.abs(f.params[k] - truth[k])).toBeLessThan(3 * f.standardErrors[k]);
      expect(f.persistence).toBeLessThan(1);
      // the conditional variance series is the filter at the fitted parameters
      const again = garchVolatility(r, f.params);
      expect(again.nextVariance).toBe(f.nextVariance);
      expect(f.variance.length).toBe(r.length);
    }
  });

  it('typed errors: short, constant or gappy series and bad options; per-asset failures are results', () => {
    expect(() => fitGarch(series.returns.slice(0, 10))).toThrow(expect.objectContaining({ code: 'TOO_FEW_ROWS' }));
    expect(() => fitGarch(new Array(100).fill(0.01))).toThrow(expect.objectContaining({ code: 'ZERO_VARIANCE' }));
    expect(() => fitGarch([...series.returns.slice(0, 50), Number.NaN])).toThrow(expect.objectContaining({ code: 'MISSING_VALUE', field: 'returns[50]' }));
    expect(() => fitGarch(series.returns, { starts: [{ alpha: 0.5, beta: 0.6 }] })).toThrow(expect.objectContaining({ field: 'options.starts[0]' }));

    const panel = series.returns.slice(0, 400).map((r, t) => [r, 0.01, series.returns[t + 400]!]);
    const out = fitAssetVolatilities(panel, { model: 'garch' });
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    expect(out[1]).toMatchObject({ ok: false, error: { code: 'ZERO_VARIANCE', field: 'returns[*][1]' } });
    const ewma = fitAssetVolatilities(panel, { model: 'ewma', lambda: 0.94 });
    expect(ewma.every((o) => o.ok)).toBe(true);
    expect(() => fitAssetVolatilities(panel, { model: 'ewma', lambda: 2 })).toThrow(expect.objectContaining({ field: 'options.lambda' }));
  });
});
