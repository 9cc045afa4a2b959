import type { LevenbergMarquardtStopReason } from '../math/levenbergMarquardt.ts';
import { measureSviFit, type SviFitStatistics, type SviQuoteSet } from './measureSviFit.ts';
import { atmTotalVariance, cleanSliceQuotes } from './cleanSliceQuotes.ts';
import { sviButterfly, type SviButterflyResult } from './sviButterfly.ts';
import { sviPolish } from './sviPolish.ts';
import { sviQuasiExplicit } from './sviQuasiExplicit.ts';
import type { SviRawParams } from './types.ts';
import { checkSviRawParams } from './validateSviParams.ts';

/** Input of fitSviSlice: the quotes of one expiry (see SviQuoteSet for units). */
export type SviSliceData = SviQuoteSet;

/** Options of fitSviSlice. */
export interface SviFitOptions {
  /**
   * Make the returned slice free of butterfly arbitrage: the wing slope is bounded by Lee's 2 and the
   * polish penalises min(g, 0) on a grid, escalating the penalty until sviButterfly passes (status
   * 'flagged' when it still fails after the last round). Default false.
   */
  readonly enforceButterfly?: boolean;
  /** Bound on b(1 + |rho|) in the fit (default 4, Zeliade's domain; 2 when enforceButterfly). */
  readonly slopeBound?: number;
  /** Starting points (m, sigma) of the Nelder–Mead multi-start (default: a deterministic 3 x 3 grid). */
  readonly starts?: readonly (readonly [number, number])[];
  /** Box for m (default [kMin - range, kMax + range]). */
  readonly mBounds?: readonly [number, number];
  /** Box for sigma (default [min(0.005, range/20), 10 max(range, 0.1)]). */
  readonly sigmaBounds?: readonly [number, number];
  /** Nelder–Mead evaluations per start (default 400). */
  readonly maxEvaluationsPerStart?: number;
  /** Run the Levenberg–Marquardt polish on all five parameters (default true). */
  readonly polish?: boolean;
  /** Fewest usable quotes for a fit (default 5); fewer give the flat fallback. */
  readonly minQuotes?: number;
}

/** Outcome of a slice fit. */
export type SviFitStatus =
  /** fitted and passed the sanity gates */
  | 'ok'
  /** fitted, but enforceButterfly was requested and butterfly arbitrage remains (see reason) */
  | 'flagged'
  /** the fit failed a sanity gate or had too few quotes: params is a flat slice at the ATM total variance */
  | 'fallback'
  /** no usable quote at all: params is null */
  | 'failed';

/** Why the last stage of fitSviSlice stopped. */
export type SviFitStopReason = LevenbergMarquardtStopReason | 'quasi-explicit-only' | 'fallback' | 'no-data';

/** Diagnostics of fitSviSlice. */
export interface SviFitDiagnostics {
  /** Nelder–Mead iterations over all starts plus Levenberg–Marquardt iterations over all rounds. */
  readonly iterations: number;
  /** Objective evaluations (inner solves of the quasi-explicit stage plus LM residual evaluations). */
  readonly functionEvaluations: number;
  readonly stopReason: SviFitStopReason;
  readonly usedQuotes: number;
  readonly droppedQuotes: number;
  /** Quasi-explicit stage: its parameters, weighted SSE (normalised weights, mean 1), best start. */
  readonly quasiExplicit: {
    readonly params: SviRawParams;
    readonly sse: number;
    readonly bestStart: number;
    readonly converged: boolean;
  } | null;
  /** Fit statistics against the input quotes (RMSE in total variance and vol points, bid-ask share). */
  readonly statistics: SviFitStatistics;
  /** Butterfly check of the returned slice (null when params is null). */
  readonly butterfly: SviButterflyResult | null;
  /** Penalty rounds run by enforceButterfly (0 when not needed or not requested). */
  readonly penaltyRounds: number;
  /** Bound used on b(1 + |rho|). */
  readonly slopeBound: number;
  /**
   * [min k, max k] of the used quotes (null with fewer than two distinct k): pass it as `kRange` to
   * VolSurface.create so that the Lee-bounded wings start at the edge of the data.
   */
  readonly kRange: readonly [number, number] | null;
}

