/**
 * Constrained refit of one raw SVI slice to its data (pure): asymptotic wing slopes boxed exactly, the slice kept
 * above a floor slice and/or below a ceiling slice (calendar) and free of butterfly arbitrage, by sviPenaltyRefit with
 * escalating penalties, each round verified by calendarPairCheck and sviButterfly.
 */
import { sviButterfly } from '../sviButterfly.ts';
import type { SviRawParams } from '../types.ts';
import { calendarPairCheck } from './calendarPairCheck.ts';
import { sviPenaltyRefit, sviW, type RefitData } from './sviPenaltyRefit.ts';
import type { SviWingBox } from './sviWingBox.ts';

/** A slice to refit: its expiry (years), current params and data (weights mean 1). */
export interface RefitSlice {
  readonly expiry: number;
  readonly params: SviRawParams;
  readonly data: RefitData;
}

/** Constraints of refitSlice. */
export interface Constraints {
  /** Stay above this slice (with its expiry, for the scaled start), or null. */
  readonly floor: { readonly params: SviRawParams; readonly expiry: number } | null;
  /** Stay below this slice, or null. */
  readonly ceiling: SviRawParams | null;
  /** [lo, hi] of the asymptotic slopes b(1 - rho) and b(1 + rho). */
  readonly left: readonly [number, number];
  readonly right: readonly [number, number];
  /**
   * Prefer small asymptotic slopes (conservative extrapolation beyond the quotes): weight of sL^2 + sR^2 relative to
   * the slice's own weighted SSE over its mean w (default 0).
   */
  readonly slopeRegularization?: number;
}

/** Options of refitSlice. */
export interface RefitOptions {
  /** Penalise butterfly arbitrage and require sviButterfly to pass. */
  readonly enforceButterfly: boolean;
  /** Largest wing slope allowed. */
  readonly slopeBound: number;
  /** Half-width of the uniform parts of the grids and checks (>= 3). */
  readonly kMax: number;
}

/** Result of refitSlice. */
export interface RefitResult {
  readonly params: SviRawParams;
  readonly rounds: number;
  readonly iterations: number;
  readonly stopReason: string | null;
  /** True when the last round passed every check. */
  readonly ok: boolean;
}

/**
 * Grids of the checks between rounds, about half the default density (Brent still refines every grid minimum): they
 * steer the refit; the checks of the final surface (assembleChainResult, scanSurfaceArbitrage) use the full grids.
 */
function lightButterfly(kMax: number): { kMax: number; uniformPoints: number; standardisedPoints: number } {
  return { kMax, uniformPoints: 301, standardisedPoints: 401 };
}
const LIGHT_CALENDAR_POINTS = 301;

/** Wing stretches tried as extra starts when the floor's asymptotic slopes exceed the slice's. */
const STRETCHES = [1.5, 3];

const ROUNDS: readonly { readonly weight: number; readonly margin: number; readonly butterflyMargin: number }[] = [
  { weight: 10, margin: 1e-9, butterflyMargin: 0 },
  { weight: 100, margin: 1e-7, butterflyMargin: 1e-6 },
  { weight: 1e3, margin: 1e-5, butterflyMargin: 1e-4 },
  { weight: 1e4, margin: 1e-4, butterflyMargin: 1e-3 },
  { weight: 1e5, margin: 1e-3, butterflyMargin: 3e-3 },
];


/**
 * Refits a slice to its data under the constraints. Starting points: `start` (default the slice's params) and, with a
 * floor, the floor scaled by T/T_floor (>= the floor everywhere) and, when the floor's wings are steeper, `start` with
 * stretched wings (stretchWings 1.5 and 3). From each start, penalties escalate over up to five rounds until
 * calendarPairCheck against floor and ceiling (and sviButterfly) pass. Among the starts that pass, the one with the
 * highest `score` (default: none), then the smallest weighted squared error, is returned; ok = false when none passes.
 */
