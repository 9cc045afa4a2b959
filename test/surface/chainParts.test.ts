/**
 * Building blocks of the chain surface fit: the wing-slope coordinates, the analytic Jacobian of the penalised refit,
 * the far-field calendar check, the numerical surface scan and the calendar repair on a synthetic term structure.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import { calendarPairCheck } from '../../src/surface/chain/calendarPairCheck.ts';
import { repairCalendar } from '../../src/surface/chain/repairCalendar.ts';
import { stretchWings } from '../../src/surface/chain/refitSlice.ts';
import { sviPenaltyProblem } from '../../src/surface/chain/sviPenaltyRefit.ts';
import { rawToWingBox, wingBoxToRaw, type SviWingBox } from '../../src/surface/chain/sviWingBox.ts';
import { scanSurfaceArbitrage } from '../../src/surface/chain/index.ts';
import {
  VolSurface, sviCalendarCheck, sviDurrlemanG, sviFirstDerivative, sviSecondDerivative, sviTotalVariance, ssviToRawSvi,
  type SviRawParams,
} from '../../src/surface/index.ts';

const box: SviWingBox = { left: [0.05, 1.5], right: [0.02, 0.8], mBounds: [-1, 1], sigmaBounds: [0.01, 3] };

describe('wing-slope coordinates', () => {
  it('round trip raw -> u -> raw inside the box; slopes b(1 -+ rho) land exactly in their boxes for any u', () => {
    const p = { a: 0.02, b: 0.3, rho: -0.4, m: 0.1, sigma: 0.25 };
    const back = wingBoxToRaw(rawToWingBox(p, box), box);
    for (const key of ['a', 'b', 'rho', 'm', 'sigma'] as const) expect(back[key]).toBeCloseTo(p[key], 12);
    const rng = createRng(7);
    for (let i = 0; i < 200; i++) {
      const u = Array.from({ length: 5 }, () => 8 * (rng.nextFloat64() - 0.5));
      const q = wingBoxToRaw(u, box);
      const sL = q.b * (1 - q.rho);
      const sR = q.b * (1 + q.rho);
      expect(sL).toBeGreaterThanOrEqual(box.left[0] - 1e-15);
      expect(sL).toBeLessThanOrEqual(box.left[1] + 1e-15);
      expect(sR).toBeGreaterThanOrEqual(box.right[0] - 1e-15);
      expect(sR).toBeLessThanOrEqual(box.right[1] + 1e-15);
      expect(q.a + q.b * q.sigma * Math.sqrt(1 - q.rho * q.rho)).toBeGreaterThan(0);
    }
  });

  it('d(a, b, rho, m, sigma)/du matches central finite differences', () => {
    const u = [Math.log(0.01), 0.3, -0.7, 0.2, -0.4];
    const jac = new Float64Array(25);
    wingBoxToRaw(u, box, jac);
    const keys = ['a', 'b', 'rho', 'm', 'sigma'] as const;
    for (let c = 0; c < 5; c++) {
      const h = 1e-6;
      const up = [...u];
      const dn = [...u];
      up[c] = (up[c] as number) + h;
      dn[c] = (dn[c] as number) - h;
      const pu = wingBoxToRaw(up, box);
      const pd = wingBoxToRaw(dn, box);
      keys.forEach((key, r) => expect(jac[r * 5 + c]).toBeCloseTo((pu[key] - pd[key]) / (2 * h), 7));
    }
  });

  it('stretchWings keeps the vertex level a + b sigma, skew w\'(m) and curvature w\'\'(m), and steepens both wings', () => {
    const p = { a: 0.01, b: 0.2, rho: -0.3, m: 0.05, sigma: 0.3 };
    const q = stretchWings(p, 2.5);
    expect(sviTotalVariance(q, q.m)).toBeCloseTo(sviTotalVariance(p, p.m), 14);
    expect(sviFirstDerivative(q, q.m)).toBeCloseTo(sviFirstDerivative(p, p.m), 14);
    expect(sviSecondDerivative(q, q.m)).toBeCloseTo(sviSecondDerivative(p, p.m), 12);
    expect(q.b * (1 - q.rho)).toBeGreaterThan(p.b * (1 - p.rho));
    expect(q.b * (1 + q.rho)).toBeGreaterThan(p.b * (1 + p.rho));
  });
});

describe('sviPenaltyProblem: analytic Jacobian', () => {
  it('matches central finite differences with data, floor, ceiling, butterfly and slope-regularisation rows all active', () => {
    const truth = { a: 0.02, b: 0.25, rho: -0.5, m: 0.05, sigma: 0.2 };
    const k = Array.from({ length: 15 }, (_, i) => -0.7 + 0.1 * i);
    const data = { n: k.length, k: Float64Array.from(k), w: Float64Array.from(k, (x) => sviTotalVariance(truth, x) * 1.02), weights: new Float64Array(k.length).fill(1) };
    // the Vogt slice (butterfly arbitrage near k = 0.88) between a floor above it and a ceiling below it
    const start = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
    const problemBox: SviWingBox = { left: [0.01, 1.9], right: [0.01, 1.9], mBounds: [-1.5, 1.5], sigmaBounds: [0.01, 3] };
    const grid = Float64Array.from({ length: 81 }, (_, i) => -4 + 0.1 * i);
    const { problem, start: u0 } = sviPenaltyProblem({
      data, start, box: problemBox,
      floor: { ...start, a: start.a + 0.005 }, floorGrid: grid,
      ceiling: { ...start, a: start.a - 0.003 }, ceilingGrid: grid,
      butterflyGrid: grid, penaltyWeight: 10, scale: 0.05, floorMargin: 1e-4, butterflyMargin: 1e-3, slopeRegularization: 0.01,
    });
    const m = problem.residualCount;
    const r0 = new Float64Array(m);
    problem.residuals(u0, r0);
    const active = { floor: 0, ceiling: 0, butterfly: 0 };
    for (let j = 0; j < grid.length; j++) {
      if ((r0[data.n + j] as number) < 0) active.floor++;
      if ((r0[data.n + grid.length + j] as number) < 0) active.ceiling++;
      if ((r0[data.n + 2 * grid.length + j] as number) < 0) active.butterfly++;
    }
    expect(active.floor).toBe(grid.length);
    expect(active.ceiling).toBe(grid.length);
    expect(active.butterfly).toBeGreaterThan(0);
    const jac = new Float64Array(m * 5);
    problem.jacobian!(u0, r0, jac);
    const rp = new Float64Array(m);
    const rm = new Float64Array(m);
    let worst = 0;
    for (let c = 0; c < 5; c++) {
      const h = 1e-7;
      const up = Float64Array.from(u0);
      const dn = Float64Array.from(u0);
      up[c] = (up[c] as number) + h;
      dn[c] = (dn[c] as number) - h;
      problem.residuals(up, rp);
      problem.residuals(dn, rm);
      for (let i = 0; i < m; i++) {
        // rows at a kink of min(., 0) have one-sided derivatives: skip those that change activity within +-h
        if (((rp[i] as number) === 0) !== ((rm[i] as number) === 0)) continue;
        const fd = ((rp[i] as number) - (rm[i] as number)) / (2 * h);
        const an = jac[i * 5 + c] as number;
        worst = Math.max(worst, Math.abs(fd - an) / Math.max(1, Math.abs(fd)));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('calendarPairCheck: far field', () => {
  // equal asymptotic slopes 0.1 on both wings; the later slice's right asymptote lies 1e-4 below the earlier one's,
  // so w_later - w_earlier ~ -1e-4 + 0.1 (0.2^2 - 0.05^2)/(2k) turns negative only beyond k ~ 19
  const earlier = { a: 0.01, b: 0.1, rho: 0, m: 0, sigma: 0.05 };
  const later = { a: 0.01, b: 0.1, rho: 0, m: 0.001, sigma: 0.2 };

  it('finds the violation that sviCalendarCheck (grids |k| <= 6 and +-40 sigma) cannot see', () => {
    expect(sviCalendarCheck(earlier, later, { kMax: 6 }).arbitrage).toBe(false);
    const c = calendarPairCheck(earlier, later, 6);
    expect(c.arbitrage).toBe(true);
    expect(c.wingViolation).toBe('right');
    expect(c.worstK).toBeGreaterThan(19);
    expect(sviTotalVariance(later, 50)).toBeLessThan(sviTotalVariance(earlier, 50));
    // lifting the later slice by more than the intercept gap removes it
    expect(calendarPairCheck(earlier, { ...later, a: later.a + 2e-4 }, 6).arbitrage).toBe(false);
  });

  it('scanSurfaceArbitrage sees it on the VolSurface too, and sees butterfly arbitrage of the Vogt slice', () => {
    const surface = VolSurface.create([
      { expiry: 0.1, forward: 100, model: { kind: 'svi', params: earlier } },
      { expiry: 0.2, forward: 100, model: { kind: 'svi', params: later } },
    ]);
    const s = scanSurfaceArbitrage(surface);
    expect(s.calendar.arbitrage).toBe(true);
    expect(s.calendar.k).toBeGreaterThan(19);
    expect(s.butterfly.arbitrage).toBe(false);
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
    const v = scanSurfaceArbitrage(VolSurface.create([{ expiry: 1, forward: 100, model: { kind: 'svi', params: vogt } }]));
    expect(v.butterfly.arbitrage).toBe(true);
    // methods.md §3.2: min g = -0.032864 at k ~ 0.8793 (finite differences on the 0.02 grid get close)
    expect(v.butterfly.minG).toBeLessThan(-0.03);
    expect(Math.abs(v.butterfly.k - 0.8793)).toBeLessThan(0.05);
    expect(v.calendar.expiry).toBeNull();
    // a power-law SSVI surface (calendar- and butterfly-free by Gatheral & Jacquier's conditions) passes
    const ssvi = VolSurface.create([0.05, 0.25, 1].map((t) => ({ expiry: t, forward: 100, model: { kind: 'ssvi' as const, params: { rho: -0.4, eta: 0.6, gamma: 0.5 }, theta: 0.3 * t } })));
    expect(scanSurfaceArbitrage(ssvi).arbitrage).toBe(false);
  });
});

describe('repairCalendar on a synthetic term structure', () => {
  it('fixes a slice whose extrapolated wing crosses the next slice, keeping the fit to the quotes', () => {
    const ssvi = { rho: -0.4, eta: 0.8, gamma: 0.4 };
    const expiries = [0.05, 0.15, 0.4];
    const k = Array.from({ length: 13 }, (_, i) => -0.3 + 0.05 * i);
    const truths = expiries.map((t) => ssviToRawSvi(ssvi, 0.36 * t));
    // the middle slice as "fitted" with over-steep unidentified wings: same vertex shape, stretched by 6
    const given: SviRawParams[] = [truths[0]!, stretchWings(truths[1]!, 6), truths[2]!];
    expect(calendarPairCheck(given[1]!, given[2]!, 6).arbitrage).toBe(true);
    const slices = expiries.map((t, i) => {
      const w = Float64Array.from(k, (x) => sviTotalVariance(truths[i]!, x));
      const vol = (x: number, j: number): number => Math.sqrt((w[j] as number) / t) + x;
      return {
        expiry: t,
        params: given[i]!,
        data: { n: k.length, k: Float64Array.from(k), w, weights: new Float64Array(k.length).fill(1) },
        band: { low: Float64Array.from(k, (_, j) => vol(-0.005, j) ** 2 * t), high: Float64Array.from(k, (_, j) => vol(0.005, j) ** 2 * t) },
        fitted: true,
      };
    });
    const out = repairCalendar(slices, { enforceButterfly: true, slopeBound: 2, kMax: 6 });
    expect(out.every((o) => o.ok)).toBe(true);
    for (let i = 1; i < out.length; i++) expect(calendarPairCheck(out[i - 1]!.params, out[i]!.params, 6).arbitrage).toBe(false);
    for (const o of out) expect(sviDurrlemanG(o.params, 0)).toBeGreaterThan(0);
    expect(out[1]!.action).not.toBe('none');
    // every quote stays inside its +-0.5 vol-point band
    out.forEach((o, i) => {
      for (let j = 0; j < k.length; j++) {
        const w = sviTotalVariance(o.params, k[j]!);
        expect(w).toBeGreaterThanOrEqual(slices[i]!.band.low[j]!);
        expect(w).toBeLessThanOrEqual(slices[i]!.band.high[j]!);
      }
    });
  });
});
