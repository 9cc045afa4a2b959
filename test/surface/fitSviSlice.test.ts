import { describe, expect, it } from 'vitest';
import { createRng, normPdf } from '../../src/math/index.ts';
import {
  fitSviSlice,
  inverseSpreadWeights,
  measureSviFit,
  sviButterfly,
  sviTotalVariance,
  vegaWeights,
  type SviRawParams,
} from '../../src/surface/index.ts';
import reference from '../../fixtures/reference/surface/svi_reference.json' with { type: 'json' };

interface Case {
  name: string;
  params: SviRawParams;
  expiry: number;
  k: number[];
}

const linspace = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

const cases: Case[] = [
  { name: 'Zeliade example', params: { a: 0.01, b: 0.1, rho: -0.4, m: 0.05, sigma: 0.15 }, expiry: 0.5, k: linspace(-0.6, 0.6, 31) },
  { name: 'short-dated crypto', params: { a: 0.004, b: 0.05, rho: -0.2, m: 0.01, sigma: 0.05 }, expiry: 7 / 365, k: linspace(-0.25, 0.25, 25) },
  {
    name: 'long-dated steep skew, uneven strikes',
    params: { a: 0.04, b: 0.2, rho: -0.7, m: 0.1, sigma: 0.3 },
    expiry: 1,
    k: linspace(0, 1, 27).map((u) => -1.5 + 2.3 * (0.6 * u + 0.4 * u * u)),
  },
  { name: 'positive skew', params: { a: 0.02, b: 0.15, rho: 0.3, m: -0.05, sigma: 0.2 }, expiry: 0.25, k: linspace(-0.7, 0.9, 33) },
  {
    name: 'negative a (QuantLib repaired slice)',
    params: { a: -0.0305199, b: 0.102717, rho: 0.100718, m: 0.272344, sigma: 0.412398 },
    expiry: 1,
    k: linspace(-0.8, 1.5, 35),
  },
  { name: 'Vogt (butterfly arbitrage, fitted without enforcement)', params: { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }, expiry: 1, k: linspace(-1, 2, 41) },
];

const keys = ['a', 'b', 'rho', 'm', 'sigma'] as const;

describe('fitSviSlice: parameter recovery without noise', () => {
  it.each(cases)('$name: parameters to 1e-6', ({ params, k, expiry }) => {
    const w = k.map((kk) => sviTotalVariance(params, kk));
    const r = fitSviSlice({ k, w, expiry });
    expect(r.status).toBe('ok');
    expect(r.reason).toBeNull();
    for (const key of keys) expect(Math.abs((r.params as SviRawParams)[key] - params[key])).toBeLessThan(1e-6);
    expect(r.rmse).toBeLessThan(1e-10);
    expect(r.diagnostics.iterations).toBeGreaterThan(0);
    expect(r.diagnostics.functionEvaluations).toBeGreaterThan(r.diagnostics.iterations);
    expect(['converged-gradient', 'converged-step', 'converged-function']).toContain(r.diagnostics.stopReason);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.params)).toBe(true);
    expect(r.diagnostics.kRange).toEqual([Math.min(...k), Math.max(...k)]);
  });

  it('recovers shuffled quotes identically (order does not matter)', () => {
    const c = cases[0] as Case;
    const order = c.k.map((_, i) => (i * 7) % c.k.length);
    const k = order.map((i) => c.k[i] as number);
    const w = k.map((kk) => sviTotalVariance(c.params, kk));
    const r = fitSviSlice({ k, w });
    for (const key of keys) expect(Math.abs((r.params as SviRawParams)[key] - c.params[key])).toBeLessThan(1e-6);
  });
});

describe('fitSviSlice: seeded noise', () => {
  it.each(cases.slice(0, 5))('$name: RMSE in vol points near the noise level (0.2 vol pt)', ({ params, k, expiry }) => {
    const rng = createRng(`svi-noise-${params.a}`);
    const noiseVol = 0.002;
    const w = k.map((kk) => {
      const vol = Math.sqrt(sviTotalVariance(params, kk) / expiry) + noiseVol * rng.nextNormal();
      return vol * vol * expiry;
    });
    const r = fitSviSlice({ k, w, expiry });
    expect(r.status).toBe('ok');
    const volPts = r.diagnostics.statistics.rmseVolPoints as number;
    // expected about 0.2 * sqrt((n - 5)/n) ~ 0.18; a least-squares fit cannot do much better than the noise
    expect(volPts).toBeGreaterThan(0.1);
    expect(volPts).toBeLessThan(0.3);
    // the fit is at least as good as the true parameters on the noisy data
    const truth = measureSviFit(params, { k, w });
    expect(r.rmse).toBeLessThanOrEqual(truth.rmseTotalVariance * (1 + 1e-9));
  });
});