/** Result of fitSviSlice. */
export interface SviFitResult {
  readonly status: SviFitStatus;
  /** Why the status is not 'ok' (null when 'ok'). */
  readonly reason: string | null;
  /** Fitted raw SVI parameters (a flat slice for 'fallback', null for 'failed'). */
  readonly params: SviRawParams | null;
  /** Unweighted RMSE of w_model - w over the used quotes (total-variance units); +Infinity when none. */
  readonly rmse: number;
  readonly diagnostics: SviFitDiagnostics;
}

/**
 * Fits a raw SVI slice to the total implied variances of one expiry (reference/methods.md §3.4; DESIGN.md §5):
 * 1. quotes with non-finite k, w <= 0 or a non-positive weight are dropped; weights are normalised to mean 1;
 * 2. Zeliade quasi-explicit calibration (De Marco & Martini 2009): exact constrained inner least squares in
 *    (a, d, c) for each (m, sigma), Nelder–Mead over (m, ln sigma) from deterministic starting points;
 * 3. Levenberg–Marquardt polish of all five raw parameters with bounds by reparametrisation
 *    (b(1+|rho|) < slopeBound, |rho| < 1, sigma > 0, min w > 0);
 * 4. with enforceButterfly, escalating penalties on min(g, 0) until sviButterfly passes;
 * 5. sanity gates (valid parameters, finite RMSE, w > 0 everywhere); a failed gate or too few quotes gives
 *    status 'fallback' with a flat slice at the ATM total variance (linear interpolation of w at k = 0).
 * Never throws for data problems and never returns NaN parameters.
 */
