import { describe, expect, it } from 'vitest';
import {
  SurfaceDomainError,
  VolSurface,
  essviTotalVariance,
  ssviTotalVariance,
  sviFirstDerivative,
  sviTotalVariance,
  type SviRawParams,
  type VolSurfaceSliceInput,
} from '../../src/surface/index.ts';

const ssvi = { rho: -0.3, eta: 0.5, gamma: 0.5 };
// calendar-free set of slices of three kinds: all taken from one arbitrage-free SSVI surface
const thetaOf = (t: number): number => 0.25 * t;
const sviOf = (theta: number): SviRawParams => {
  const phi = ssvi.eta / Math.sqrt(theta);
  return { a: (theta * (1 - 0.09)) / 2, b: (theta * phi) / 2, rho: -0.3, m: 0.3 / phi, sigma: Math.sqrt(0.91) / phi };
};
const slices: VolSurfaceSliceInput[] = [
  { expiry: 1, forward: 102, model: { kind: 'ssvi', params: ssvi, theta: thetaOf(1) } },
  { expiry: 0.1, forward: 100.2, model: { kind: 'svi', params: sviOf(thetaOf(0.1)) }, kRange: [-0.5, 0.4] },
  { expiry: 0.5, forward: 101, model: { kind: 'essvi', theta: thetaOf(0.5), rho: -0.3, psi: thetaOf(0.5) * (ssvi.eta / Math.sqrt(thetaOf(0.5))) } },
  { expiry: 2, forward: 104.5, model: { kind: 'ssvi', params: ssvi, theta: thetaOf(2) } },
];
const surface = VolSurface.create(slices, { spot: 100 });

