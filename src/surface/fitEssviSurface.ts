import { levenbergMarquardt, type LevenbergMarquardtResult } from '../math/levenbergMarquardt.ts';
import { scanCalendar, type CalendarCheckResult } from './calendarCheck.ts';
import type { CleanedSliceQuotes } from './cleanSliceQuotes.ts';
import { essviCalendarConditions, essviPsiCap, essviWingFactor, type EssviCalendarConditions } from './essviConditions.ts';
import { prepareSurfaceQuotes, type SurfaceSliceQuotes } from './prepareSurfaceQuotes.ts';
import { essviTotalVarianceUnchecked } from './ssviTotalVariance.ts';
import type { EssviSliceParams } from './types.ts';

/** Options of fitEssviSurface. */
export interface EssviFitOptions {
  /** Fewest usable quotes for an expiry to enter the fit (default 3). */
  readonly minQuotes?: number;
  /** Starting values of rho tried for every slice (default [-0.5, 0, 0.5]; the previous slice's rho is always tried). */
  readonly rhoStarts?: readonly number[];
}

/** One fitted eSSVI slice. */
export interface EssviFittedSlice extends EssviSliceParams {
  readonly expiry: number;
  /** ATM total variance interpolated from the quotes, before any monotonicity adjustment. */
  readonly thetaQuoted: number;
  /** Unweighted RMSE in total variance over the slice's quotes. */
  readonly rmse: number;
  readonly stopReason: LevenbergMarquardtResult['stopReason'];
  /** Conditions against the previous slice (null for the first). */
  readonly calendarConditions: EssviCalendarConditions | null;
  /** Numerical calendar scan against the previous slice (null for the first). */
  readonly calendarScan: CalendarCheckResult | null;
  /** psi strictly below the Thm 4.2 butterfly cap. */
  readonly butterflyFree: boolean;
}

/** Result of fitEssviSurface. */
export interface EssviFitResult {
  /** 'ok'; 'flagged' when a post-fit check failed (should not happen); 'failed' when no expiry was usable. */
  readonly status: 'ok' | 'flagged' | 'failed';
  readonly reason: string | null;
  readonly slices: readonly EssviFittedSlice[];
  /** Unweighted RMSE in total variance over all fitted quotes (+Infinity when failed). */
  readonly rmse: number;
  readonly diagnostics: {
    readonly iterations: number;
    readonly functionEvaluations: number;
    readonly skipped: readonly { readonly inputIndex: number; readonly reason: string }[];
  };
}

const CAP_FACTOR = 1 - 1e-9;

/**
 * eSSVI surface fit (Hendriks & Martini 2019; Corbetta, Cohort, Laachir & Martini 2019; reference/methods.md §3.6),
 * free of calendar and butterfly arbitrage by construction. Slices are fitted one after the other in expiry order
 * (as in Corbetta et al.), each by Levenberg–Marquardt in (theta, rho, psi) parametrised so that the constraints
 * against the previous slice always hold:
 *   rho = tanh(u1), p = max((1+rho_prev)/(1+rho), (1-rho_prev)/(1-rho)), theta = p theta_prev + e^(u0),
 *   psi = lo + (hi - lo) logistic(u2), lo = p psi_prev, hi = min(psi_prev theta/theta_prev, cap(theta, rho)),
 * cap = Thm 4.2 butterfly bound (essviPsiCap). These are the sufficient calendar conditions of essviCalendarConditions
 * (theta rising, both wings rising, curvature non-increasing). When hi < lo for some rho (the butterfly cap of a
 * large wing factor p), a penalty residual pushes rho back; the final choice is the lowest-cost feasible start
 * (rho = rho_prev is always feasible). The first slice only has the butterfly cap. Each slice is then checked:
 * conditions re-evaluated and w_later - w_earlier scanned numerically (scanCalendar). Never throws for data problems.
 */
