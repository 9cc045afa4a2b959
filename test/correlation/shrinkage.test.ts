import { describe, expect, it } from 'vitest';
import { isPositiveSemidefinite, ledoitWolf, oasCovariance } from '../../src/correlation/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';
import { correlationReference, maxRelDiff } from './helpers.ts';

type M = number[][];
interface ShrinkageFixtures {
  lw_doctest_X: M;
  oas_doctest_X: M;
  covcor_R: M;
  lw_doctest: { cov: M; shrinkage: number };
  oas_doctest: { cov: M; shrinkage: number };
  lw_on_oas_data: { cov: M; shrinkage: number };
  covcor_R_result: { cov: M; shrinkage: number; rBar: number };
  sklearn_lw_on_R: { cov: M; shrinkage: number };
  oas_on_R: { cov: M; shrinkage: number };
}
const fx = readJsonFixture<ShrinkageFixtures>('fixtures/reference/correlation/shrinkage_fixtures.json');
const ref = correlationReference();

describe('Ledoit-Wolf / OAS against the published fixtures (methods.md 4.2)', () => {
  it('sklearn LedoitWolf doctest: s = 0.23025406200239137, cov [[0.4406..., 0.1616...], [., 0.8022...]]', () => {
    const r = ledoitWolf(fx.lw_doctest_X);
    expect(r.target).toBe('identity');
    expect(Math.abs(r.shrinkage - fx.lw_doctest.shrinkage)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.covariance, fx.lw_doctest.cov)).toBeLessThan(1e-13);
    // the doctest prints truncated digits: 0.4406..., 0.1616..., 0.8022...
    expect([r.covariance[0]![0]!, r.covariance[0]![1]!, r.covariance[1]![1]!].map((v) => Math.trunc(v * 1e4) / 1e4)).toEqual([0.4406, 0.1616, 0.8022]);
  });

  it('sklearn OAS doctest: s = 0.01957582121241239 (and LW on the same data)', () => {
    const o = oasCovariance(fx.oas_doctest_X);
    expect(Math.abs(o.shrinkage - fx.oas_doctest.shrinkage)).toBeLessThan(1e-14);
    expect(maxRelDiff(o.covariance, fx.oas_doctest.cov)).toBeLessThan(1e-13);
    const l = ledoitWolf(fx.oas_doctest_X);
    expect(Math.abs(l.shrinkage - fx.lw_on_oas_data.shrinkage)).toBeLessThan(1e-14);
    expect(maxRelDiff(l.covariance, fx.lw_on_oas_data.cov)).toBeLessThan(1e-13);
  });

  it('constant-correlation target (covCor.m) on the 60 x 4 panel: delta* = 0.3952307153, rbar = 0.4585953992', () => {
    const r = ledoitWolf(fx.covcor_R, { target: 'constant-correlation' });
    expect(Math.abs(r.shrinkage - fx.covcor_R_result.shrinkage)).toBeLessThan(1e-13);
    expect(Math.abs(r.meanCorrelation! - fx.covcor_R_result.rBar)).toBeLessThan(1e-14);
    expect(maxRelDiff(r.covariance, fx.covcor_R_result.cov)).toBeLessThan(1e-13);
    expect(Math.abs(ledoitWolf(fx.covcor_R).shrinkage - fx.sklearn_lw_on_R.shrinkage)).toBeLessThan(1e-13);
    expect(maxRelDiff(ledoitWolf(fx.covcor_R).covariance, fx.sklearn_lw_on_R.cov)).toBeLessThan(1e-13);
    expect(Math.abs(oasCovariance(fx.covcor_R).shrinkage - fx.oas_on_R.shrinkage)).toBeLessThan(1e-13);
  });
});

describe('Ledoit-Wolf / OAS against sklearn 1.2 and the numpy covCor port (make_correlation_reference.py)', () => {
  for (const name of ['panel', 'covcor_R', 'n_lt_p'] as const) {
    it(`${name}: identity target, constant-correlation target and OAS`, () => {
      const data = name === 'panel' ? ref.panel.returns : name === 'covcor_R' ? fx.covcor_R : ref.shrinkage.n_lt_p_data;
      const r = ref.shrinkage[name]!;
      const lw = ledoitWolf(data);
      expect(Math.abs(lw.shrinkage - r.ledoit_wolf.shrinkage)).toBeLessThan(1e-12);
      expect(maxRelDiff(lw.covariance, r.ledoit_wolf.cov)).toBeLessThan(1e-12);
      const cc = ledoitWolf(data, { target: 'constant-correlation' });
      expect(Math.abs(cc.shrinkage - r.constant_correlation.shrinkage)).toBeLessThan(1e-12);
      expect(maxRelDiff(cc.covariance, r.constant_correlation.cov)).toBeLessThan(1e-12);
      const o = oasCovariance(data);
      expect(Math.abs(o.shrinkage - r.oas.shrinkage)).toBeLessThan(1e-12);
      expect(maxRelDiff(o.covariance, r.oas.cov)).toBeLessThan(1e-12);
    });
  }

  it('with fewer dates than assets (8 x 12) the shrunk matrices are positive definite though the sample is singular', () => {
    const data = ref.shrinkage.n_lt_p_data;
    expect(data.length).toBeLessThan(data[0]!.length);
    for (const m of [ledoitWolf(data).covariance, ledoitWolf(data, { target: 'constant-correlation' }).covariance, oasCovariance(data).covariance]) {
      expect(isPositiveSemidefinite(m, { tolerance: 0 })).toBe(true);
    }
  });
});
