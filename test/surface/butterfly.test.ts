import { describe, expect, it } from 'vitest';
import { black76Price } from '../../src/pricing/index.ts';
import {
  durrlemanGFromDerivatives,
  sviButterfly,
  sviDurrlemanG,
  sviFirstDerivative,
  sviLogMoneynessDensity,
  sviSecondDerivative,
  sviTotalVariance,
  type SviRawParams,
} from '../../src/surface/index.ts';
import vectors from '../../fixtures/reference/surface/vectors.json' with { type: 'json' };
import reference from '../../fixtures/reference/surface/svi_reference.json' with { type: 'json' };

const v = vectors.svi.vogt;
const vogt: SviRawParams = { a: v.a, b: v.b, rho: v.rho, m: v.m, sigma: v.sigma };
const r = vectors.svi.repaired;
const repaired: SviRawParams = { a: r.a, b: r.b, rho: r.rho, m: r.m, sigma: r.sigma };

describe("Durrleman's g(k)", () => {
  it('matches the methods.md §3.2 Vogt table to 1e-7', () => {
    for (const row of vectors.methods_vogt_table.rows) expect(Math.abs(sviDurrlemanG(vogt, row.k) - row.g)).toBeLessThan(1e-7);
    for (const [k, g] of Object.entries(v.g_samples)) expect(Math.abs(sviDurrlemanG(vogt, Number(k)) - g)).toBeLessThan(1e-7);
  });

  it('matches the 50-digit mpmath reference (derivatives by numerical differentiation) to 1e-13', () => {
    for (const s of reference.vogt.samples) expect(Math.abs(sviDurrlemanG(vogt, s.k) - s.g)).toBeLessThan(1e-13);
    for (const s of reference.repaired.samples) expect(Math.abs(sviDurrlemanG(repaired, s.k) - s.g)).toBeLessThan(1e-13);
  });

  it("uses w''/2, not the w''^2/2 pitfall (the two differ by more than 0.05 at k = 0.2 on Vogt)", () => {
    const k = 0.2;
    const w = sviTotalVariance(vogt, k);
    const w1 = sviFirstDerivative(vogt, k);
    const w2 = sviSecondDerivative(vogt, k);
    const pitfall = (1 - (k * w1) / (2 * w)) ** 2 - ((w1 * w1) / 4) * (1 / w + 0.25) + (w2 * w2) / 2;
    expect(Math.abs(pitfall - 1.24838916)).toBeGreaterThan(0.05);
    expect(durrlemanGFromDerivatives(k, w, w1, w2)).toBeCloseTo(1.24838916, 7);
  });

  it('equals the density from a central finite difference of undiscounted Black-76 call prices in strike', () => {
    // d2C/dK2 = g(k)/sqrt(2 pi w) exp(-d_minus^2/2)/K with C = black76Price(rate = 0), F = 100
    const forward = 100;
    for (const p of [vogt, repaired, { a: 0.01, b: 0.1, rho: -0.4, m: 0.05, sigma: 0.15 }]) {
      for (const k of [-0.6, -0.2, 0, 0.3, 0.7, 0.9, 1.2]) {
        const strike = forward * Math.exp(k);
        const price = (kk: number): number => {
          const w = sviTotalVariance(p, Math.log(kk / forward));
          return black76Price({ forward, strike: kk, expiry: 1, rate: 0, vol: Math.sqrt(w), type: 'call' });
        };
        const h = 1e-3 * strike;
        const fd = (price(strike + h) - 2 * price(strike) + price(strike - h)) / (h * h);
        const density = sviLogMoneynessDensity(p, k) / strike;
        // FD truncation O(h^2) plus rounding ~ eps * C / h^2
        expect(Math.abs(fd - density)).toBeLessThan(2e-6 + 1e-4 * Math.abs(density));
        if (p === vogt && k > 0.7 && k < 1.2) expect(fd).toBeLessThan(0); // negative density: the arbitrage is real
      }
    }
  });
});