export function refitSlice(
  slice: RefitSlice,
  c: Constraints,
  options: RefitOptions,
  start: SviRawParams = slice.params,
  score: ((p: SviRawParams) => number) | null = null,
): RefitResult {
  const starts: SviRawParams[] = [start];
  if (c.floor && slice.expiry > c.floor.expiry) {
    const f = slice.expiry / c.floor.expiry;
    starts.push({ ...c.floor.params, a: c.floor.params.a * f, b: c.floor.params.b * f });
    // steeper asymptotes with the same level, skew and curvature at the vertex
    if (slope(c.floor.params, 'left') > slope(start, 'left') || slope(c.floor.params, 'right') > slope(start, 'right')) {
      for (const stretch of STRETCHES) starts.push(stretchWings(start, stretch));
    }
  }
  let best: { r: RefitResult; score: number; sse: number } | null = null;
  let iterations = 0;
  for (const s of starts) {
    const r = refitFrom(slice, c, options, s);
    iterations += r.iterations;
    const candidate = { r, score: score ? score(r.params) : 0, sse: sliceSse(slice, r.params) };
    const wins = best === null
      || (r.ok && !best.r.ok)
      || (r.ok === best.r.ok && (candidate.score > best.score || (candidate.score === best.score && candidate.sse < best.sse)));
    if (wins) best = candidate;
  }
  const b = best as { r: RefitResult };
  return { ...b.r, iterations };
}

/** Escalating penalty rounds from one starting point. */
function refitFrom(slice: RefitSlice, c: Constraints, options: RefitOptions, start: SviRawParams): RefitResult {
  const box = wingBox(slice, [c.floor?.params, c.ceiling, start], c.left, c.right, options.slopeBound);
  const floor = c.floor ? c.floor.params : null;
  let meanW = 0;
  for (let i = 0; i < slice.data.n; i++) meanW += (slice.data.w[i] as number) / slice.data.n;
  if (!(meanW > 0)) meanW = Math.max(sviW(start, 0), 1e-8);
  const slopeRegularization = ((c.slopeRegularization ?? 0) * sliceSse(slice, slice.params)) / meanW;
  const extraFloor: number[] = [];
  const extraCeiling: number[] = [];
  const extraButterfly: number[] = [];
  let iterations = 0;
  let stopReason: string | null = null;
  let current = start;
  // the butterfly penalty is switched on lazily: from the start when it has butterfly arbitrage, else after the
  // first round whose result fails sviButterfly
  let flyPenalty = options.enforceButterfly && sviButterfly(start, lightButterfly(options.kMax)).arbitrage;
  for (let round = 0; round < ROUNDS.length; round++) {
    const r = ROUNDS[round] as (typeof ROUNDS)[number];
    const result = sviPenaltyRefit({
      data: slice.data,
      start: current,
      box,
      floor,
      floorGrid: floor ? constraintGrid(slice, floor, current, options.kMax, extraFloor) : new Float64Array(0),
      ceiling: c.ceiling,
      ceilingGrid: c.ceiling ? constraintGrid(slice, c.ceiling, current, options.kMax, extraCeiling) : new Float64Array(0),
      butterflyGrid: flyPenalty ? butterflyGrid(slice, current, options.kMax, extraButterfly) : null,
      penaltyWeight: r.weight,
      scale: meanW,
      floorMargin: r.margin,
      butterflyMargin: r.butterflyMargin,
      slopeRegularization,
    });
    iterations += result.lm.iterations;
    stopReason = result.lm.stopReason;
    current = result.params;
    const below = floor ? calendarPairCheck(floor, current, options.kMax, LIGHT_CALENDAR_POINTS) : null;
    const above = c.ceiling ? calendarPairCheck(current, c.ceiling, options.kMax, LIGHT_CALENDAR_POINTS) : null;
    const fly = options.enforceButterfly ? sviButterfly(current, lightButterfly(options.kMax)) : null;
    if (!below?.arbitrage && !above?.arbitrage && !fly?.arbitrage) {
      return { params: current, rounds: round + 1, iterations, stopReason, ok: true };
    }
    if (below?.arbitrage) extraFloor.push(below.worstK);
    if (above?.arbitrage) extraCeiling.push(above.worstK);
    if (fly?.arbitrage) {
      extraButterfly.push(fly.argminK);
      flyPenalty = true;
    }
  }
  return { params: current, rounds: ROUNDS.length, iterations, stopReason, ok: false };
}

/**
 * The raw slice with b and sigma scaled by c, rho by 1/c and a lowered so that the vertex level a + b sigma, the
 * skew b rho and the curvature b/sigma are kept: the asymptotic slopes b(1 -+ rho) grow (|rho| stays < 1 for c >= 1).
 */
export function stretchWings(p: SviRawParams, c: number): SviRawParams {
  return { a: p.a + p.b * p.sigma * (1 - c * c), b: p.b * c, rho: p.rho / c, m: p.m, sigma: p.sigma * c };
}

