/**
 * Fallback slices of expiries that cannot be fitted from their own quotes (pure): the previous calibration's slice
 * of the same expiry instant, or a flat slice at an ATM vol taken from the best available source.
 */
import { MS_PER_YEAR_ACT365 } from '../../market/index.ts';
import { atmTotalVariance } from '../cleanSliceQuotes.ts';
import { sviButterfly } from '../sviButterfly.ts';
import type { SviRawParams } from '../types.ts';
import { sliceRawParams } from '../VolSurface.ts';
import type { ChainSliceData } from './chainSlices.ts';
import type { FallbackLevelSource, PreviousChainCalibration } from './types.ts';

/** A fallback slice and where it came from. */
export interface FallbackSlice {
  readonly params: SviRawParams;
  readonly source: 'previous-slice' | 'flat-atm';
  readonly level: FallbackLevelSource;
  /** ATM vol of the fallback (annualised decimal). */
  readonly atmVol: number;
}

/** Flat raw SVI slice w(k) = w (b = 0). */
export function flatSlice(w: number): SviRawParams {
  return Object.freeze({ a: w, b: 0, rho: 0, m: 0, sigma: 1 });
}

/**
 * The previous calibration's slice of the same expiry instant, with its implied vols in k kept: total variance
 * scaled by T_now/T_then (a and b scaled). Null when there is no such slice, when T_then <= 0, or when the scaled
 * slice has a wing slope above Lee's 2 or butterfly arbitrage (checked with sviButterfly, |k| <= kMax).
 */
export function previousSliceFallback(previous: PreviousChainCalibration | null, slice: ChainSliceData, kMax: number): SviRawParams | null {
  const match = previous?.slices.find((s) => s.expiryTimestampMs === slice.expiryTimestampMs);
  if (!previous || !match || previous.asOfMs === null) return null;
  const tThen = (slice.expiryTimestampMs - previous.asOfMs) / MS_PER_YEAR_ACT365;
  if (!(tThen > 0)) return null;
  const raw = sliceRawParams(match.model);
  const c = slice.expiry / tThen;
  const scaled = Object.freeze({ ...raw, a: raw.a * c, b: raw.b * c });
  const check = sviButterfly(scaled, { kMax });
  return check.arbitrage ? null : scaled;
}

/**
 * ATM total variance of a fallback, from the first available source: the expiry's own usable quotes
 * (atmTotalVariance of their mid total variances), the venue mark IVs of its one-sided quotes, the previous
 * calibration interpolated at the same expiry instant (linear in total variance between its slices' ATM levels,
 * flat vol outside), or the fitted neighbours (`neighbours`, ATM total variance linear in T, flat vol outside).
 * Null when none exists.
 */
export function fallbackAtmLevel(
  slice: ChainSliceData,
  previous: PreviousChainCalibration | null,
  neighbours: readonly { readonly expiry: number; readonly theta: number }[],
): { readonly theta: number; readonly level: FallbackLevelSource } | null {
  const T = slice.expiry;
  if (slice.k.length > 0) {
    const theta = atmTotalVariance({ n: slice.k.length, k: slice.k, w: slice.w });
    if (theta > 0 && Number.isFinite(theta)) return { theta, level: 'quotes' };
  }
  if (slice.oneSidedMarkAtmVol !== null) return { theta: slice.oneSidedMarkAtmVol ** 2 * T, level: 'one-sided-marks' };
  if (previous && previous.asOfMs !== null && previous.slices.length > 0) {
    const tThen = (slice.expiryTimestampMs - previous.asOfMs) / MS_PER_YEAR_ACT365;
    const points = previous.slices
      .map((s) => {
        const p = sliceRawParams(s.model);
        return { expiry: s.expiry, theta: p.a + p.b * (-p.rho * p.m + Math.sqrt(p.m * p.m + p.sigma * p.sigma)) };
      })
      .filter((p) => p.expiry > 0 && p.theta > 0);
    const theta = tThen > 0 ? interpolateTheta(points, tThen) : null;
    if (theta !== null) return { theta: (theta * T) / tThen, level: 'previous-surface' };
  }
  const theta = interpolateTheta(neighbours, T);
  return theta !== null ? { theta, level: 'neighbours' } : null;
}

/** Linear interpolation of theta in T between points (flat vol, theta proportional to T, outside); null if none. */
export function interpolateTheta(points: readonly { readonly expiry: number; readonly theta: number }[], T: number): number | null {
  const p = [...points].filter((x) => x.expiry > 0 && x.theta > 0 && Number.isFinite(x.theta)).sort((a, b) => a.expiry - b.expiry);
  if (p.length === 0) return null;
  const first = p[0] as { expiry: number; theta: number };
  const last = p[p.length - 1] as { expiry: number; theta: number };
  if (T <= first.expiry) return (first.theta * T) / first.expiry;
  if (T >= last.expiry) return (last.theta * T) / last.expiry;
  for (let i = 1; i < p.length; i++) {
    const b = p[i] as { expiry: number; theta: number };
    if (T <= b.expiry) {
      const a = p[i - 1] as { expiry: number; theta: number };
      return a.theta + ((T - a.expiry) / (b.expiry - a.expiry)) * (b.theta - a.theta);
    }
  }
  return (last.theta * T) / last.expiry;
}

/**
 * Pseudo-quotes standing for a fallback slice in a calendar refit or a global eSSVI fit: nine points on
 * |k| <= 2 sqrt(theta) (one ATM standard deviation either side, twice), w from the fallback slice, weights 1.
 */
export function pseudoQuotes(params: SviRawParams, theta: number): { n: number; k: Float64Array; w: Float64Array; weights: Float64Array } {
  const s = Math.sqrt(Math.max(theta, 1e-12));
  const k = new Float64Array(9);
  const w = new Float64Array(9);
  for (let i = 0; i < 9; i++) {
    k[i] = ((i - 4) / 2) * s;
    const x = (k[i] as number) - params.m;
    w[i] = params.a + params.b * (params.rho * x + Math.sqrt(x * x + params.sigma * params.sigma));
  }
  return { n: 9, k, w, weights: new Float64Array(9).fill(1) };
}