export function fitEssviSurface(input: readonly SurfaceSliceQuotes[], options: EssviFitOptions = {}): EssviFitResult {
  const prepared = prepareSurfaceQuotes(input, Math.max(3, options.minQuotes ?? 3));
  const rhoStarts = options.rhoStarts ?? [-0.5, 0, 0.5];
  const fitted: EssviFittedSlice[] = [];
  let iterations = 0;
  let evaluations = 0;
  let sumSq = 0;
  let total = 0;
  const problems: string[] = [];
  let prev: EssviSliceParams | null = null;

  for (const slice of prepared.slices) {
    const q = slice.quotes;
    const decode = makeDecoder(prev);
    const thetaHat = slice.thetaQuoted;
    // rho = rho_prev with rho held fixed is always feasible; then free-rho starts
    const candidates: { rho0: number; fixedRho: boolean }[] = [
      ...(prev ? [{ rho0: prev.rho, fixedRho: true }, { rho0: prev.rho, fixedRho: false }] : []),
      ...rhoStarts.map((rho0) => ({ rho0, fixedRho: false })),
    ];
    let best: { lm: LevenbergMarquardtResult; params: EssviSliceParams; feasible: boolean } | null = null;
    for (const { rho0, fixedRho } of candidates) {
      const lm = fitOneSlice(q, decode, prev, thetaHat, Math.max(-0.95, Math.min(0.95, rho0)), fixedRho);
      iterations += lm.iterations;
      evaluations += lm.evaluations;
      const params = decode.params(lm.x, fixedRho ? (prev as EssviSliceParams).rho : undefined);
      const feasible = decode.gap(params.rho, params.theta) >= 0;
      if (!Number.isFinite(lm.cost)) continue;
      if (best === null || (feasible && !best.feasible) || (feasible === best.feasible && lm.cost < best.lm.cost)) {
        best = { lm, params, feasible };
      }
    }
    if (best === null) {
      problems.push(`expiry ${slice.expiry}: no finite fit`);
      continue;
    }
    const p = best.params;
    let sq = 0;
    for (let i = 0; i < q.n; i++) sq += (essviTotalVarianceUnchecked(p.theta, p.rho, p.psi, q.k[i] as number) - (q.w[i] as number)) ** 2;
    sumSq += sq;
    total += q.n;
    const conditions = prev ? essviCalendarConditions(prev, p) : null;
    const earlier = prev;
    const scan = earlier
      ? scanCalendar(
          (k) => essviTotalVarianceUnchecked(earlier.theta, earlier.rho, earlier.psi, k),
          (k) => essviTotalVarianceUnchecked(p.theta, p.rho, p.psi, k),
          [],
          {
            earlier: [(earlier.psi * (1 - earlier.rho)) / 2, (earlier.psi * (1 + earlier.rho)) / 2],
            later: [(p.psi * (1 - p.rho)) / 2, (p.psi * (1 + p.rho)) / 2],
          },
          { kMax: 10, tolerance: 1e-12 * p.theta },
        )
      : null;
    const butterflyFree = p.psi < essviPsiCap(p.theta, p.rho);
    if (conditions && !conditions.sufficient) problems.push(`expiry ${slice.expiry}: calendar conditions not met`);
    if (scan?.arbitrage) problems.push(`expiry ${slice.expiry}: calendar scan shortfall ${scan.shortfall} at k = ${scan.worstK}`);
    if (!butterflyFree) problems.push(`expiry ${slice.expiry}: psi at or above the butterfly cap`);
    fitted.push(
      Object.freeze({
        expiry: slice.expiry,
        theta: p.theta,
        rho: p.rho,
        psi: p.psi,
        thetaQuoted: slice.thetaQuoted,
        rmse: Math.sqrt(sq / q.n),
        stopReason: best.lm.stopReason,
        calendarConditions: conditions,
        calendarScan: scan,
        butterflyFree,
      }),
    );
    prev = p;
  }
  const failed = fitted.length === 0;
  return Object.freeze({
    status: failed ? ('failed' as const) : problems.length > 0 ? ('flagged' as const) : ('ok' as const),
    reason: failed ? 'no expiry with enough usable quotes' : problems.length > 0 ? problems.join('; ') : null,
    slices: Object.freeze(fitted),
    rmse: failed ? Number.POSITIVE_INFINITY : Math.sqrt(sumSq / total),
    diagnostics: Object.freeze({ iterations, functionEvaluations: evaluations, skipped: prepared.skipped }),
  });
}

interface Decoder {
  /** Slice parameters from u = (u0, u1, u2); rho fixed when fixedRho is given (then u = (u0, u2)). */
  params(u: ArrayLike<number>, fixedRho?: number): EssviSliceParams;
  /** hi - lo of the psi interval (negative = infeasible rho). */
  gap(rho: number, theta: number): number;
}

function makeDecoder(prev: EssviSliceParams | null): Decoder {
  const bounds = (rho: number, theta: number): [number, number] => {
    const cap = CAP_FACTOR * essviPsiCap(theta, rho);
    if (prev === null) return [0, cap];
    const p = essviWingFactor(prev.rho, rho);
    return [p * prev.psi, Math.min((prev.psi * theta) / prev.theta, cap)];
  };
  return {
    params(u, fixedRho) {
      const two = fixedRho !== undefined;
      const rho = two ? fixedRho : Math.tanh(u[1] as number);
      const uPsi = (two ? u[1] : u[2]) as number;
      const theta = prev === null ? Math.exp(u[0] as number) : essviWingFactor(prev.rho, rho) * prev.theta + Math.exp(u[0] as number);
      const [lo, hi] = bounds(rho, theta);
      const psi = lo + Math.max(hi - lo, 0) / (1 + Math.exp(-uPsi));
      return { theta, rho, psi };
    },
    gap(rho, theta) {
      const [lo, hi] = bounds(rho, theta);
      return hi - lo;
    },
  };
}

function fitOneSlice(
  q: CleanedSliceQuotes,
  decode: Decoder,
  prev: EssviSliceParams | null,
  thetaHat: number,
  rho0: number,
  fixedRho: boolean,
): LevenbergMarquardtResult {
  const n = q.n;
  const sqrtW = Float64Array.from(q.weights, (v) => Math.sqrt(v));
  const penaltyScale = 10 * Math.sqrt(n);
  const rhoFixed = fixedRho && prev ? prev.rho : undefined;
  const problem = {
    parameterCount: fixedRho ? 2 : 3,
    residualCount: n + 1,
    residuals(u: Float64Array, out: Float64Array): void {
      const p = decode.params(u, rhoFixed);
      for (let i = 0; i < n; i++) {
        out[i] = (sqrtW[i] as number) * (essviTotalVarianceUnchecked(p.theta, p.rho, p.psi, q.k[i] as number) - (q.w[i] as number));
      }
      out[n] = penaltyScale * Math.max(0, -decode.gap(p.rho, p.theta));
    },
  };
  const thetaFloor = prev ? essviWingFactor(prev.rho, rho0) * prev.theta : 0;
  const excess = Math.max(thetaHat - thetaFloor, 1e-6 * Math.max(thetaHat, 1e-12));
  const u0 = Math.log(prev ? excess : Math.max(thetaHat, 1e-12));
  const start = fixedRho ? [u0, 0] : [u0, Math.atanh(rho0), 0];
  return levenbergMarquardt(problem, start, { maxIterations: 200, gradientTolerance: 1e-15, stepTolerance: 1e-12 });
}
