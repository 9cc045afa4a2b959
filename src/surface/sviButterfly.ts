import { brentMinimize } from '../math/index.ts';
import { sviDurrlemanG } from './durrlemanG.ts';
import type { SviRawParams } from './types.ts';
import { validateSviRawParams } from './validateSviParams.ts';

const FAR_POINTS = 120;
const FAR_LIMIT = 200;

/** Options of sviButterfly. */
export interface SviButterflyOptions {
  /** Half-width of the uniform log-moneyness grid [-kMax, kMax] (default 3; values below 3 are raised to 3). */
  readonly kMax?: number;
  /** Points of the uniform grid (default 601). */
  readonly uniformPoints?: number;
  /** Half-width, in units of sigma, of the standardised grid m + sigma * u (default 40). */
  readonly standardisedRange?: number;
  /** Points of the standardised grid (default 801). */
  readonly standardisedPoints?: number;
  /** g values above -tolerance count as non-negative (default 0). */
  readonly tolerance?: number;
  /** Lee's moment bound on the asymptotic wing slope b(1 + |rho|) (default 2). */
  readonly leeBound?: number;
}

/** Result of the butterfly check of one raw SVI slice. */
export interface SviButterflyResult {
  /**
   * True when the slice admits butterfly arbitrage: min g < -tolerance on the scanned grid (after local
   * refinement), or w <= 0 somewhere, or Lee's bound b(1 + |rho|) <= 2 is violated (then g < 0 far out).
   */
  readonly arbitrage: boolean;
  /** Minimum of Durrleman's g found (refined by Brent around each grid local minimum); -Infinity if w <= 0. */
  readonly minG: number;
  /** Log-moneyness where minG is attained. */
  readonly argminK: number;
  /** Intervals of log-moneyness, within the scanned range, where g < -tolerance (endpoints refined by bisection). */
  readonly negativeIntervals: readonly (readonly [number, number])[];
  /** Minimum total variance a + b sigma sqrt(1 - rho^2) (closed form). */
  readonly minW: number;
  /** Asymptotic wing slope b(1 + |rho|) of w in k. */
  readonly wingSlope: number;
  /** True when wingSlope exceeds Lee's bound (methods.md §3.1; QuantLib asserts b(1+|rho|) <= 2). */
  readonly leeViolated: boolean;
  /** Scanned range [kLow, kHigh]. */
  readonly scannedRange: readonly [number, number];
}

/**
 * Butterfly-arbitrage check of a raw SVI slice by scanning Durrleman's g(k) (methods.md §3.2) on the union
 * of a uniform grid |k| <= max(3, kMax), a standardised grid m + sigma * u, |u| <= standardisedRange (cubic
 * spacing, densest at m) and 120 geometric points per side from max(3, kMax) out to |k| = 200,
 * then refining every grid local minimum with Brent's method on its neighbouring interval; plus Lee's
 * moment bound on the wing slopes. Validates the parameters (SurfaceDomainError).
 */