export function fitSviSlice(data: SviSliceData, options: SviFitOptions = {}): SviFitResult {
  const enforce = options.enforceButterfly ?? false;
  const slopeBound = options.slopeBound ?? (enforce ? 2 : 4);
  const minQuotes = Math.max(5, options.minQuotes ?? 5);
  const cleaned = cleanSliceQuotes(data);
  const used = cleaned.n;
  const dropped = Math.max(data.k?.length ?? 0, data.w?.length ?? 0) - used;
  let kLo = Number.POSITIVE_INFINITY;
  let kHi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < used; i++) {
    kLo = Math.min(kLo, cleaned.k[i] as number);
    kHi = Math.max(kHi, cleaned.k[i] as number);
  }
  const kRange = kHi > kLo ? Object.freeze([kLo, kHi] as const) : null;
  const baseDiagnostics = { usedQuotes: used, droppedQuotes: dropped, slopeBound, kRange };

  if (used === 0) {
    return freezeResult('failed', 'no usable quote (finite k, w > 0, weight > 0)', null, data, {
      ...baseDiagnostics, iterations: 0, functionEvaluations: 0, stopReason: 'no-data', quasiExplicit: null, penaltyRounds: 0,
    });
  }
  const fallback = (reason: string, iterations: number, evaluations: number, qe: SviFitDiagnostics['quasiExplicit']): SviFitResult =>
    freezeResult('fallback', reason, flatSlice(atmTotalVariance(cleaned)), data, {
      ...baseDiagnostics, iterations, functionEvaluations: evaluations, stopReason: 'fallback', quasiExplicit: qe, penaltyRounds: 0,
    });
  if (used < minQuotes) return fallback(`only ${used} usable quotes (need ${minQuotes})`, 0, 0, null);

  let kMin = Number.POSITIVE_INFINITY;
  let kMax = Number.NEGATIVE_INFINITY;
  let wMax = 0;
  let kAtMinW = 0;
  let wMin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < used; i++) {
    const k = cleaned.k[i] as number;
    const w = cleaned.w[i] as number;
    kMin = Math.min(kMin, k);
    kMax = Math.max(kMax, k);
    wMax = Math.max(wMax, w);
    if (w < wMin) {
      wMin = w;
      kAtMinW = k;
    }
  }
  const range = kMax - kMin;
  if (!(range > 0)) return fallback('all quotes at the same log-moneyness', 0, 0, null);

  const mBounds = options.mBounds ?? ([kMin - range, kMax + range] as const);
  const sigmaBounds = options.sigmaBounds ?? ([Math.min(0.005, range / 20), 10 * Math.max(range, 0.1)] as const);
  const starts = options.starts ?? defaultStarts(kAtMinW, range);
  const box = { slopeBound, mBounds, sigmaBounds };
  const qe = sviQuasiExplicit(cleaned, {
    mBounds,
    sigmaBounds,
    starts,
    bounds: { aMin: 0, aMax: wMax, slopeBound },
    maxEvaluationsPerStart: options.maxEvaluationsPerStart ?? 400,
  });
  const qeDiag = Object.freeze({ params: qe.params, sse: qe.sse, bestStart: qe.bestStart, converged: qe.converged });
  let iterations = qe.iterations;
  let evaluations = qe.evaluations;
  let params: SviRawParams = qe.params;
  let sse = qe.sse;
  let stopReason: SviFitStopReason = 'quasi-explicit-only';

  if (options.polish ?? true) {
    const polished = sviPolish(cleaned, qe.params, { box });
    iterations += polished.lm.iterations;
    evaluations += polished.lm.evaluations;
    stopReason = polished.lm.stopReason;
    if (checkSviRawParams(polished.params) === null && polished.sse <= sse * (1 + 1e-12) + 1e-300) {
      params = polished.params;
      sse = polished.sse;
    }
  }

  let penaltyRounds = 0;
  if (enforce) {
    const scanK = scanHalfWidth(data);
    const butterflyFree = (p: SviRawParams): boolean => checkSviRawParams(p) === null && !sviButterfly(p, { kMax: scanK }).arbitrage;
    // butterfly-free candidates; the best-fitting one is returned
    const candidates: { params: SviRawParams; sse: number }[] = [];
    if (butterflyFree(params)) candidates.push({ params, sse });
    if (candidates.length === 0 && params !== qe.params && butterflyFree(qe.params)) candidates.push({ params: qe.params, sse: qe.sse });
    // penalty homotopy: weights relative to the current fit error, escalated x10 per round
    let meanW = 0;
    for (let i = 0; i < used; i++) meanW += (cleaned.w[i] as number) / used;
    const base = Math.sqrt(sse / used) + 1e-3 * meanW;
    const margins = [0, 0, 1e-6, 1e-4, 1e-3, 3e-3];
    let current = params;
    while (!candidates.some((c) => c.params !== qe.params) && penaltyRounds < margins.length && !butterflyFree(current)) {
      const check = sviButterfly(current, { kMax: scanK });
      const polished = sviPolish(cleaned, current, {
        box,
        penaltyGrid: penaltyGrid(kMin, kMax, current, check.argminK),
        penaltyWeight: base * Math.pow(10, penaltyRounds + 1),
        penaltyMargin: margins[penaltyRounds] as number,
      });
      penaltyRounds++;
      iterations += polished.lm.iterations;
      evaluations += polished.lm.evaluations;
      stopReason = polished.lm.stopReason;
      if (checkSviRawParams(polished.params) !== null) break;
      current = polished.params;
      if (butterflyFree(current)) candidates.push({ params: current, sse: polished.sse });
    }
    if (candidates.length > 0) {
      const best = candidates.reduce((p, q) => (q.sse < p.sse ? q : p));
      params = best.params;
      sse = best.sse;
    } else {
      params = current;
    }
  }

  // sanity gates
  const problem = checkSviRawParams(params);
  if (problem !== null) return fallback(`fitted ${problem.field} = ${problem.value} ${problem.message}`, iterations, evaluations, qeDiag);
  const minW = params.a + params.b * params.sigma * Math.sqrt(1 - params.rho * params.rho);
  if (!(minW > 0)) return fallback(`fitted slice has min w = ${minW} <= 0`, iterations, evaluations, qeDiag);
  if (!Number.isFinite(sse)) return fallback('non-finite residuals', iterations, evaluations, qeDiag);

  const diagnostics = { ...baseDiagnostics, iterations, functionEvaluations: evaluations, stopReason, quasiExplicit: qeDiag, penaltyRounds };
  const result = freezeResult('ok', null, Object.freeze({ ...params }), data, diagnostics);
  if (!Number.isFinite(result.rmse)) return fallback('non-finite RMSE', iterations, evaluations, qeDiag);
  if (enforce && result.diagnostics.butterfly?.arbitrage) {
    const b = result.diagnostics.butterfly;
    return Object.freeze({
      ...result,
      status: 'flagged' as const,
      reason: `butterfly arbitrage remains after ${penaltyRounds} penalty rounds: min g = ${b.minG} at k = ${b.argminK}${b.leeViolated ? ', Lee bound violated' : ''}`,
    });
  }
  return result;
}

