import { describe, expect, it } from 'vitest';
import { ewmaCovariance, ewmaVolatility, isPositiveSemidefinite } from '../../src/correlation/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';
import { column, correlationReference, maxRelDiff } from './helpers.ts';

const ref = correlationReference();
const panel = ref.panel.returns;
const fhs = readJsonFixture<{ fhs_ewma_example: { returns: number[]; lambda: number; sigma_T_plus_1: number; z_first5: number[] } }>(
  'fixtures/reference/correlation/literature.json',
).fhs_ewma_example;

describe('RiskMetrics EWMA covariance (zero mean) against numpy closed forms (weighted sums, not recursions)', () => {
  for (const lambda of [0.94, 0.97]) {
    const r = ref.ewma[String(lambda)]!;
    it(`lambda = ${lambda}: init 'first', 'sample' (all rows / 30 rows) and normalised weights`, () => {
      expect(maxRelDiff(ewmaCovariance(panel, { lambda, init: 'first' }), r.first)).toBeLessThan(1e-13);
      expect(maxRelDiff(ewmaCovariance(panel, { lambda, init: 'sample' }), r.sample_all)).toBeLessThan(1e-13);
      expect(maxRelDiff(ewmaCovariance(panel, { lambda }), r.sample_all)).toBeLessThan(1e-13); // default init
      expect(maxRelDiff(ewmaCovariance(panel, { lambda, init: 'sample', seedRows: 30 }), r.sample_30)).toBeLessThan(1e-13);
      expect(maxRelDiff(ewmaCovariance(panel, { lambda, normalizeWeights: true }), r.normalized)).toBeLessThan(1e-13);
    });
  }

  it('is PSD (same lambda, same dates) and its diagonal equals the per-asset EWMA variance forecast', () => {
    const cov = ewmaCovariance(panel, { lambda: 0.94 });
    expect(isPositiveSemidefinite(cov)).toBe(true);
    for (let j = 0; j < 5; j++) {
      const v = ewmaVolatility(column(panel, j), { lambda: 0.94 });
      expect(v.nextVariance / cov[j]![j]! - 1).toBeCloseTo(0, 13);
    }
  });

  it('normalised weights sum to one: a constant return r gives exactly r^2', () => {
    const rows = Array.from({ length: 50 }, () => [0.01, -0.02]);
    const c = ewmaCovariance(rows, { lambda: 0.9, normalizeWeights: true });
    expect(c[0]![0]).toBeCloseTo(1e-4, 17);
    expect(c[0]![1]).toBeCloseTo(-2e-4, 17);
  });

  it('rejects bad options with the option named', () => {
    expect(() => ewmaCovariance(panel, { lambda: 1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION', field: 'options.lambda' }));
    expect(() => ewmaCovariance(panel, { lambda: 0 })).toThrow(expect.objectContaining({ field: 'options.lambda' }));
    expect(() => ewmaCovariance(panel, { lambda: 0.94, init: 'first', normalizeWeights: true })).toThrow(expect.objectContaining({ field: 'options.init' }));
    expect(() => ewmaCovariance(panel, { lambda: 0.94, seedRows: 301 })).toThrow(expect.objectContaining({ field: 'options.seedRows' }));
    expect(() => ewmaCovariance(panel, { lambda: 0.94, init: 'first', seedRows: 3 })).toThrow(expect.objectContaining({ field: 'options.seedRows' }));
    expect(() => ewmaCovariance([[0.01, Number.NaN]], { lambda: 0.94 })).toThrow(expect.objectContaining({ code: 'MISSING_VALUE', field: 'returns[0][1]' }));
  });
});

describe('per-asset EWMA volatility (FHS worked example, methods.md 5.1)', () => {
  it('reproduces sigma_{T+1} and the first five standardised residuals z_t = r_t / sigma_{t|t-1}', () => {
    const v = ewmaVolatility(fhs.returns, { lambda: fhs.lambda, init: 'sample' });
    expect(Math.abs(v.nextVolatility - fhs.sigma_T_plus_1)).toBeLessThan(1e-17);
    fhs.z_first5.forEach((z, t) => expect(Math.abs(v.standardizedResiduals[t]! - z)).toBeLessThan(5e-10));
    expect(v.variance[0]).toBeCloseTo(0.0003069, 10); // seed = mean(r^2)
    expect(v.variance.length).toBe(fhs.returns.length);
  });

  it("init 'first' seeds with r_1^2 (z_1 = +-1) and agrees with ewmaCovariance init 'first'", () => {
    const v = ewmaVolatility(fhs.returns, { lambda: 0.94, init: 'first' });
    expect(Math.abs(v.standardizedResiduals[0]!)).toBe(1);
    const c = ewmaCovariance(fhs.returns.map((r) => [r]), { lambda: 0.94, init: 'first' });
    expect(v.nextVariance / c[0]![0]! - 1).toBeCloseTo(0, 14);
  });
});