describe('VolSurface', () => {
  it('sorts expiries and reproduces each slice at its expiry', () => {
    expect(surface.expiries()).toEqual([0.1, 0.5, 1, 2]);
    for (const k of [-1, -0.3, 0, 0.2, 0.8]) {
      expect(surface.totalVariance(0.1, k)).toBeCloseTo(sviTotalVariance(sviOf(0.025), k), 15);
      expect(surface.totalVariance(0.5, k)).toBeCloseTo(essviTotalVariance({ theta: 0.125, rho: -0.3, psi: 0.125 * (0.5 / Math.sqrt(0.125)) }, k), 15);
      expect(surface.totalVariance(1, k)).toBeCloseTo(ssviTotalVariance(ssvi, k, 0.25), 15);
      expect(surface.totalVariance(2, k)).toBeCloseTo(ssviTotalVariance(ssvi, k, 0.5), 15);
    }
  });

  it('interpolates total variance linearly in T at fixed k', () => {
    for (const k of [-0.7, 0, 0.5]) {
      const w1 = surface.totalVariance(0.5, k);
      const w2 = surface.totalVariance(1, k);
      expect(surface.totalVariance(0.75, k)).toBeCloseTo(0.5 * (w1 + w2), 15);
      expect(surface.totalVariance(0.6, k)).toBeCloseTo(w1 + 0.2 * (w2 - w1), 15);
    }
  });

  it('is non-decreasing in T at every k (calendar-free slices), including the extrapolations', () => {
    for (let k = -2; k <= 2; k += 0.05) {
      let prev = -1;
      for (let t = 0; t <= 4; t += 0.01) {
        const w = surface.totalVariance(t, k);
        expect(w).toBeGreaterThanOrEqual(prev);
        prev = w;
      }
    }
  });

  it('extrapolates with flat implied vol at fixed k outside the expiry range (w(0, k) = 0)', () => {
    for (const k of [-0.4, 0, 0.3]) {
      expect(surface.totalVariance(0, k)).toBe(0);
      expect(surface.impliedVol(0.02, k)).toBeCloseTo(surface.impliedVol(0.1, k), 14);
      expect(surface.impliedVol(5, k)).toBeCloseTo(surface.impliedVol(2, k), 14);
    }
  });

  it('interpolates log forwards linearly in T (spot at T = 0; constant carry after the last expiry)', () => {
    expect(surface.forward(0)).toBeCloseTo(100, 12);
    for (const sl of slices) expect(surface.forward(sl.expiry)).toBe(sl.forward); // exact at the expiries
    expect(surface.forward(0.05)).toBeCloseTo(Math.sqrt(100 * 100.2), 12);
    expect(surface.forward(0.75)).toBeCloseTo(Math.sqrt(101 * 102), 12);
    expect(surface.forward(3)).toBeCloseTo(104.5 * (104.5 / 102), 12);
    const noSpot = VolSurface.create(slices);
    expect(noSpot.forward(0.01)).toBe(100.2);
  });

  it('vol(T, K) is the implied vol at k = ln(K / F(T))', () => {
    for (const t of [0.05, 0.3, 1.5]) {
      for (const strike of [70, 100, 130]) {
        expect(surface.vol(t, strike)).toBe(surface.impliedVol(t, Math.log(strike / surface.forward(t))));
      }
    }
    expect(surface.vol(1, 102)).toBeCloseTo(0.5, 14); // ATM at T = 1: sqrt(theta / T) = sqrt(0.25)
  });

  it('bounds wings steeper than Lee beyond the fitted range: slope <= 2, C1 at the junction', () => {
    const steep: SviRawParams = { a: 0.02, b: 1.5, rho: 0.6, m: 0, sigma: 0.2 }; // right wing 2.4, left 0.6
    const s = VolSurface.create([{ expiry: 1, forward: 100, model: { kind: 'svi', params: steep }, kRange: [-0.5, 0.6] }]);
    // w'(k) = 2 at k* = m + c sigma / sqrt(1 - c^2), c = 2/b - rho = 0.7333; k* = 0.2157 < 0.6, so the junction is k*
    const c = 2 / 1.5 - 0.6;
    const kStar = (c * 0.2) / Math.sqrt(1 - c * c);
    expect(sviFirstDerivative(steep, kStar)).toBeCloseTo(2, 12);
    for (const k of [kStar + 0.1, 1, 5, 50]) {
      expect(s.totalVariance(1, k)).toBeCloseTo(sviTotalVariance(steep, kStar) + 2 * (k - kStar), 10);
      expect(s.totalVariance(1, k)).toBeLessThan(sviTotalVariance(steep, k));
    }
    const h = 1e-6;
    const slopeLeft = (s.totalVariance(1, kStar) - s.totalVariance(1, kStar - h)) / h;
    const slopeRight = (s.totalVariance(1, kStar + h) - s.totalVariance(1, kStar)) / h;
    expect(Math.abs(slopeLeft - slopeRight)).toBeLessThan(1e-4);
    // the left wing (slope 0.6) is untouched, also beyond the fitted range
    expect(s.totalVariance(1, -3)).toBe(sviTotalVariance(steep, -3));
  });

  it('keeps Lee-compliant wings unchanged beyond the fitted range', () => {
    expect(surface.totalVariance(0.1, 3)).toBe(sviTotalVariance(sviOf(0.025), 3));
  });

  it('round-trips through JSON and is deeply frozen', () => {
    const text = JSON.stringify(surface);
    const back = VolSurface.fromJSON(JSON.parse(text));
    expect(back.expiries()).toEqual(surface.expiries());
    expect(back.spot()).toBe(100);
    for (const t of [0.05, 0.3, 0.5, 1.7, 3]) for (const k of [-1, 0, 0.6]) expect(back.totalVariance(t, k)).toBe(surface.totalVariance(t, k));
    expect(JSON.stringify(back)).toBe(text);
    expect(Object.isFrozen(surface)).toBe(true);
    expect(Object.isFrozen(surface.parameters())).toBe(true);
    expect(Object.isFrozen(surface.parameters()[0])).toBe(true);
    expect(Object.isFrozen(surface.parameters()[0]?.model)).toBe(true);
    expect(Object.isFrozen(surface.expiries())).toBe(true);
    expect(() => {
      (surface.expiries() as number[]).push(3);
    }).toThrow(TypeError);
  });

  it('does not alias the caller\'s parameter objects', () => {
    const params = { ...sviOf(0.03) };
    const s = VolSurface.create([{ expiry: 0.2, forward: 100, model: { kind: 'svi', params } }]);
    const before = s.totalVariance(0.2, 0.1);
    params.a = 1;
    expect(s.totalVariance(0.2, 0.1)).toBe(before);
  });

  it('rejects bad input with typed errors naming the field', () => {
    const bad = (input: VolSurfaceSliceInput[], field: RegExp): void => {
      let error: unknown;
      try {
        VolSurface.create(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SurfaceDomainError);
      expect((error as SurfaceDomainError).field).toMatch(field);
    };
    const ok = slices[0] as VolSurfaceSliceInput;
    bad([], /^slices$/);
    bad([ok, { ...ok }], /^slices\[1\]\.expiry$/);
    bad([{ ...ok, forward: 0 }], /^slices\[0\]\.forward$/);
    bad([{ ...ok, expiry: Number.NaN }], /^slices\[0\]\.expiry$/);
    bad([{ expiry: 1, forward: 100, model: { kind: 'svi', params: { ...sviOf(0.1), rho: 1.5 } } }], /^slices\[0\]\.model\.params\.rho$/);
    bad([{ expiry: 1, forward: 100, model: { kind: 'essvi', theta: 0.1, rho: 0, psi: -1 } }], /^slices\[0\]\.model\.psi$/);
    bad([{ ...ok, kRange: [1, 0] }], /^slices\[0\]\.kRange$/);
    expect(() => VolSurface.fromJSON({ format: 'other', version: 1, slices: [] })).toThrow(/json\.format/);
    expect(() => surface.totalVariance(-1, 0)).toThrow(SurfaceDomainError);
    expect(() => surface.impliedVol(0, 0)).toThrow(/expiry/);
    expect(() => surface.vol(1, -5)).toThrow(/strike/);
    expect(surface.totalVariance(1, Number.NaN)).toBeNaN();
  });
});