export function sviButterfly(params: SviRawParams, options: SviButterflyOptions = {}): SviButterflyResult {
  validateSviRawParams(params);
  const kMax = Math.max(3, options.kMax ?? 3);
  const nUniform = Math.max(3, Math.floor(options.uniformPoints ?? 601));
  const uRange = options.standardisedRange ?? 40;
  const nStd = Math.max(3, Math.floor(options.standardisedPoints ?? 801));
  const tolerance = options.tolerance ?? 0;
  const leeBound = options.leeBound ?? 2;

  const nFar = 2 * FAR_POINTS;
  const grid = new Float64Array(nUniform + nStd + nFar);
  for (let i = 0; i < nUniform; i++) grid[i] = -kMax + (2 * kMax * i) / (nUniform - 1);
  // far wings: geometric from kMax to FAR_LIMIT on each side
  for (let i = 1; i <= FAR_POINTS; i++) {
    const k = kMax * Math.pow(FAR_LIMIT / kMax, i / FAR_POINTS);
    grid[nUniform + nStd + 2 * (i - 1)] = k;
    grid[nUniform + nStd + 2 * (i - 1) + 1] = -k;
  }
  for (let i = 0; i < nStd; i++) {
    // denser near m: u = uRange * s^3 with s uniform in [-1, 1]
    const s = -1 + (2 * i) / (nStd - 1);
    grid[nUniform + i] = params.m + params.sigma * uRange * s * s * s;
  }
  grid.sort();
  const n = grid.length;
  const g = new Float64Array(n);
  const gOf = (k: number): number => sviDurrlemanG(params, k);
  const minW = params.a + params.b * params.sigma * Math.sqrt(1 - params.rho * params.rho);
  const wingSlope = params.b * (1 + Math.abs(params.rho));
  const leeViolated = wingSlope > leeBound * (1 + 1e-12);
  const scannedRange = Object.freeze([grid[0] as number, grid[n - 1] as number] as const);

  if (!(minW > 0)) {
    // k where w is minimal: w'(k) = 0 <=> k = m - rho sigma / sqrt(1 - rho^2)
    const argminK = params.m - (params.rho * params.sigma) / Math.sqrt(1 - params.rho * params.rho);
    return Object.freeze({
      arbitrage: true,
      minG: Number.NEGATIVE_INFINITY,
      argminK,
      negativeIntervals: Object.freeze([]),
      minW,
      wingSlope,
      leeViolated,
      scannedRange,
    });
  }

  let bestG = Number.POSITIVE_INFINITY;
  let bestK = 0;
  for (let i = 0; i < n; i++) {
    const v = gOf(grid[i] as number);
    g[i] = v;
    if (v < bestG) {
      bestG = v;
      bestK = grid[i] as number;
    }
  }
  // refine every grid local minimum (plateaus included once)
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const left = i > 0 ? (g[i - 1] as number) : Number.POSITIVE_INFINITY;
    const right = i < n - 1 ? (g[i + 1] as number) : Number.POSITIVE_INFINITY;
    if (!(gi <= left && gi < right) && !(gi < left && gi <= right)) continue;
    const lo = grid[Math.max(0, i - 1)] as number;
    const hi = grid[Math.min(n - 1, i + 1)] as number;
    if (!(hi > lo)) continue;
    const r = brentMinimize(gOf, lo, hi, { relTol: 1e-12, absTol: 1e-14 });
    if (r.fx < bestG) {
      bestG = r.fx;
      bestK = r.x;
    }
  }

  const intervals: (readonly [number, number])[] = [];
  const neg = (v: number): boolean => v < -tolerance;
  let start = Number.NaN;
  for (let i = 0; i < n; i++) {
    const isNeg = neg(g[i] as number);
    const prevNeg = i > 0 && neg(g[i - 1] as number);
    if (isNeg && !prevNeg) {
      start = i === 0 ? (grid[0] as number) : bisectSignChange(gOf, tolerance, grid[i - 1] as number, grid[i] as number);
    }
    if (!isNeg && prevNeg) {
      intervals.push(Object.freeze([start, bisectSignChange(gOf, tolerance, grid[i - 1] as number, grid[i] as number)] as const));
    }
  }
  if (n > 0 && neg(g[n - 1] as number)) intervals.push(Object.freeze([start, grid[n - 1] as number] as const));
  // a dip below zero found only by refinement (between grid points)
  if (intervals.length === 0 && bestG < -tolerance) intervals.push(Object.freeze([bestK, bestK] as const));

  return Object.freeze({
    arbitrage: bestG < -tolerance || leeViolated,
    minG: bestG,
    argminK: bestK,
    negativeIntervals: Object.freeze(intervals),
    minW,
    wingSlope,
    leeViolated,
    scannedRange,
  });
}

/** Bisection for the crossing of g = -tolerance between x0 and x1 (sign change assumed), 60 steps. */
function bisectSignChange(f: (x: number) => number, tolerance: number, x0: number, x1: number): number {
  let a = x0;
  let b = x1;
  const fa0 = f(a) + tolerance;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (a + b);
    const fm = f(mid) + tolerance;
    if (fm < 0 === fa0 < 0) a = mid;
    else b = mid;
  }
  return 0.5 * (a + b);
}