describe('sviButterfly', () => {
  it('flags Vogt with min g = -0.032864 at k = 0.87926 and g < 0 on (0.6424, 1.2569) (methods.md §3.2)', () => {
    const res = sviButterfly(vogt);
    expect(res.arbitrage).toBe(true);
    expect(res.minG).toBeCloseTo(v.min_g, 6);
    expect(res.argminK).toBeCloseTo(v.argmin_k, 5);
    expect(res.minW).toBeCloseTo(v.min_w, 6);
    expect(res.leeViolated).toBe(false);
    expect(res.negativeIntervals).toHaveLength(1);
    const [lo, hi] = res.negativeIntervals[0] as readonly [number, number];
    expect(lo).toBeCloseTo(v.g_negative_interval[0] as number, 4);
    expect(hi).toBeCloseTo(v.g_negative_interval[1] as number, 4);
    // against the 50-digit reference
    expect(Math.abs(res.minG - reference.vogt.minG)).toBeLessThan(1e-13);
    expect(Math.abs(res.argminK - reference.vogt.argminK)).toBeLessThan(1e-6); // g is flat at its minimum
    expect(Math.abs(lo - (reference.vogt.negativeInterval[0] as number))).toBeLessThan(1e-12);
    expect(Math.abs(hi - (reference.vogt.negativeInterval[1] as number))).toBeLessThan(1e-12);
  });

  it('passes the QuantLib repaired slice with min g = +0.008119', () => {
    const res = sviButterfly(repaired);
    expect(res.arbitrage).toBe(false);
    expect(res.minG).toBeCloseTo(r.min_g, 6);
    expect(Math.abs(res.minG - reference.repaired.minG)).toBeLessThan(1e-13);
    expect(res.negativeIntervals).toHaveLength(0);
  });

  it('finds the Vogt violation although it lies outside |k| <= 0.5, whatever kMax is asked', () => {
    expect(sviButterfly(vogt, { kMax: 0.5 }).arbitrage).toBe(true);
  });

  it("flags a Lee-bound violation b(1+|rho|) > 2 even where g >= 0 on the scanned range", () => {
    const steep: SviRawParams = { a: 0.1, b: 1.8, rho: 0.2, m: 0, sigma: 0.3 };
    const res = sviButterfly(steep);
    expect(res.wingSlope).toBeCloseTo(2.16, 12);
    expect(res.leeViolated).toBe(true);
    expect(res.arbitrage).toBe(true);
    // far out g tends to 1/4 - w'^2/16 < 0
    expect(sviDurrlemanG(steep, 1e4)).toBeLessThan(0);
  });

  it('refines the minimum between grid points: matches a brute-force scan with step 1e-5 (sharp slice, sigma = 0.002)', () => {
    const sharp: SviRawParams = { a: -0.0007, b: 0.5, rho: 0.3, m: 0.1, sigma: 0.002 };
    const res = sviButterfly(sharp);
    let bruteMin = Number.POSITIVE_INFINITY;
    let bruteK = 0;
    for (let i = 0; i <= 200_000; i++) {
      const k = -0.5 + i * 1e-5;
      const g = sviDurrlemanG(sharp, k);
      if (g < bruteMin) {
        bruteMin = g;
        bruteK = k;
      }
    }
    expect(res.arbitrage).toBe(true);
    expect(res.minG).toBeLessThanOrEqual(bruteMin + 1e-12);
    expect(Math.abs(res.minG - bruteMin)).toBeLessThan(1e-6 * Math.abs(bruteMin));
    expect(Math.abs(res.argminK - bruteK)).toBeLessThan(2e-5);
  });

  it('is never above a brute-force scan of g over |k| <= 200 (wing slope close to Lee bound)', () => {
    // wing slope b(1 - rho) = 1.98: g tends to 1/4 - w'^2/16 = 0.005 from below only slowly
    for (const p of [
      { a: 0.001, b: 1.1, rho: -0.8, m: 0, sigma: 0.05 },
      { a: 0.05, b: 1.0, rho: -0.98, m: 0.5, sigma: 0.5 },
      { a: 0.2, b: 0.99, rho: 0.999, m: -1, sigma: 0.8 },
    ]) {
      let bruteMin = Number.POSITIVE_INFINITY;
      for (let k = -200; k <= 200; k += 0.001) bruteMin = Math.min(bruteMin, sviDurrlemanG(p, k));
      const res = sviButterfly(p);
      expect(res.minG).toBeLessThanOrEqual(bruteMin + 1e-9);
      expect(res.arbitrage).toBe(bruteMin < 0);
    }
  });

  it('accepts flat and near-flat slices', () => {
    expect(sviButterfly({ a: 0.04, b: 0, rho: 0, m: 0, sigma: 1 }).minG).toBe(1);
    expect(sviButterfly({ a: 0.01, b: 0.1, rho: -0.4, m: 0.05, sigma: 0.15 }).arbitrage).toBe(false);
  });
});
