/**
 * The exact two-sided binomial test of H0: X ~ Bin(n, p) given the observed x: the probability, under H0, of the
 * outcomes no more likely than the one observed (the "minimum likelihood" definition of R's binom.test and
 * scipy.stats.binomtest, including their relative tolerance 1 + 1e-7 when comparing masses, so near-ties count
 * as ties). Concretely, with d = P(X = x): if x < np, P(X <= x) + P(X >= y) where y is the smallest integer
 * >= np with P(X = y) <= d (1 + 1e-7); if x > np, symmetrically; if x = np, 1. Capped at 1.
 * MathWorks' varbacktest defines no exact POF p-value, so this follows R/scipy; the one-sided tail
 * P(X >= x) is reported by `trafficLight` as `probabilityAtLeast`.
 */
import { binomialCdf, binomialPmf, binomialSurvival } from './distributions/index.ts';

const RELATIVE_TOLERANCE = 1 + 1e-7;

/** Smallest k in [lo, hi] with mass(k) <= limit, mass non-increasing on [lo, hi]; hi + 1 if none. */
function firstAtMost(lo: number, hi: number, limit: number, mass: (k: number) => number): number {
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (mass(mid) <= limit) b = mid;
    else a = mid + 1;
  }
  return a;
}

/** Largest k in [lo, hi] with mass(k) <= limit, mass non-decreasing on [lo, hi]; lo - 1 if none. */
function lastAtMost(lo: number, hi: number, limit: number, mass: (k: number) => number): number {
  let a = lo - 1;
  let b = hi;
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (mass(mid) <= limit) a = mid;
    else b = mid - 1;
  }
  return a;
}

/**
 * The exact two-sided binomial p-value (see the module note) for integers 0 <= x <= n and p in [0, 1]; the
 * caller validates. The mass is unimodal with its mode in [floor(np), ceil(np)], so it is non-increasing on
 * [ceil(np), n] and non-decreasing on [0, floor(np)], which the binary searches rely on.
 */
export function binomialTestTwoSided(x: number, n: number, p: number): number {
  const mean = n * p;
  if (x === mean) return 1;
  const mass = (k: number): number => binomialPmf(k, n, p);
  const limit = mass(x) * RELATIVE_TOLERANCE;
  let total: number;
  if (x < mean) {
    const y = firstAtMost(Math.ceil(mean), n, limit, mass);
    total = binomialCdf(x, n, p) + (y <= n ? binomialSurvival(y - 1, n, p) : 0);
  } else {
    const y = lastAtMost(0, Math.floor(mean), limit, mass);
    total = binomialSurvival(x - 1, n, p) + (y >= 0 ? binomialCdf(y, n, p) : 0);
  }
  return Math.min(1, total);
}
