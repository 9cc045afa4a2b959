import { describe, expect, it } from 'vitest';
import {
  CorrelationInputError,
  correlationFromCovariance,
  covarianceFromCorrelation,
  sampleCorrelation,
  sampleCovariance,
  volatilitiesFromCovariance,
} from '../../src/correlation/index.ts';
import { correlationReference, maxAbsDiff, maxRelDiff } from './helpers.ts';

const ref = correlationReference();
const panel = ref.panel.returns;

function gappyPanel(): number[][] {
  const rows = panel.slice(0, ref.sample_gaps.rows).map((r) => r.slice());
  for (const [t, j] of ref.sample_gaps.gaps) rows[t]![j] = Number.NaN;
  return rows;
}

describe('sample covariance and correlation (n - 1 divisor, demeaned)', () => {
  it('match numpy cov(ddof=1) and corrcoef on the 300 x 5 reference panel', () => {
    expect(maxRelDiff(sampleCovariance(panel), ref.sample.covariance)).toBeLessThan(1e-13);
    expect(maxAbsDiff(sampleCorrelation(panel), ref.sample.correlation)).toBeLessThan(1e-14);
  });

  it('use the n - 1 divisor: two rows [0, 0] and [2, 4] give variances 2 and 8, covariance 4', () => {
    expect(sampleCovariance([[0, 0], [2, 4]])).toEqual([[2, 4], [4, 8]]);
    expect(sampleCorrelation([[0, 0], [2, 4]])).toEqual([[1, 1], [1, 1]]);
  });

  it('gaps are an error by default, naming the cell', () => {
    const err = (() => {
      try {
        sampleCovariance(gappyPanel());
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CorrelationInputError);
    expect(err).toMatchObject({ code: 'MISSING_VALUE', field: 'returns[3][0]' });
  });

  it("'pairwise' matches numpy over each pair's common rows; 'complete-rows' drops rows with a gap", () => {
    const g = gappyPanel();
    expect(maxRelDiff(sampleCovariance(g, { missing: 'pairwise' }), ref.sample_gaps.pairwise_covariance)).toBeLessThan(1e-13);
    expect(maxAbsDiff(sampleCorrelation(g, { missing: 'pairwise' }), ref.sample_gaps.pairwise_correlation)).toBeLessThan(1e-14);
    expect(maxRelDiff(sampleCovariance(g, { missing: 'complete-rows' }), ref.sample_gaps.complete_rows_covariance)).toBeLessThan(1e-13);
    expect(() => sampleCovariance(g, { missing: 'ignore' as never })).toThrow(/options.missing/);
  });

  it('conversions: correlation <-> covariance with volatilities round-trip', () => {
    const cov = ref.sample.covariance;
    const vols = volatilitiesFromCovariance(cov);
    const corr = correlationFromCovariance(cov);
    expect(maxAbsDiff(corr, ref.sample.correlation)).toBeLessThan(1e-14);
    expect(maxRelDiff(covarianceFromCorrelation(corr, vols), cov)).toBeLessThan(1e-14);
    vols.forEach((s, j) => expect(s).toBeCloseTo(Math.sqrt(cov[j]![j]!), 15));
    expect(() => correlationFromCovariance([[1, 0], [0, 0]])).toThrow(expect.objectContaining({ code: 'ZERO_VARIANCE', field: 'covariance[1][1]' }));
    expect(() => correlationFromCovariance([[1, 0.5], [0.4, 1]])).toThrow(expect.objectContaining({ code: 'NOT_SYMMETRIC' }));
    expect(() => covarianceFromCorrelation([[1]], [-1])).toThrow(expect.objectContaining({ field: 'volatilities[0]' }));
  });

  it('results are frozen values', () => {
    const c = sampleCorrelation(panel);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c[0])).toBe(true);
  });
});