describe('fitSviSlice against scipy.optimize.least_squares (fixtures/reference/surface/svi_reference.json)', () => {
  it.each(reference.fits)('$name: same optimum (params 1e-6, weighted SSE not above scipy)', (c) => {
    const r = fitSviSlice({ k: c.k, w: c.w, weights: c.weights, expiry: c.expiry, bidVol: c.bidVol, askVol: c.askVol });
    expect(r.status).toBe('ok');
    const p = r.params as SviRawParams;
    for (const key of keys) expect(Math.abs(p[key] - c.scipy.params[key])).toBeLessThan(1e-6);
    const n = c.k.length;
    const sum = c.weights.reduce((s, v) => s + v, 0);
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (((c.weights[i] as number) * n) / sum) * (sviTotalVariance(p, c.k[i] as number) - (c.w[i] as number)) ** 2;
    expect(sse).toBeLessThanOrEqual(c.scipy.weightedSse * (1 + 1e-9));
    expect(r.diagnostics.statistics.rmseVolPoints as number).toBeCloseTo(c.scipy.rmseVolPoints, 6);
    expect(r.diagnostics.statistics.insideBidAskShare).toBeCloseTo(c.scipy.insideBidAskShare, 12);
    expect(r.diagnostics.statistics.bidAskQuotes).toBe(n);
  });
});

describe('fitSviSlice: enforceButterfly', () => {
  const vogt = cases[5] as Case;
  const w = vogt.k.map((kk) => sviTotalVariance(vogt.params, kk));

  it('the free fit reproduces the Vogt arbitrage and reports it in diagnostics', () => {
    const r = fitSviSlice({ k: vogt.k, w });
    expect(r.status).toBe('ok');
    expect(r.diagnostics.butterfly?.arbitrage).toBe(true);
    expect(r.diagnostics.butterfly?.minG).toBeCloseTo(-0.032864, 5);
  });

  it('with enforceButterfly the returned slice is butterfly-free and still close to the data', () => {
    const r = fitSviSlice({ k: vogt.k, w, expiry: 1 }, { enforceButterfly: true });
    expect(r.status).toBe('ok');
    const check = sviButterfly(r.params as SviRawParams, { kMax: 5 });
    expect(check.arbitrage).toBe(false);
    expect(check.minG).toBeGreaterThanOrEqual(0);
    expect(check.wingSlope).toBeLessThanOrEqual(2);
    expect(r.diagnostics.penaltyRounds).toBeGreaterThan(0);
    expect(r.diagnostics.slopeBound).toBe(2);
    // the arbitrage-free slice cannot match Vogt exactly; measured: about 0.7 vol points RMSE
    expect(r.diagnostics.statistics.rmseVolPoints as number).toBeGreaterThan(0.01);
    expect(r.diagnostics.statistics.rmseVolPoints as number).toBeLessThan(1.5);
  });

  it('leaves an arbitrage-free fit unchanged', () => {
    const c = cases[0] as Case;
    const wc = c.k.map((kk) => sviTotalVariance(c.params, kk));
    const r = fitSviSlice({ k: c.k, w: wc }, { enforceButterfly: true });
    expect(r.diagnostics.penaltyRounds).toBe(0);
    for (const key of keys) expect(Math.abs((r.params as SviRawParams)[key] - c.params[key])).toBeLessThan(1e-6);
  });
});