/** Flat slice w(k) = wAtm (b = 0; rho, m, sigma arbitrary but valid). */
function flatSlice(wAtm: number): SviRawParams {
  return Object.freeze({ a: wAtm, b: 0, rho: 0, m: 0, sigma: 1 });
}

/** Deterministic starts: m in {k at min w, +-0.25 range around it}, sigma in {0.05, 0.15, 0.4} x range. */
function defaultStarts(kAtMinW: number, range: number): (readonly [number, number])[] {
  const starts: (readonly [number, number])[] = [];
  for (const dm of [0, -0.25, 0.25]) {
    for (const sf of [0.15, 0.05, 0.4]) starts.push([kAtMinW + dm * range, sf * range] as const);
  }
  return starts;
}

/** Butterfly penalty grid: uniform over the data range widened to |k| <= 3 plus points around m and argmin g. */
function penaltyGrid(kMin: number, kMax: number, params: SviRawParams, argminK: number): Float64Array {
  const lo = Math.min(kMin - 1, -3);
  const hi = Math.max(kMax + 1, 3);
  const values: number[] = [];
  for (let i = 0; i <= 200; i++) values.push(lo + ((hi - lo) * i) / 200);
  for (let i = -20; i <= 20; i++) values.push(params.m + params.sigma * 0.25 * i);
  for (let i = -10; i <= 10; i++) values.push(argminK + 0.01 * i * Math.max(params.sigma, 0.05));
  return Float64Array.from(values).sort();
}

function freezeResult(
  status: SviFitStatus,
  reason: string | null,
  params: SviRawParams | null,
  data: SviSliceData,
  diag: Omit<SviFitDiagnostics, 'statistics' | 'butterfly'>,
): SviFitResult {
  const statistics = params
    ? measureSviFit(params, data)
    : Object.freeze({
        quotes: 0,
        rmseTotalVariance: Number.POSITIVE_INFINITY,
        weightedRmseTotalVariance: Number.POSITIVE_INFINITY,
        maxAbsResidual: Number.POSITIVE_INFINITY,
        rmseVolPoints: null,
        insideBidAskShare: null,
        bidAskQuotes: 0,
      });
  const butterfly = params ? sviButterfly(params, { kMax: scanHalfWidth(data) }) : null;
  return Object.freeze({
    status,
    reason,
    params,
    rmse: statistics.rmseTotalVariance,
    diagnostics: Object.freeze({ ...diag, statistics, butterfly }),
  });
}

/** Half-width of the butterfly scan: max(3, max |k| of the finite quotes + 1). */
function scanHalfWidth(data: SviSliceData): number {
  let m = 3;
  for (let i = 0; i < data.k.length; i++) {
    const k = data.k[i] as number;
    if (Number.isFinite(k)) m = Math.max(m, Math.abs(k) + 1);
  }
  return m;
}
