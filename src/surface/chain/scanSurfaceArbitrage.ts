/**
 * Numerical arbitrage scan of a VolSurface object as it evaluates (pure): Durrleman's g from finite differences
 * of the surface's own total variance (Lee-bounded wings and T-interpolation included) and total variance
 * monotone in T at fixed k. Independent of the slices' closed forms, so it checks what users of the surface see.
 */
import type { VolSurface } from '../VolSurface.ts';

/** Options of scanSurfaceArbitrage. */
export interface SurfaceArbitrageScanOptions {
  /** Half-width of the uniform k grid (default 6). */
  readonly kMax?: number;
  /** Points of the uniform grid (default 601); geometric far points out to |k| = 50 are added. */
  readonly points?: number;
  /** g values above -tolerance pass (default 1e-7: finite-difference noise). */
  readonly butterflyTolerance?: number;
  /** Relative tolerance of the calendar comparison (default 1e-12). */
  readonly calendarTolerance?: number;
}

/** Smallest g found, at which expiry (years) and log-moneyness. */
export interface ScanPoint {
  readonly arbitrage: boolean;
  readonly minG: number;
  readonly expiry: number;
  readonly k: number;
}

/** Result of scanSurfaceArbitrage. */
export interface SurfaceArbitrageScan {
  /** min g at the slice expiries, where and whether it is below -tolerance. */
  readonly butterfly: ScanPoint;
  /**
   * min g at the midpoints between consecutive expiries (the T-interpolated smiles). Reported, not part of
   * `arbitrage`: linear interpolation of total variance between two butterfly-free slices is not guaranteed
   * butterfly-free (Gatheral & Jacquier 2014 interpolate prices for that reason).
   */
  readonly butterflyBetweenExpiries: ScanPoint | null;
  /** min over consecutive scanned expiries (slices and midpoints) of (w(T2,k) - w(T1,k)) / w(T1,k). */
  readonly calendar: {
    readonly arbitrage: boolean;
    /** 0 with a single expiry. */
    readonly minRelativeDifference: number;
    /** Later expiry and k of the minimum (null with a single expiry). */
    readonly expiry: number | null;
    readonly k: number | null;
  };
  /** True when the slices show butterfly arbitrage or the surface shows calendar arbitrage. */
  readonly arbitrage: boolean;
  /** k points per expiry and expiries scanned. */
  readonly kPoints: number;
  readonly expiries: number;
}

/**
 * Scans `surface` on a uniform grid |k| <= kMax plus geometric far points out to |k| = 50, at every slice expiry
 * and every midpoint between consecutive slices: g(k) = (1 - k w'/(2w))^2 - (w'^2/4)(1/w + 1/4) + w''/2 with
 * w', w'' by central differences (step 1e-3 max(1, |k|)), and w(T_{j+1}, k) >= w(T_j, k).
 */
export function scanSurfaceArbitrage(surface: VolSurface, options: SurfaceArbitrageScanOptions = {}): SurfaceArbitrageScan {
  const kMax = options.kMax ?? 6;
  const nU = Math.max(3, Math.floor(options.points ?? 601));
  const bTol = options.butterflyTolerance ?? 1e-7;
  const cTol = options.calendarTolerance ?? 1e-12;
  const ks: number[] = [];
  for (let i = 0; i < nU; i++) ks.push(-kMax + (2 * kMax * i) / (nU - 1));
  for (let i = 1; i <= 20; i++) {
    const k = kMax * Math.pow(50 / kMax, i / 20);
    if (k > kMax) ks.push(k, -k);
  }
  const grid = Float64Array.from(ks).sort();
  const slices = surface.expiries();
  const times: { t: number; slice: boolean }[] = [];
  slices.forEach((t, i) => {
    if (i > 0) times.push({ t: 0.5 * ((slices[i - 1] as number) + t), slice: false });
    times.push({ t, slice: true });
  });
  let bAt = { minG: Number.POSITIVE_INFINITY, expiry: slices[0] as number, k: 0 };
  let mAt = { minG: Number.POSITIVE_INFINITY, expiry: slices[0] as number, k: 0 };
  let cAt: { min: number; expiry: number | null; k: number | null } = { min: Number.POSITIVE_INFINITY, expiry: null, k: null };
  let prevW: Float64Array | null = null;
  for (const { t, slice } of times) {
    const w = new Float64Array(grid.length);
    for (let j = 0; j < grid.length; j++) {
      const k = grid[j] as number;
      const h = 1e-3 * Math.max(1, Math.abs(k));
      const w0 = surface.totalVariance(t, k);
      const wp = surface.totalVariance(t, k + h);
      const wm = surface.totalVariance(t, k - h);
      w[j] = w0;
      const w1 = (wp - wm) / (2 * h);
      const w2 = (wp - 2 * w0 + wm) / (h * h);
      const u = 1 - (k * w1) / (2 * w0);
      const g = w0 > 0 ? u * u - ((w1 * w1) / 4) * (1 / w0 + 0.25) + w2 / 2 : Number.NEGATIVE_INFINITY;
      if (slice && g < bAt.minG) bAt = { minG: g, expiry: t, k };
      if (!slice && g < mAt.minG) mAt = { minG: g, expiry: t, k };
      if (prevW) {
        const d = (w0 - (prevW[j] as number)) / Math.max(prevW[j] as number, 1e-300);
        if (d < cAt.min) cAt = { min: d, expiry: t, k };
      }
    }
    prevW = w;
  }
  const butterfly = Object.freeze({ arbitrage: bAt.minG < -bTol, ...bAt });
  const between = slices.length > 1 ? Object.freeze({ arbitrage: mAt.minG < -bTol, ...mAt }) : null;
  const calendar = Object.freeze({
    arbitrage: cAt.min < -cTol,
    minRelativeDifference: Number.isFinite(cAt.min) ? cAt.min : 0,
    expiry: cAt.expiry,
    k: cAt.k,
  });
  return Object.freeze({
    butterfly,
    butterflyBetweenExpiries: between,
    calendar,
    arbitrage: butterfly.arbitrage || calendar.arbitrage,
    kPoints: grid.length,
    expiries: times.length,
  });
}