describe('fitSviSlice: data problems give a status, never a throw or NaN', () => {
  const c = cases[0] as Case;
  const w = c.k.map((kk) => sviTotalVariance(c.params, kk));

  it('drops non-finite or non-positive quotes and fits the rest', () => {
    const wBad = [...w];
    wBad[3] = Number.NaN;
    wBad[10] = -0.01;
    wBad[20] = 0;
    const kBad = [...c.k];
    kBad[5] = Number.POSITIVE_INFINITY;
    const r = fitSviSlice({ k: kBad, w: wBad });
    expect(r.status).toBe('ok');
    expect(r.diagnostics.usedQuotes).toBe(27);
    expect(r.diagnostics.droppedQuotes).toBe(4);
    for (const key of keys) expect(Math.abs((r.params as SviRawParams)[key] - c.params[key])).toBeLessThan(1e-6);
  });

  it('falls back to a flat slice at the interpolated ATM total variance with too few quotes', () => {
    const r = fitSviSlice({ k: [-0.1, 0.05, 0.2], w: [0.012, 0.01, 0.011] });
    expect(r.status).toBe('fallback');
    expect(r.reason).toMatch(/only 3 usable quotes/);
    // linear interpolation between k = -0.1 and 0.05 at k = 0: 0.012 + (0.1/0.15)(0.01 - 0.012)
    expect(r.params?.a).toBeCloseTo(0.012 + (0.1 / 0.15) * (0.01 - 0.012), 15);
    expect(r.params).toMatchObject({ b: 0, rho: 0, m: 0, sigma: 1 });
    expect(Number.isFinite(r.rmse)).toBe(true);
    expect(r.diagnostics.stopReason).toBe('fallback');
  });

  it('falls back when all quotes share one strike', () => {
    const r = fitSviSlice({ k: [0.1, 0.1, 0.1, 0.1, 0.1], w: [0.01, 0.011, 0.012, 0.01, 0.01] });
    expect(r.status).toBe('fallback');
    expect(r.params?.a).toBeCloseTo(0.0106, 12); // nearest quotes' average (all at k = 0.1)
  });

  it('fails without params (null) when no quote is usable', () => {
    const r = fitSviSlice({ k: [0, 0.1], w: [Number.NaN, -1] });
    expect(r.status).toBe('failed');
    expect(r.params).toBeNull();
    expect(r.rmse).toBe(Number.POSITIVE_INFINITY);
    const empty = fitSviSlice({ k: [], w: [] });
    expect(empty.status).toBe('failed');
  });

  it('returns a finite, valid slice on wild data (outliers, a spike)', () => {
    const rng = createRng(7);
    const k = linspace(-0.5, 0.5, 21);
    const wild = k.map((_, i) => (i === 10 ? 5 : 0.01 + 0.05 * rng.nextFloat64()));
    const r = fitSviSlice({ k, w: wild });
    expect(['ok', 'fallback']).toContain(r.status);
    const p = r.params as SviRawParams;
    for (const key of keys) expect(Number.isFinite(p[key])).toBe(true);
    expect(p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho)).toBeGreaterThan(0);
    expect(Number.isFinite(r.rmse)).toBe(true);
  });
});

describe('fit weights and statistics', () => {
  it('vegaWeights = phi(d_plus)/max with d_plus = -k/sqrt(w) + sqrt(w)/2, 0 for invalid quotes', () => {
    const k = [-0.3, 0, 0.2, 0.5];
    const w = [0.05, 0.04, Number.NaN, 0.045];
    const out = vegaWeights(k, w);
    const raw = k.map((kk, i) => (Number.isFinite(w[i]) ? normPdf(-kk / Math.sqrt(w[i] as number) + Math.sqrt(w[i] as number) / 2) : 0));
    const max = Math.max(...raw);
    out.forEach((v, i) => expect(v).toBeCloseTo((raw[i] as number) / max, 15));
    expect(out[2]).toBe(0);
    expect(Math.max(...out)).toBe(1);
  });

  it('inverseSpreadWeights = 1/max(spread, floor) scaled to max 1; missing spreads get the smallest weight', () => {
    const out = inverseSpreadWeights([0.5, 0.5, Number.NaN, 0.6], [0.51, 0.54, 0.6, 0.6001], { floor: 0.002 });
    expect(out[0]).toBeCloseTo(0.002 / 0.01, 12);
    expect(out[1]).toBeCloseTo(0.002 / 0.04, 12);
    expect(out[3]).toBe(1); // spread 1e-4 floored at 0.002
    expect(out[2]).toBeCloseTo(out[1] as number, 15);
  });

  it('measureSviFit counts a quote inside [bid, ask], treats a missing bid as 0 and skips a missing ask', () => {
    const p = { a: 0.04, b: 0, rho: 0, m: 0, sigma: 1 }; // flat 20% vol at T = 1
    const s = measureSviFit(p, {
      k: [0, 0.1, 0.2, 0.3, 0.4],
      w: [0.04, 0.04, 0.04, 0.0441, 0.04],
      expiry: 1,
      bidVol: [0.19, 0.205, Number.NaN, 0.19, 0.19],
      askVol: [0.21, 0.21, 0.25, 0.2, Number.NaN],
    });
    expect(s.bidAskQuotes).toBe(4);
    expect(s.insideBidAskShare).toBeCloseTo(3 / 4, 15);
    expect(s.rmseVolPoints as number).toBeCloseTo(100 * Math.sqrt(0.01 ** 2 / 5), 12);
    expect(s.maxAbsResidual).toBeCloseTo(0.0041, 15);
  });
});
