import { describe, expect, it } from 'vitest';
import {
  CorrelationInputError,
  ewmaCovariance,
  isPositiveSemidefinite,
  ledoitWolf,
  minEigenvalue,
  nearestCorrelation,
  oasCovariance,
  sampleCorrelation,
  sampleCovariance,
  symmetricEigenvalues,
} from '../../src/correlation/index.ts';
import { correlationReference } from './helpers.ts';

const panel = correlationReference().panel.returns;
const withColumn = (f: (row: number[], t: number) => number): number[][] => panel.map((row, t) => [...row.slice(0, 3), f(row, t)]);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('degenerate inputs give clear results or typed errors', () => {
  it('constant column: zero variance row in covariances; correlation and the constant-correlation target refuse it by name', () => {
    const x = withColumn(() => 0.003);
    const cov = sampleCovariance(x);
    expect(cov[3]).toEqual([0, 0, 0, 0]);
    expect(isPositiveSemidefinite(cov)).toBe(true);
    const e = thrown(() => sampleCorrelation(x));
    expect(e).toBeInstanceOf(CorrelationInputError);
    expect(e).toMatchObject({ code: 'ZERO_VARIANCE', field: 'returns[*][3]' });
    expect(thrown(() => ledoitWolf(x, { target: 'constant-correlation' }))).toMatchObject({ code: 'ZERO_VARIANCE', field: 'returns[*][3]' });
    // identity-target shrinkage and OAS are defined: the constant asset gets a shrunk positive variance
    expect(ledoitWolf(x).covariance[3]![3]).toBeGreaterThan(0);
    expect(oasCovariance(x).covariance[3]![3]).toBeGreaterThan(0);
    // EWMA is zero-mean: a constant non-zero return is a genuine second moment
    expect(ewmaCovariance(x, { lambda: 0.94 })[3]![3]).toBeCloseTo(0.003 ** 2, 18);
  });

  it('fewer dates than assets: the sample covariance is singular with rank n - 1', () => {
    const wide = panel.slice(0, 4).map((row) => [...row, ...row.map((v) => v * 0.5 + 0.001)]); // 4 x 10
    const values = symmetricEigenvalues(sampleCovariance(wide));
    const scale = values.at(-1)!;
    expect(values.filter((v) => v > 1e-12 * scale).length).toBe(3);
    expect(minEigenvalue(sampleCovariance(wide))).toBeGreaterThan(-1e-15 * scale * 10);
    expect(isPositiveSemidefinite(ledoitWolf(wide).covariance, { tolerance: 0 })).toBe(true);
  });

  it('perfectly correlated assets: correlation -1 to rounding, PSD with a zero eigenvalue, untouched by the repair', () => {
    const x = withColumn((row) => -2 * row[0]! + 0.001);
    const c = sampleCorrelation(x);
    expect(Math.abs(c[0]![3]! + 1)).toBeLessThan(1e-15);
    expect(Math.abs(minEigenvalue(c))).toBeLessThan(1e-14);
    expect(isPositiveSemidefinite(c)).toBe(true);
    expect(nearestCorrelation(c).distance).toBeLessThan(1e-8);
  });

  it('one asset: Ledoit-Wolf and OAS shrink nothing (scikit-learn convention), covariance = divisor-n variance', () => {
    const x = panel.map((row) => [row[0]!]);
    const mean = x.reduce((s, r) => s + r[0]!, 0) / x.length;
    const varN = x.reduce((s, r) => s + (r[0]! - mean) ** 2, 0) / x.length;
    expect(ledoitWolf(x).shrinkage).toBe(0);
    expect(ledoitWolf(x).covariance[0]![0]! / varN - 1).toBeCloseTo(0, 13);
    expect(oasCovariance(x).shrinkage).toBe(0);
    expect(thrown(() => ledoitWolf(x, { target: 'constant-correlation' }))).toMatchObject({ code: 'TOO_FEW_COLUMNS' });
  });

  it('malformed panels name the field: too few rows, ragged rows, infinities, empty, not an array', () => {
    expect(thrown(() => sampleCovariance([[0.01, 0.02]]))).toMatchObject({ code: 'TOO_FEW_ROWS' });
    expect(thrown(() => ledoitWolf([[0.01, 0.02]]))).toMatchObject({ code: 'TOO_FEW_ROWS' });
    expect(thrown(() => sampleCovariance([[0.01, 0.02], [0.03]]))).toMatchObject({ code: 'RAGGED', field: 'returns[1]' });
    expect(thrown(() => sampleCovariance([[0.01, 0.02], [0.03, Number.POSITIVE_INFINITY]]))).toMatchObject({ code: 'NON_FINITE', field: 'returns[1][1]' });
    expect(thrown(() => sampleCovariance([]))).toMatchObject({ code: 'EMPTY' });
    expect(thrown(() => sampleCovariance([[]]))).toMatchObject({ code: 'EMPTY' });
    expect(thrown(() => sampleCovariance('x' as never))).toMatchObject({ code: 'NOT_A_MATRIX' });
    expect(thrown(() => sampleCovariance([[0.01, '0.02' as never], [0.03, 0.04]]))).toMatchObject({ code: 'NON_FINITE', field: 'returns[0][1]' });
    expect(thrown(() => ledoitWolf(panel, { target: 'diagonal' as never }))).toMatchObject({ code: 'BAD_OPTION', field: 'options.target' });
  });

  it('pairwise estimation refuses a pair without two common rows', () => {
    const x = [[0.01, Number.NaN], [0.02, Number.NaN], [0.03, 0.01]];
    expect(thrown(() => sampleCovariance(x, { missing: 'pairwise' }))).toMatchObject({ code: 'TOO_FEW_ROWS', field: 'returns[*][0],returns[*][1]' });
  });
});

describe('pairwise estimation with a column that is constant over the common rows', () => {
  it('raises ZERO_VARIANCE for the correlation and gives an exact zero covariance', () => {
    const x = [[0.01, 0.003], [0.02, 0.003], [Number.NaN, 0.5], [0.015, 0.003]];
    // pair (0, 1) uses rows 0, 1, 3, where asset 1 is constant; its own variance uses all four rows
    expect(sampleCovariance(x, { missing: 'pairwise' })[0]![1]).toBe(0);
    expect(sampleCovariance(x, { missing: 'pairwise' })[1]![1]).toBeGreaterThan(0);
    expect(() => sampleCorrelation(x, { missing: 'pairwise' })).toThrow(expect.objectContaining({ code: 'ZERO_VARIANCE', field: 'returns[*][1]' }));
  });
});
