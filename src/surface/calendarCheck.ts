import { brentMinimize } from '../math/index.ts';
import type { SviRawParams } from './types.ts';
import { validateSviRawParams } from './validateSviParams.ts';

/** Result of a calendar-spread check between an earlier and a later slice. */
export interface CalendarCheckResult {
  /** True when w_later(k) < w_earlier(k) - tolerance somewhere on the scan, or a later wing is asymptotically lower. */
  readonly arbitrage: boolean;
  /** Log-moneyness of the largest shortfall (min of w_later - w_earlier, refined by Brent). */
  readonly worstK: number;
  /** max(0, w_earlier(worstK) - w_later(worstK)): total variance missing at worstK (0 when calendar-free). */
  readonly shortfall: number;
  /** min over the scan of w_later - w_earlier (negative = violation). */
  readonly minDifference: number;
  /** Wing whose asymptotic slope decreases from the earlier to the later slice (then w_later < w_earlier far out). */
  readonly wingViolation: 'left' | 'right' | 'both' | null;
}

/** Options of the calendar scans. */
export interface CalendarCheckOptions {
  /** Half-width of the uniform grid (default 3; raised to 3). */
  readonly kMax?: number;
  /** Uniform grid points (default 601). */
  readonly points?: number;
  /** Differences above -tolerance count as non-negative (default 1e-14). */
  readonly tolerance?: number;
}

/**
 * Calendar check of two arbitrary smiles (reference/methods.md §3.3: no calendar arbitrage iff total variance
 * is non-decreasing in expiry at fixed log-forward moneyness): scans d(k) = wLater(k) - wEarlier(k) on a
 * uniform grid |k| <= max(3, kMax) plus standardised grids centre +- 40 scale for each given (centre, scale),
 * refines each grid local minimum by Brent, and compares the asymptotic wing slopes when given
 * ([left slope magnitude, right slope] for each slice).
 */
export function scanCalendar(
  wEarlier: (k: number) => number,
  wLater: (k: number) => number,
  centres: readonly (readonly [number, number])[],
  wingSlopes: { readonly earlier: readonly [number, number]; readonly later: readonly [number, number] } | null,
  options: CalendarCheckOptions = {},
): CalendarCheckResult {
  const kMax = Math.max(3, options.kMax ?? 3);
  const nu = Math.max(3, Math.floor(options.points ?? 601));
  const tolerance = options.tolerance ?? 1e-14;
  const pts: number[] = [];
  for (let i = 0; i < nu; i++) pts.push(-kMax + (2 * kMax * i) / (nu - 1));
  for (const [c, s] of centres) {
    for (let i = 0; i <= 200; i++) {
      const u = -1 + i / 100;
      pts.push(c + s * 40 * u * u * u);
    }
  }
  const grid = Float64Array.from(pts.filter((x) => Number.isFinite(x))).sort();
  const diff = (k: number): number => wLater(k) - wEarlier(k);
  const values = new Float64Array(grid.length);
  let bestD = Number.POSITIVE_INFINITY;
  let bestK = 0;
  for (let i = 0; i < grid.length; i++) {
    const d = diff(grid[i] as number);
    values[i] = d;
    if (d < bestD) {
      bestD = d;
      bestK = grid[i] as number;
    }
  }
  for (let i = 0; i < grid.length; i++) {
    const v = values[i] as number;
    const left = i > 0 ? (values[i - 1] as number) : Number.POSITIVE_INFINITY;
    const right = i < grid.length - 1 ? (values[i + 1] as number) : Number.POSITIVE_INFINITY;
    if (!(v <= left && v <= right)) continue;
    const lo = grid[Math.max(0, i - 1)] as number;
    const hi = grid[Math.min(grid.length - 1, i + 1)] as number;
    if (!(hi > lo)) continue;
    const r = brentMinimize(diff, lo, hi, { relTol: 1e-12, absTol: 1e-14 });
    if (r.fx < bestD) {
      bestD = r.fx;
      bestK = r.x;
    }
  }
  let wing: CalendarCheckResult['wingViolation'] = null;
  if (wingSlopes) {
    const slopeTol = 1e-12;
    const left = wingSlopes.later[0] < wingSlopes.earlier[0] - slopeTol;
    const right = wingSlopes.later[1] < wingSlopes.earlier[1] - slopeTol;
    wing = left && right ? 'both' : left ? 'left' : right ? 'right' : null;
  }
  return Object.freeze({
    arbitrage: bestD < -tolerance || wing !== null,
    worstK: bestK,
    shortfall: Math.max(0, -bestD),
    minDifference: bestD,
    wingViolation: wing,
  });
}

/**
 * Calendar check between two raw SVI slices with T_earlier < T_later (reference/methods.md §3.3): requires
 * w_later(k) >= w_earlier(k) on a wide grid (uniform |k| <= 3 or kMax plus grids around both m's) and
 * asymptotic wing slopes b(1 -+ rho) non-decreasing. Reports the worst k and the shortfall in total variance.
 * Validates both parameter sets (SurfaceDomainError with fields `earlier.*` / `later.*`).
 */
export function sviCalendarCheck(
  earlier: SviRawParams,
  later: SviRawParams,
  options: CalendarCheckOptions = {},
): CalendarCheckResult {
  validateSviRawParams(earlier, 'earlier');
  validateSviRawParams(later, 'later');
  const f = (p: SviRawParams) => (k: number): number => {
    const x = k - p.m;
    return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
  };
  return scanCalendar(
    f(earlier),
    f(later),
    [
      [earlier.m, earlier.sigma],
      [later.m, later.sigma],
    ],
    {
      earlier: [earlier.b * (1 - earlier.rho), earlier.b * (1 + earlier.rho)],
      later: [later.b * (1 - later.rho), later.b * (1 + later.rho)],
    },
    options,
  );
}
