import { describe, expect, it } from 'vitest';
import { black76Greeks } from '../../src/pricing/index.ts';
import { VolSurface, compareSurfaces, smileSummary } from '../../src/surface/index.ts';

const flat = (vol: number, expiries: number[]): VolSurface =>
  VolSurface.create(
    expiries.map((expiry) => ({ expiry, forward: 100, model: { kind: 'svi' as const, params: { a: vol * vol * expiry, b: 0, rho: 0, m: 0, sigma: 1 } } })),
  );
const skewed = VolSurface.create(
  [0.1, 0.5, 1].map((expiry) => ({
    expiry,
    forward: 100 * Math.exp(0.05 * expiry),
    model: { kind: 'ssvi' as const, params: { rho: -0.4, eta: 0.6, gamma: 0.5 }, theta: 0.36 * expiry },
  })),
);

describe('smileSummary', () => {
  it('flat smile: ATM vol, zero risk reversal and butterfly, 25-delta strikes in closed form', () => {
    const s = smileSummary(flat(0.5, [0.25, 1]), 1);
    expect(s.atmVol).toBeCloseTo(0.5, 15);
    expect(s.riskReversal25).toBeCloseTo(0, 14);
    expect(s.butterfly25).toBeCloseTo(0, 14);
    // N(d1) = 0.25: d1 = -0.6744897501960817 => k = sqrt(w)(sqrt(w)/2 - d1)
    const z = 0.6744897501960817;
    expect(Math.log((s.call25Strike as number) / 100)).toBeCloseTo(0.5 * (0.25 + z), 10);
    expect(Math.log((s.put25Strike as number) / 100)).toBeCloseTo(0.5 * (0.25 - z), 10);
  });

  it('skewed smile: strikes have Black-76 forward deltas +0.25 / -0.25 at their smile vols (pricing layer)', () => {
    for (const t of [0.1, 0.3, 1]) {
      const s = smileSummary(skewed, t);
      const forward = skewed.forward(t);
      const call = black76Greeks({ forward, strike: s.call25Strike as number, expiry: t, rate: 0, vol: s.call25Vol as number, type: 'call' });
      const put = black76Greeks({ forward, strike: s.put25Strike as number, expiry: t, rate: 0, vol: s.put25Vol as number, type: 'put' });
      expect(call.delta).toBeCloseTo(0.25, 10);
      expect(put.delta).toBeCloseTo(-0.25, 10);
      expect(s.riskReversal25 as number).toBeLessThan(0); // rho < 0: puts richer
      expect(s.call25Vol as number).toBeCloseTo(skewed.vol(t, s.call25Strike as number), 12);
      expect(s.put25Vol as number).toBeCloseTo(skewed.vol(t, s.put25Strike as number), 12);
      expect(s.butterfly25 as number).toBeCloseTo(0.5 * ((s.call25Vol as number) + (s.put25Vol as number)) - s.atmVol, 15);
      expect(s.atmVol).toBeCloseTo(skewed.impliedVol(t, 0), 15);
    }
  });
});

describe('compareSurfaces', () => {
  it('reports both smiles per expiry (union of expiries), their change and the ATM term structure', () => {
    const before = flat(0.6, [0.1, 0.25, 1]);
    const cmp = compareSurfaces(before, skewed);
    expect(cmp.rows.map((r) => r.expiry)).toEqual([0.1, 0.25, 0.5, 1]);
    for (const row of cmp.rows) {
      expect(row.before.atmVol).toBeCloseTo(0.6, 14);
      expect(row.after.atmVol).toBeCloseTo(0.6, 14); // theta = 0.36 T
      expect(row.change.atmVol).toBeCloseTo(0, 13);
      expect(row.change.riskReversal25).toBeCloseTo((row.after.riskReversal25 as number) - (row.before.riskReversal25 as number), 15);
      expect(row.change.butterfly25 as number).toBeCloseTo(row.after.butterfly25 as number, 12); // flat before: 0
      expect(row.change.riskReversal25 as number).toBeLessThan(0);
    }
    expect(cmp.atmTermStructure).toHaveLength(4);
    expect(cmp.atmTermStructure[0]).toEqual({ expiry: 0.1, before: cmp.rows[0]?.before.atmVol, after: cmp.rows[0]?.after.atmVol });
    const only = compareSurfaces(before, skewed, { expiries: [2, 0.5] });
    expect(only.rows.map((r) => r.expiry)).toEqual([0.5, 2]);
  });
});
