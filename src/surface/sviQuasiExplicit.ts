import { nelderMead } from '../math/index.ts';
import {
  solveQuasiExplicitInner,
  type QuasiExplicitBounds,
  type QuasiExplicitData,
  type QuasiExplicitInnerSolution,
} from './quasiExplicitInner.ts';
import type { SviRawParams } from './types.ts';

/** Options of the quasi-explicit outer search. */
export interface SviQuasiExplicitOptions {
  /** Box for m (log-moneyness). */
  readonly mBounds: readonly [number, number];
  /** Box for sigma (> 0). */
  readonly sigmaBounds: readonly [number, number];
  /** Starting points (m, sigma), tried in order; deterministic. */
  readonly starts: readonly (readonly [number, number])[];
  /** Domain of the inner problem. */
  readonly bounds: QuasiExplicitBounds;
  /** Nelder–Mead evaluation budget per start (default 400). */
  readonly maxEvaluationsPerStart?: number;
}

/** Result of the quasi-explicit calibration. */
export interface SviQuasiExplicitResult {
  readonly params: SviRawParams;
  /** Weighted sum of squared residuals. */
  readonly sse: number;
  readonly evaluations: number;
  readonly iterations: number;
  /** Index of the start that gave the best point. */
  readonly bestStart: number;
  /** True when every Nelder–Mead run converged within its budget. */
  readonly converged: boolean;
}

/**
 * Zeliade quasi-explicit SVI calibration (De Marco & Martini 2009; reference/methods.md §3.4): the inner
 * problem in (a, d, c) is solved exactly for each (m, sigma) by solveQuasiExplicitInner, and the outer
 * two-dimensional problem in (m, ln sigma) by Nelder–Mead from each deterministic starting point (points
 * outside the box evaluate to +Infinity). The best outer point is mapped back to raw SVI:
 * b = c/sigma, rho = d/c (0 when c = 0), a = a.
 */
export function sviQuasiExplicit(data: QuasiExplicitData, options: SviQuasiExplicitOptions): SviQuasiExplicitResult {
  const [mLo, mHi] = options.mBounds;
  const [sLo, sHi] = options.sigmaBounds;
  const lnSLo = Math.log(sLo);
  const lnSHi = Math.log(sHi);
  const scratch: QuasiExplicitInnerSolution = { a: 0, d: 0, c: 0, sse: 0, activeConstraints: 0 };
  const objective = (x: Float64Array): number => {
    const m = x[0] as number;
    const lnS = x[1] as number;
    if (!(m >= mLo && m <= mHi && lnS >= lnSLo && lnS <= lnSHi)) return Number.POSITIVE_INFINITY;
    return solveQuasiExplicitInner(data, m, Math.exp(lnS), options.bounds, scratch).sse;
  };
  const mRange = mHi - mLo;
  let bestF = Number.POSITIVE_INFINITY;
  let bestX: Float64Array | null = null;
  let bestStart = -1;
  let evaluations = 0;
  let iterations = 0;
  let converged = true;
  options.starts.forEach(([m0, s0], index) => {
    const start = [clamp(m0, mLo, mHi), clamp(Math.log(s0), lnSLo, lnSHi)];
    // the settings of the former surface copy of Nelder–Mead (relative f test, evaluation budget only,
    // weighted-sum rounding, ties by vertex index): the calibrations are unchanged bit for bit
    const r = nelderMead(objective, start, {
      step: [0.05 * mRange, 0.5],
      xTol: 1e-9,
      fTol: 1e-13,
      fTolFloor: 0,
      fAbsTol: 1e-30,
      maxIterations: Number.POSITIVE_INFINITY,
      maxEvaluations: options.maxEvaluationsPerStart ?? 400,
      vertexArithmetic: 'weighted-sum',
      tieBreak: 'vertex-index',
    });
    evaluations += r.evaluations;
    iterations += r.iterations;
    if (r.stopReason !== 'converged') converged = false;
    if (r.fx < bestF) {
      bestF = r.fx;
      bestX = r.x;
      bestStart = index;
    }
  });
  const x = bestX ?? Float64Array.from([clamp(0, mLo, mHi), clamp(Math.log(0.1), lnSLo, lnSHi)]);
  const m = x[0] as number;
  const sigma = Math.exp(x[1] as number);
  const inner = solveQuasiExplicitInner(data, m, sigma, options.bounds, scratch);
  const b = inner.c / sigma;
  const rho = inner.c > 0 ? clamp(inner.d / inner.c, -1 + 1e-12, 1 - 1e-12) : 0;
  return Object.freeze({
    params: Object.freeze({ a: inner.a, b, rho, m, sigma }),
    sse: inner.sse,
    evaluations,
    iterations,
    bestStart,
    converged,
  });
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
