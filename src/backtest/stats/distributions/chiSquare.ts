/**
 * The chi-square distribution with k > 0 degrees of freedom: P(X <= x) = P(k/2, x/2) and
 * P(X > x) = Q(k/2, x/2) (regularized incomplete gamma). The survival function is what likelihood-ratio tests
 * need; it keeps its relative accuracy far into the tail: for k = 1 it is erfc(sqrt(x/2)) (so a Kupiec LR of
 * 1000 gives 1.1e-219, not the 0 of `1 - jStat.chisquare.cdf`), for k = 2 exactly exp(-x/2).
 */
import { regularizedGammaP, regularizedGammaQ } from '../special/index.ts';

/** P(X > x) for X ~ chi-square(dof): dof > 0; 1 for x <= 0; NaN for NaN input or dof <= 0. */
export function chiSquareSurvival(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}

/** P(X <= x) for X ~ chi-square(dof): dof > 0; 0 for x <= 0; NaN for NaN input or dof <= 0. */
export function chiSquareCdf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return Number.NaN;
  if (x <= 0) return 0;
  return regularizedGammaP(dof / 2, x / 2);
}
