/**
 * Student's t distribution with dof > 0 degrees of freedom (standard: location 0, scale 1): density, quantile,
 * left-tail expected shortfall and seeded sampling, for the Acerbi-Szekely simulation under a t forecast.
 *
 * The cdf is F(t) = I_{nu/(nu+t^2)}(nu/2, 1/2) / 2 for t < 0 (regularized incomplete beta, ../special/), and
 * the quantile starts from jstat 1.9's `studentt.inv` (relative error up to ~2e-8, as is jstat's cdf) and is
 * polished by Newton steps on that accurate cdf, to about 1e-14 (test/backtest/distributions.test.ts, against
 * mpmath).
 */
import jStat from 'jstat';
import type { Rng } from '../../../math/index.ts';
import { logGamma, regularizedBeta } from '../special/index.ts';
import { sampleGamma } from './sampleGamma.ts';

/** The density of the standard t with `dof` degrees of freedom (NaN for dof <= 0 or NaN input). */
export function studentTPdf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return Number.NaN;
  const logNorm = logGamma((dof + 1) / 2) - logGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI);
  return Math.exp(logNorm - ((dof + 1) / 2) * Math.log1p((x * x) / dof));
}

/** P(T <= t) for the standard t with `dof` degrees of freedom, accurate in relative terms in the lower tail. */
export function studentTCdf(t: number, dof: number): number {
  if (Number.isNaN(t) || !(dof > 0)) return Number.NaN;
  if (t === 0) return 0.5;
  const t2 = t * t;
  const lower = 0.5 * regularizedBeta(dof / (dof + t2), t2 / (dof + t2), dof / 2, 0.5);
  return t < 0 ? lower : 1 - lower;
}

/** The lower-half quantile (p < 1/2): jstat's estimate refined by Newton steps on `studentTCdf`. */
function lowerQuantile(p: number, dof: number): number {
  let q = jStat.studentt.inv(p, dof);
  if (!(q < 0) || !Number.isFinite(q)) return q;
  for (let i = 0; i < 8; i++) {
    const step = (studentTCdf(q, dof) - p) / studentTPdf(q, dof);
    const next = q - step;
    if (!(next < 0) || !Number.isFinite(next)) break;
    q = next;
    if (Math.abs(step) <= 1e-15 * Math.abs(q)) break;
  }
  return q;
}

/** The p-quantile of the standard t (p in (0, 1), dof > 0; NaN otherwise). See the module note for accuracy. */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1) || !(dof > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  // symmetric: t_p = -t_{1-p}; work on the lower half where the cdf has relative accuracy
  return p < 0.5 ? lowerQuantile(p, dof) : -lowerQuantile(1 - p, dof);
}

/**
 * The left tail of the standard t at tail probability `alpha`, as positive loss numbers: `valueAtRisk` = -q with
 * q = t_dof^{-1}(alpha), and `expectedShortfall` = -E[T | T <= q] = f(q)/alpha * (dof + q^2)/(dof - 1)
 * (methods.md §6.4). Needs dof > 1 (the mean must exist) and alpha in (0, 1); NaN otherwise.
 */
export function studentTTail(alpha: number, dof: number): { readonly valueAtRisk: number; readonly expectedShortfall: number } {
  if (!(alpha > 0 && alpha < 1) || !(dof > 1)) return Object.freeze({ valueAtRisk: Number.NaN, expectedShortfall: Number.NaN });
  const q = studentTQuantile(alpha, dof);
  const expectedShortfall = ((studentTPdf(q, dof) / alpha) * (dof + q * q)) / (dof - 1);
  return Object.freeze({ valueAtRisk: -q, expectedShortfall });
}

/**
 * One standard t draw: Z / sqrt(V / dof) with Z standard normal and V = 2 Gamma(dof/2) a chi-square(dof) draw
 * (Marsaglia-Tsang). dof > 0 (NaN otherwise). Advances `rng`.
 */
export function sampleStudentT(rng: Rng, dof: number): number {
  if (!(dof > 0)) return Number.NaN;
  const z = rng.nextNormal();
  const v = 2 * sampleGamma(rng, dof / 2);
  return z / Math.sqrt(v / dof);
}
