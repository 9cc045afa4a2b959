import { describe, expect, it } from 'vitest';
import { ssviToRawSvi, sviCalendarCheck, sviTotalVariance, type SviRawParams } from '../../src/surface/index.ts';

function bruteForce(earlier: SviRawParams, later: SviRawParams): { min: number; at: number } {
  let min = Number.POSITIVE_INFINITY;
  let at = 0;
  for (let k = -6; k <= 6; k += 1e-4) {
    const d = sviTotalVariance(later, k) - sviTotalVariance(earlier, k);
    if (d < min) {
      min = d;
      at = k;
    }
  }
  return { min, at };
}

describe('sviCalendarCheck', () => {
  const p = { rho: -0.3, eta: 0.5, gamma: 0.5 };
  const s1 = ssviToRawSvi(p, 0.04);
  const s2 = ssviToRawSvi(p, 0.09);

  it('accepts consecutive slices of an arbitrage-free SSVI surface', () => {
    const r = sviCalendarCheck(s1, s2);
    expect(r.arbitrage).toBe(false);
    expect(r.shortfall).toBe(0);
    expect(r.minDifference).toBeGreaterThan(0);
    expect(r.wingViolation).toBeNull();
  });

  it('flags the same slices in the wrong order everywhere (worst shortfall = brute-force maximum)', () => {
    const r = sviCalendarCheck(s2, s1);
    expect(r.arbitrage).toBe(true);
    expect(r.wingViolation).toBe('both');
    const b = bruteForce(s2, s1);
    expect(r.minDifference).toBeLessThanOrEqual(b.min + 1e-15);
  });

  it('locates a crossing of two smiles with different skews and reports the shortfall', () => {
    const earlier: SviRawParams = { a: 0.02, b: 0.1, rho: 0.2, m: 0, sigma: 0.2 };
    const later: SviRawParams = { a: 0.025, b: 0.12, rho: -0.6, m: 0.05, sigma: 0.25 };
    const r = sviCalendarCheck(earlier, later);
    const b = bruteForce(earlier, later);
    expect(b.min).toBeLessThan(0);
    expect(r.arbitrage).toBe(true);
    expect(r.wingViolation).toBe('right'); // b(1 + rho): 0.12 -> 0.048
    // right wing falls below: the worst point is at the scan's edge, at least as bad as the brute force on |k| <= 6
    expect(r.minDifference).toBeLessThanOrEqual(b.min + 1e-12);
    expect(r.shortfall).toBeCloseTo(-r.minDifference, 15);
  });

  it('finds an interior crossing and its location to 1e-6', () => {
    // same wings, later slice dips below near k = 0.3
    const earlier: SviRawParams = { a: 0.03, b: 0.1, rho: 0, m: 0, sigma: 0.3 };
    const later: SviRawParams = { a: 0.029, b: 0.1, rho: 0, m: 0.3, sigma: 0.1 };
    const r = sviCalendarCheck(earlier, later);
    const b = bruteForce(earlier, later);
    expect(r.arbitrage).toBe(true);
    expect(r.wingViolation).toBeNull();
    expect(Math.abs(r.minDifference - b.min)).toBeLessThan(1e-12);
    expect(Math.abs(r.worstK - b.at)).toBeLessThan(1e-4);
  });

  it('validates both slices with prefixed field names', () => {
    expect(() => sviCalendarCheck({ ...s1, rho: 2 }, s2)).toThrow(/earlier\.rho/);
    expect(() => sviCalendarCheck(s1, { ...s2, sigma: -1 })).toThrow(/later\.sigma/);
  });
});
