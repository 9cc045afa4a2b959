import { describe, expect, it } from 'vitest';
import {
  blendCorrelations,
  correlationFromCovariance,
  ewmaCovariance,
  isPositiveSemidefinite,
  nearestCorrelation,
  sampleCorrelation,
  stressedCorrelation,
} from '../../src/correlation/index.ts';
import { correlationReference, maxAbsDiff } from './helpers.ts';

const panel = correlationReference().panel.returns;
/** One ISO date per row: 2025-01-01 + t days (UTC). */
const dates = panel.map((_, t) => new Date(Date.UTC(2025, 0, 1 + t)).toISOString().slice(0, 10));
const rowsOf = (from: number, to: number): number[][] => panel.slice(from, to + 1);

describe('stressed correlation from named stress windows', () => {
  it('is the sample correlation over the union of the windows, rows counted once, windows reported', () => {
    const r = stressedCorrelation(panel, {
      dates,
      windows: [
        { name: 'crash-a', start: dates[50]!, end: dates[79]! },
        { name: 'crash-a-tail', start: dates[70]!, end: dates[89]! }, // overlaps crash-a
        { name: 'crash-b', start: dates[200]!, end: dates[219]! },
        { name: 'before-data', start: '2020-01-01', end: '2020-12-31' },
      ],
    });
    expect(r.rows).toBe(40 + 20);
    expect(r.windows.map((w) => [w.name, w.rows])).toEqual([['crash-a', 30], ['crash-a-tail', 20], ['crash-b', 20], ['before-data', 0]]);
    expect(r.rowIndices[0]).toBe(50);
    expect(r.rowIndices.at(-1)).toBe(219);
    const expected = sampleCorrelation([...rowsOf(50, 89), ...rowsOf(200, 219)]);
    expect(maxAbsDiff(r.correlation, expected)).toBe(0);
  });

  it("the 'ewma' estimator is the EWMA covariance of the selected rows turned into a correlation; epoch-ms dates work", () => {
    const ms = dates.map((d) => Date.parse(d));
    const r = stressedCorrelation(panel, { dates: ms, windows: [{ name: 'w', start: ms[100]!, end: ms[159]! }], estimator: 'ewma', lambda: 0.94 });
    expect(maxAbsDiff(r.correlation, correlationFromCovariance(ewmaCovariance(rowsOf(100, 159), { lambda: 0.94 })))).toBeLessThan(1e-15);
  });

  it('typed errors: too few rows, unordered or bad dates, inverted or duplicate windows, missing lambda', () => {
    const w = [{ name: 'w', start: dates[10]!, end: dates[10]! }];
    expect(() => stressedCorrelation(panel, { dates, windows: w })).toThrow(expect.objectContaining({ code: 'TOO_FEW_ROWS', field: 'options.windows' }));
    const swapped = dates.slice();
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(() => stressedCorrelation(panel, { dates: swapped, windows: w })).toThrow(expect.objectContaining({ code: 'BAD_DATE', field: 'options.dates[4]' }));
    expect(() => stressedCorrelation(panel, { dates: ['x', ...dates.slice(1)], windows: w })).toThrow(expect.objectContaining({ field: 'options.dates[0]' }));
    expect(() => stressedCorrelation(panel, { dates: dates.slice(1), windows: w })).toThrow(expect.objectContaining({ field: 'options.dates' }));
    expect(() => stressedCorrelation(panel, { dates, windows: [{ name: 'w', start: dates[9]!, end: dates[1]! }] })).toThrow(expect.objectContaining({ field: 'options.windows[0].end' }));
    expect(() => stressedCorrelation(panel, { dates, windows: [...w, ...w] })).toThrow(expect.objectContaining({ field: 'options.windows[1].name' }));
    expect(() => stressedCorrelation(panel, { dates, windows: [{ name: 'w', start: dates[0]!, end: dates[9]! }], estimator: 'ewma' })).toThrow(
      expect.objectContaining({ field: 'options.lambda' }),
    );
  });
});

describe('stress/normal blends', () => {
  const normal = sampleCorrelation(panel);
  const stress = sampleCorrelation(rowsOf(50, 89));

  it('w = 0 and w = 1 return the inputs; a convex blend of two correlation matrices needs no repair', () => {
    expect(maxAbsDiff(blendCorrelations(stress, normal, 0).correlation, normal)).toBe(0);
    expect(maxAbsDiff(blendCorrelations(stress, normal, 1).correlation, stress)).toBe(0);
    const b = blendCorrelations(stress, normal, 0.3);
    expect(b.repaired).toBe(false);
    expect(b.repairDistance).toBe(0);
    expect(b.minEigenvalue).toBeGreaterThan(0);
    expect(b.correlation[0]![1]).toBeCloseTo(0.3 * stress[0]![1]! + 0.7 * normal[0]![1]!, 15);
  });

  it('a hand-edited (non-PSD) stress matrix makes the blend indefinite: it is repaired to the nearest correlation matrix', () => {
    const edited = stress.map((r) => r.slice());
    // block override: assets 0, 1 move together, 1, 2 together, but 0, 2 opposite -> not PSD
    edited[0]![1] = edited[1]![0] = 0.95;
    edited[1]![2] = edited[2]![1] = 0.95;
    edited[0]![2] = edited[2]![0] = -0.9;
    expect(isPositiveSemidefinite(edited)).toBe(false);
    const b = blendCorrelations(edited, normal, 0.8, { repair: { tolerance: 1e-12 } });
    expect(b.repaired).toBe(true);
    expect(b.minEigenvalue).toBeLessThan(0);
    expect(isPositiveSemidefinite(b.correlation)).toBe(true);
    const raw = edited.map((row, i) => row.map((v, j) => (i === j ? 1 : 0.8 * v + 0.2 * normal[i]![j]!)));
    const direct = nearestCorrelation(raw, { tolerance: 1e-12 });
    expect(maxAbsDiff(b.correlation, direct.matrix)).toBeLessThan(1e-12);
    expect(Math.abs(b.repairDistance - direct.distance)).toBeLessThan(1e-12);
  });

  it('rejects a weight outside [0, 1], non-unit diagonals and size mismatches', () => {
    expect(() => blendCorrelations(stress, normal, 1.5)).toThrow(expect.objectContaining({ code: 'BAD_OPTION', field: 'weight' }));
    const bad = normal.map((r) => r.slice());
    bad[2]![2] = 1.1;
    expect(() => blendCorrelations(stress, bad, 0.5)).toThrow(expect.objectContaining({ code: 'NOT_CORRELATION', field: 'normal[2][2]' }));
    expect(() => blendCorrelations(stress, [[1]], 0.5)).toThrow(expect.objectContaining({ field: 'normal' }));
  });
});
