import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import {
  SurfaceDomainError,
  essviCalendarConditions,
  essviPsiCap,
  essviTotalVariance,
  fitEssviSurface,
  fitSsviSurface,
  ssviArbitrage,
  ssviPhi,
  ssviThetaPhiDerivative,
  ssviToRawSvi,
  ssviTotalVariance,
  sviButterfly,
  sviCalendarCheck,
  sviTotalVariance,
  type EssviSliceParams,
  type SsviParams,
} from '../../src/surface/index.ts';
import vectors from '../../fixtures/reference/surface/vectors.json' with { type: 'json' };

const kGrid = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('SSVI total variance (methods.md §3.5 vectors)', () => {
  it('power law phi = eta theta^-gamma: volsurf-rs hand-computed values', () => {
    const row = vectors.ssvi[0] as (typeof vectors.ssvi)[number];
    const p = { rho: row.rho, eta: row.eta, gamma: row.gamma };
    expect(ssviPhi(p, row.theta)).toBeCloseTo(row.phi_value, 14);
    for (const [k, w] of Object.entries(row.w)) expect(Math.abs(ssviTotalVariance(p, Number(k), row.theta) - w)).toBeLessThan(1e-15);
    expect(ssviTotalVariance(p, -0.2, 0.04)).toBeCloseTo(0.02 * (1.15 + Math.sqrt(1.55)), 15);
    expect(ssviTotalVariance(p, 0.2, 0.04)).toBeCloseTo(0.02 * (0.85 + Math.sqrt(0.95)), 15);
  });

  it.each(vectors.ssvi.slice(1))('GJ power law at theta = $theta: phi, w and the raw SVI form', (row) => {
    const p: SsviParams = { rho: row.rho, eta: row.eta, gamma: row.gamma, phi: 'power-law-gj' };
    expect(ssviPhi(p, row.theta)).toBeCloseTo(row.phi_value, 9);
    for (const [k, w] of Object.entries(row.w)) expect(Math.abs(ssviTotalVariance(p, Number(k), row.theta) - w)).toBeLessThan(1e-12);
    const raw = ssviToRawSvi(p, row.theta);
    const pub = row.raw_svi as { a: number; b: number; m: number; sigma: number; rho: number };
    for (const key of ['a', 'b', 'm', 'sigma', 'rho'] as const) expect(Math.abs(raw[key] - pub[key])).toBeLessThan(1e-9);
    for (const k of [-1, -0.2, 0, 0.3, 1.5]) expect(sviTotalVariance(raw, k)).toBeCloseTo(ssviTotalVariance(p, k, row.theta), 15);
  });

  it('w(0, theta) = theta for every phi family', () => {
    const families: SsviParams[] = [
      { rho: -0.6, eta: 1.2, gamma: 0.3 },
      { rho: 0.4, eta: 0.7, gamma: 0.5, phi: 'power-law-gj' },
      { rho: -0.2, lambda: 3, phi: 'heston-like' },
    ];
    for (const p of families) for (const theta of [1e-4, 0.03, 0.5, 2]) expect(ssviTotalVariance(p, 0, theta)).toBeCloseTo(theta, 15);
  });

  it('d(theta phi)/dtheta matches central finite differences for all three phi families', () => {
    const families: SsviParams[] = [
      { rho: -0.6, eta: 1.2, gamma: 0.3 },
      { rho: 0.4, eta: 0.7, gamma: 0.5, phi: 'power-law-gj' },
      { rho: -0.2, lambda: 3, phi: 'heston-like' },
      { rho: -0.2, lambda: 0.001, phi: 'heston-like' }, // small lambda theta: series branch
    ];
    for (const p of families) {
      for (const theta of [0.002, 0.05, 0.4, 3]) {
        const h = 1e-6 * theta;
        const fd = ((theta + h) * ssviPhi(p, theta + h) - (theta - h) * ssviPhi(p, theta - h)) / (2 * h);
        expect(Math.abs(ssviThetaPhiDerivative(p, theta) - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    }
    // Heston-like phi: series and closed form agree across the switch at lambda theta = 1e-4
    const heston: SsviParams = { rho: 0, lambda: 1, phi: 'heston-like' };
    expect(ssviPhi(heston, 0.99999e-4)).toBeCloseTo(ssviPhi(heston, 1.00001e-4), 6);
    expect(ssviPhi(heston, 1e-4)).toBeCloseTo(0.5 - 1e-4 / 6, 9);
  });

  it('rejects bad parameters with a typed error naming the field', () => {
    expect(() => ssviTotalVariance({ rho: 1, eta: 1, gamma: 0.5 }, 0, 0.04)).toThrow(SurfaceDomainError);
    expect(() => ssviTotalVariance({ rho: 0, eta: -1, gamma: 0.5 }, 0, 0.04)).toThrow(/params\.eta/);
    expect(() => ssviTotalVariance({ rho: 0, eta: 1, gamma: 0.5 }, 0, 0)).toThrow(/theta/);
    expect(() => ssviTotalVariance({ rho: 0, lambda: 0, phi: 'heston-like' }, 0, 0.1)).toThrow(/params\.lambda/);
  });
});

/** min over a fine k grid of w(k, theta2) - w(k, theta1), theta2 > theta1. */
function minCalendarGap(p: SsviParams, theta1: number, theta2: number, kMax = 5): number {
  let min = Number.POSITIVE_INFINITY;
  for (let k = -kMax; k <= kMax; k += kMax / 5000) min = Math.min(min, ssviTotalVariance(p, k, theta2) - ssviTotalVariance(p, k, theta1));
  return min;
}

describe('ssviArbitrage (Gatheral & Jacquier 2014, Thm 4.1 and 4.2)', () => {
  const slices = [
    { expiry: 0.1, theta: 0.01 },
    { expiry: 0.4, theta: 0.04 },
    { expiry: 0.9, theta: 0.09 },
    { expiry: 1.6, theta: 0.16 },
  ];

  it('accepts a surface satisfying every condition (power law, gamma = 1/2), confirmed on a k grid', () => {
    const p = { rho: -0.3, eta: 0.5, gamma: 0.5 };
    const res = ssviArbitrage(p, slices);
    expect(res.calendar).toBe(false);
    expect(res.butterfly).toBe(false);
    expect(res.arbitrage).toBe(false);
    expect(res.butterflyGuaranteed).toBe(true);
    expect(res.violations).toHaveLength(0);
    for (let i = 1; i < slices.length; i++) {
      expect(minCalendarGap(p, (slices[i - 1] as { theta: number }).theta, (slices[i] as { theta: number }).theta)).toBeGreaterThanOrEqual(0);
    }
    for (const s of res.slices) expect(s.minG).toBeGreaterThan(0);
  });

  it('flags calendar arbitrage when theta phi decreases (gamma = 1.3 > 1), and the slices do cross', () => {
    const p = { rho: -0.3, eta: 0.3, gamma: 1.3 };
    const res = ssviArbitrage(p, slices);
    expect(res.calendar).toBe(true);
    expect(res.violations.join(' ')).toMatch(/d\(theta phi\)\/dtheta = .* < 0/);
    expect(minCalendarGap(p, 0.01, 0.04)).toBeLessThan(0);
  });

  it("flags calendar arbitrage above Thm 4.1's upper bound (rho = 0.9, gamma = -1.5), and the slices do cross", () => {
    const p = { rho: 0.9, eta: 0.5, gamma: -1.5 };
    // d(theta phi)/dtheta = 2.5 phi > (1 + sqrt(1 - 0.81))/0.81 phi = 1.773 phi
    const res = ssviArbitrage(p, [
      { expiry: 0.5, theta: 0.2 },
      { expiry: 1, theta: 0.21 },
    ]);
    expect(res.calendar).toBe(true);
    expect(res.violations.join(' ')).toMatch(/> \(1\+sqrt\(1-rho\^2\)\) phi\/rho\^2/);
    // the crossing is far out (k ~ -17.7, near m = -rho/phi = -20), not within |k| <= 5
    expect(minCalendarGap(p, 0.2, 0.21, 5)).toBeGreaterThan(0);
    expect(minCalendarGap(p, 0.2, 0.21, 40)).toBeLessThan(0);
    const check = sviCalendarCheck(ssviToRawSvi(p, 0.2), ssviToRawSvi(p, 0.21));
    expect(check.arbitrage).toBe(true);
    expect(check.worstK).toBeCloseTo(-17.7, 0);
  });

  it('flags a decreasing ATM total variance', () => {
    const res = ssviArbitrage({ rho: -0.3, eta: 0.5, gamma: 0.5 }, [
      { expiry: 1, theta: 0.04 },
      { expiry: 0.5, theta: 0.05 },
    ]);
    expect(res.calendar).toBe(true);
    expect(res.violations[0]).toMatch(/theta decreases/);
  });

  it('flags butterfly arbitrage when theta phi^2 (1+|rho|) > 4, confirmed by a negative Durrleman g', () => {
    const p = { rho: -0.5, eta: 3, gamma: 0.5 };
    const res = ssviArbitrage(p, [{ expiry: 1, theta: 0.25 }]);
    expect(res.butterflyGuaranteed).toBe(false);
    expect(res.slices[0]?.gjSufficient).toBe(false);
    expect(res.butterfly).toBe(true);
    expect(sviButterfly(ssviToRawSvi(p, 0.25)).minG).toBeLessThan(0);
  });

  it("flags Lee's bound theta phi (1+|rho|) > 4", () => {
    const res = ssviArbitrage({ rho: 0.6, eta: 2, gamma: 0.2 }, [{ expiry: 2, theta: 4 }]);
    expect(res.slices[0]?.leeNecessary).toBe(false);
    expect(res.butterfly).toBe(true);
  });

  it('validates the slices', () => {
    expect(() => ssviArbitrage({ rho: 0, eta: 1, gamma: 0.5 }, [])).toThrow(/slices/);
    expect(() => ssviArbitrage({ rho: 0, eta: 1, gamma: 0.5 }, [{ expiry: 1, theta: -1 }])).toThrow(/slices\[0\]\.theta/);
  });
});

function ssviQuotes(p: SsviParams, expiries: number[], thetas: number[], noiseVol: number, seed: number) {
  const rng = createRng(seed);
  return expiries.map((expiry, j) => {
    const theta = thetas[j] as number;
    const k = kGrid(-2.2 * Math.sqrt(theta), 1.8 * Math.sqrt(theta), 21);
    const w = k.map((kk) => {
      const vol = Math.sqrt(ssviTotalVariance(p, kk, theta) / expiry) + noiseVol * rng.nextNormal();
      return vol * vol * expiry;
    });
    return { expiry, k, w };
  });
}

describe('fitSsviSurface', () => {
  const expiries = [0.02, 0.08, 0.25, 0.5, 1, 2];
  const thetas = expiries.map((t) => 0.36 * t * (1 + 0.1 * t)); // ~60% ATM vol, slightly rising

  it.each([
    { rho: -0.35, eta: 0.8, gamma: 0.4 },
    { rho: 0.2, eta: 0.5, gamma: 0.25, phi: 'power-law-gj' as const },
  ])('recovers rho, eta, gamma without noise (%o)', (p) => {
    const r = fitSsviSurface(ssviQuotes(p, expiries, thetas, 0, 1), p.phi ? { phi: p.phi } : {});
    expect(r.status).toBe('ok');
    const q = r.params as { rho: number; eta: number; gamma: number };
    expect(Math.abs(q.rho - p.rho)).toBeLessThan(1e-6);
    expect(Math.abs(q.eta - p.eta)).toBeLessThan(1e-6);
    expect(Math.abs(q.gamma - p.gamma)).toBeLessThan(1e-6);
    expect(r.rmse).toBeLessThan(1e-10);
    expect(r.diagnostics.arbitrage?.arbitrage).toBe(false);
    r.slices.forEach((s, i) => expect(s.theta).toBeCloseTo(thetas[i] as number, 12));
  });

  it('with seeded noise: RMSE near the noise, no arbitrage, non-decreasing thetas', () => {
    const p = { rho: -0.35, eta: 0.8, gamma: 0.4 };
    const data = ssviQuotes(p, expiries, thetas, 0.003, 5);
    const r = fitSsviSurface(data);
    expect(r.status).toBe('ok');
    expect(r.diagnostics.arbitrage?.arbitrage).toBe(false);
    for (let i = 1; i < r.slices.length; i++) expect((r.slices[i] as { theta: number }).theta).toBeGreaterThanOrEqual((r.slices[i - 1] as { theta: number }).theta);
    let sumSq = 0;
    let n = 0;
    for (const s of data) {
      const theta = r.slices.find((x) => x.expiry === s.expiry)?.theta as number;
      s.k.forEach((kk, i) => {
        const model = Math.sqrt(ssviTotalVariance(r.params as SsviParams, kk, theta) / s.expiry);
        sumSq += (model - Math.sqrt((s.w[i] as number) / s.expiry)) ** 2;
        n++;
      });
    }
    const volPts = 100 * Math.sqrt(sumSq / n);
    expect(volPts).toBeGreaterThan(0.2);
    expect(volPts).toBeLessThan(0.6); // noise 0.3 vol pt; the ATM theta estimate carries noise too
  });

  it('enforces the butterfly constraints: data from eta beyond the cap give a capped, arbitrage-free fit', () => {
    const p = { rho: -0.5, eta: 2.5, gamma: 0.5 }; // theta phi^2 (1+|rho|) = 9.4 > 4
    const r = fitSsviSurface(ssviQuotes(p, expiries, thetas, 0, 3));
    expect(r.status).toBe('ok');
    expect(r.diagnostics.arbitrage?.butterflyGuaranteed).toBe(true);
    const q = r.params as { rho: number; eta: number; gamma: number };
    expect(q.eta * q.eta * Math.pow(thetas[0] as number, 1 - 2 * q.gamma) * (1 + Math.abs(q.rho))).toBeLessThanOrEqual(4 + 1e-9);
  });

  it('makes a decreasing quoted ATM variance monotone (isotonic) and skips unusable expiries', () => {
    const p = { rho: -0.35, eta: 0.8, gamma: 0.4 };
    const data = ssviQuotes(p, [0.25, 0.5, 1], [0.1, 0.09, 0.2], 0, 2);
    const r = fitSsviSurface([...data, { expiry: 3, k: [0, 0.1], w: [0.3, 0.31] }, { expiry: -1, k: [0], w: [0.1] }]);
    expect(r.slices[0]?.theta).toBeCloseTo(0.095, 12);
    expect(r.slices[1]?.theta).toBeCloseTo(0.095, 12);
    expect(r.diagnostics.skipped.map((s) => s.inputIndex)).toEqual([3, 4]);
    expect(r.diagnostics.arbitrage?.calendar).toBe(false);
  });

  it('fails without a usable expiry', () => {
    const r = fitSsviSurface([{ expiry: 1, k: [0], w: [Number.NaN] }]);
    expect(r.status).toBe('failed');
    expect(r.params).toBeNull();
  });
});

describe('eSSVI calendar conditions (Hendriks & Martini 2019)', () => {
  it('the wing conditions alone (methods.md §3.6 list) are not sufficient: counter-example with equal thetas', () => {
    const earlier: EssviSliceParams = { theta: 0.5123, rho: 0.8919, psi: 0.2892 };
    const later: EssviSliceParams = { theta: 0.5123, rho: -0.3726, psi: 1.5937 };
    const c = essviCalendarConditions(earlier, later);
    expect(c.thetaNonDecreasing).toBe(true);
    expect(c.wingsNonDecreasing).toBe(true);
    expect(c.curvatureNonIncreasing).toBe(false);
    expect(c.sufficient).toBe(false);
    // the slices do cross just right of the money (ATM skews rho psi differ)
    expect(essviTotalVariance(later, 0.05)).toBeLessThan(essviTotalVariance(earlier, 0.05));
  });

  it('random pairs meeting the three conditions never cross (|k| <= 10)', () => {
    const rng = createRng('essvi-conditions');
    let tested = 0;
    let worst = Number.POSITIVE_INFINITY;
    while (tested < 300) {
      const t1 = 0.001 + rng.nextFloat64();
      const r1 = -0.95 + 1.9 * rng.nextFloat64();
      const p1 = rng.nextFloat64() * essviPsiCap(t1, r1);
      const t2 = t1 * (1 + 2 * rng.nextFloat64());
      const r2 = -0.95 + 1.9 * rng.nextFloat64();
      const wing = Math.max((1 + r1) / (1 + r2), (1 - r1) / (1 - r2));
      const lo = wing * p1;
      const hi = (p1 * t2) / t1;
      if (lo > hi) continue;
      tested++;
      const earlier = { theta: t1, rho: r1, psi: p1 };
      const later = { theta: t2, rho: r2, psi: lo + (hi - lo) * rng.nextFloat64() };
      expect(essviCalendarConditions(earlier, later).sufficient).toBe(true);
      let min = Number.POSITIVE_INFINITY;
      for (let k = -10; k <= 10; k += 0.005) min = Math.min(min, essviTotalVariance(later, k) - essviTotalVariance(earlier, k));
      worst = Math.min(worst, min);
    }
    expect(worst).toBeGreaterThanOrEqual(-1e-15);
  });
});

describe('fitEssviSurface', () => {
  const truth: (EssviSliceParams & { expiry: number })[] = [
    { expiry: 0.02, theta: 0.006, rho: -0.15, psi: 0.06 },
    { expiry: 0.08, theta: 0.02, rho: -0.25, psi: 0.12 },
    { expiry: 0.25, theta: 0.06, rho: -0.3, psi: 0.2 },
    { expiry: 0.5, theta: 0.11, rho: -0.35, psi: 0.28 },
    { expiry: 1, theta: 0.2, rho: -0.4, psi: 0.38 },
  ];
  const quotes = (slices: typeof truth, noiseVol: number, seed: number) => {
    const rng = createRng(seed);
    return slices.map((s) => {
      const k = kGrid(-2.5 * Math.sqrt(s.theta), 2 * Math.sqrt(s.theta), 19);
      const w = k.map((kk) => {
        const vol = Math.sqrt(essviTotalVariance(s, kk) / s.expiry) + noiseVol * rng.nextNormal();
        return vol * vol * s.expiry;
      });
      return { expiry: s.expiry, k, w };
    });
  };
  const calendarGapOnGrid = (slices: readonly EssviSliceParams[]): number => {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 1; i < slices.length; i++) {
      for (let k = -4; k <= 4; k += 0.0005) {
        min = Math.min(min, essviTotalVariance(slices[i] as EssviSliceParams, k) - essviTotalVariance(slices[i - 1] as EssviSliceParams, k));
      }
    }
    return min;
  };

  it('the synthetic truth meets the sufficient conditions', () => {
    for (let i = 1; i < truth.length; i++) expect(essviCalendarConditions(truth[i - 1] as EssviSliceParams, truth[i] as EssviSliceParams).sufficient).toBe(true);
  });

  it('recovers the slices without noise (1e-6)', () => {
    const r = fitEssviSurface(quotes(truth, 0, 1));
    expect(r.status).toBe('ok');
    r.slices.forEach((s, i) => {
      const t = truth[i] as EssviSliceParams;
      expect(Math.abs(s.theta - t.theta)).toBeLessThan(1e-6);
      expect(Math.abs(s.rho - t.rho)).toBeLessThan(1e-6);
      expect(Math.abs(s.psi - t.psi)).toBeLessThan(1e-6);
    });
    expect(r.rmse).toBeLessThan(1e-10);
  });

  it('with seeded noise the fitted surface is calendar-free on a fine grid and butterfly-free', () => {
    const r = fitEssviSurface(quotes(truth, 0.004, 9));
    expect(r.status).toBe('ok');
    expect(calendarGapOnGrid(r.slices)).toBeGreaterThanOrEqual(-1e-15);
    for (const s of r.slices) {
      expect(s.butterflyFree).toBe(true);
      expect(sviButterfly(ssviToRawSvi({ rho: s.rho, eta: s.psi / s.theta, gamma: 0 }, s.theta)).arbitrage).toBe(false);
      expect(s.rmse).toBeLessThan(0.004 * 2 * 2 * Math.sqrt(s.theta * s.expiry)); // ~ noise in w units
    }
  });

  it('data whose slices cross (independent fits would carry calendar arbitrage) give a calendar-free fit', () => {
    // second slice: same ATM variance region but a much steeper skew: crosses the first on the right
    const crossing = [
      { expiry: 0.25, theta: 0.05, rho: 0.3, psi: 0.25 },
      { expiry: 0.3, theta: 0.052, rho: -0.7, psi: 0.26 },
      { expiry: 0.5, theta: 0.1, rho: -0.2, psi: 0.3 },
    ];
    let raw = Number.POSITIVE_INFINITY;
    for (let k = -1; k <= 1; k += 0.001) raw = Math.min(raw, essviTotalVariance(crossing[1] as EssviSliceParams, k) - essviTotalVariance(crossing[0] as EssviSliceParams, k));
    expect(raw).toBeLessThan(0); // the data themselves carry calendar arbitrage
    const r = fitEssviSurface(quotes(crossing, 0, 4));
    expect(r.status).toBe('ok');
    expect(calendarGapOnGrid(r.slices)).toBeGreaterThanOrEqual(-1e-15);
    for (let i = 1; i < r.slices.length; i++) {
      expect(r.slices[i]?.calendarConditions?.sufficient).toBe(true);
      expect(r.slices[i]?.calendarScan?.arbitrage).toBe(false);
    }
  });
});