function slope(p: SviRawParams, side: 'left' | 'right'): number {
  return p.b * (side === 'left' ? 1 - p.rho : 1 + p.rho);
}

function wingBox(
  slice: RefitSlice,
  others: readonly (SviRawParams | null | undefined)[],
  left: readonly [number, number],
  right: readonly [number, number],
  bound: number,
): SviWingBox {
  const side = ([lo, hi]: readonly [number, number]): [number, number] => {
    const l = Math.min(Math.max(lo, 1e-8), bound);
    return [l, Math.min(Math.max(hi, l), Math.max(bound, l))];
  };
  const [kMin, kMax] = dataRange(slice) ?? [-0.5, 0.5];
  const range = kMax - kMin;
  const ps = others.filter((p): p is SviRawParams => !!p);
  const ms = ps.map((p) => p.m);
  const sigmas = ps.map((p) => p.sigma);
  const mLo = Math.min(kMin - range, ...ms) - 0.1 * range;
  const mHi = Math.max(kMax + range, ...ms) + 0.1 * range;
  const sLo = Math.min(Math.min(0.005, range / 20), ...sigmas) * 0.5;
  const sHi = Math.max(10 * Math.max(range, 0.1), ...sigmas) * 2;
  return { left: side(left), right: side(right), mBounds: [mLo, mHi], sigmaBounds: [sLo, sHi] };
}

/** Uniform |k| <= kU (61 points), cubic grids +-40 sigma around both slices' m (25 points each), far points to |k| = 200. */
function constraintGrid(slice: RefitSlice, other: SviRawParams, current: SviRawParams, kMax: number, extra: readonly number[]): Float64Array {
  const pts: number[] = [];
  const kU = Math.max(3, kMax, maxAbsK(slice) + 1);
  for (let i = 0; i <= 60; i++) pts.push(-kU + (2 * kU * i) / 60);
  for (const [c, s] of [[other.m, other.sigma], [current.m, current.sigma]] as const) {
    for (let i = 0; i <= 24; i++) {
      const u = -1 + i / 12;
      pts.push(c + s * 40 * u * u * u);
    }
  }
  for (const f of [1.5, 2, 3, 5, 10, 20]) pts.push(kU * f, -kU * f);
  pts.push(200, -200, ...extra);
  return Float64Array.from(pts).sort();
}

/** Uniform over the data widened to |k| <= max(3, kMax) (61 points), m +- 5 sigma (21 points), far points. */
function butterflyGrid(slice: RefitSlice, current: SviRawParams, kMax: number, extra: readonly number[]): Float64Array {
  const pts: number[] = [];
  const kU = Math.max(3, kMax, maxAbsK(slice) + 1);
  for (let i = 0; i <= 60; i++) pts.push(-kU + (2 * kU * i) / 60);
  for (let i = -10; i <= 10; i++) pts.push(current.m + current.sigma * 0.5 * i);
  for (const f of [1.5, 2, 4, 8]) pts.push(kU * f, -kU * f);
  pts.push(...extra);
  return Float64Array.from(pts).sort();
}

/** Weighted squared error of params against the slice's data, floored at n (1e-6 mean w)^2. */
export function sliceSse(slice: RefitSlice, p: SviRawParams): number {
  let s = 0;
  let meanW = 0;
  for (let i = 0; i < slice.data.n; i++) {
    const r = sviW(p, slice.data.k[i] as number) - (slice.data.w[i] as number);
    s += (slice.data.weights[i] as number) * r * r;
    meanW += (slice.data.w[i] as number) / slice.data.n;
  }
  return Math.max(s, slice.data.n * (1e-6 * meanW) ** 2, 1e-300);
}

/** [min k, max k] of the slice's data, null without two distinct k. */
export function dataRange(slice: RefitSlice): [number, number] | null {
  let kMin = Number.POSITIVE_INFINITY;
  let kMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < slice.data.n; i++) {
    kMin = Math.min(kMin, slice.data.k[i] as number);
    kMax = Math.max(kMax, slice.data.k[i] as number);
  }
  return kMax > kMin ? [kMin, kMax] : null;
}


function maxAbsK(slice: RefitSlice): number {
  let m = 0;
  for (let i = 0; i < slice.data.n; i++) m = Math.max(m, Math.abs(slice.data.k[i] as number));
  return m;
}
