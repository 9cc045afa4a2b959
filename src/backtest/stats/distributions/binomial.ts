/**
 * The binomial distribution Bin(n, p), computed to nearly full double precision in both tails (the traffic
 * light and the exact Kupiec p-value depend on it):
 * - the probability mass by C. Loader's saddle-point form ("Fast and accurate computation of binomial
 *   probabilities", 2000; R's dbinom_raw): exp(stirlerr(n) - stirlerr(k) - stirlerr(n-k) - bd0(k, np)
 *   - bd0(n-k, nq)) / sqrt(2 pi k (n-k)/n), with the means np and nq taken exactly (see `bd0ExactMean`);
 * - each tail as its own sum of masses (never 1 minus the other tail), summed from the term nearest the mode
 *   outwards with compensated summation, and stopped once the geometric bound on the remaining terms (the mass is
 *   log-concave, so successive ratios shrink away from the mode) is below 2^-60 of the partial sum.
 * Accuracy against mpmath: see test/backtest/distributions.test.ts.
 */
import { CompensatedAccumulator } from '../../../math/index.ts';
import { bd0ExactMean, splitProbability, stirlingError } from '../special/index.ts';
import type { SplitProbability } from '../special/index.ts';

const TWO_PI = 2 * Math.PI;
const STOP = 2 ** -60;

function validParameters(n: number, p: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && p >= 0 && p <= 1;
}

/** Loader's mass for an integer k in [0, n], given valid n and split p. */
function massAt(k: number, n: number, sp: SplitProbability): number {
  const { p, qHigh, qLow } = sp;
  if (p === 0) return k === 0 ? 1 : 0;
  if (qHigh === 0) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(n * Math.log1p(-p));
  if (k === n) return Math.exp(n * Math.log(p));
  const exponent =
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(n - k) -
    bd0ExactMean(k, n, p, 0) -
    bd0ExactMean(n - k, n, qHigh, qLow);
  return Math.exp(exponent) / Math.sqrt((TWO_PI * k * (n - k)) / n);
}

/**
 * P(X = k) for X ~ Bin(n, p): n a non-negative safe integer, p in [0, 1] (NaN otherwise, and for NaN k);
 * 0 for k outside {0, ..., n} or not an integer.
 */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!validParameters(n, p) || Number.isNaN(k)) return Number.NaN;
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  return massAt(k, n, splitProbability(p));
}

/** The sum of masses over the integers lo..hi (0 <= lo <= hi <= n), from the mode outwards (see module note). */
function sumMasses(lo: number, hi: number, n: number, sp: SplitProbability): number {
  const { p, qHigh } = sp;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const start = Math.min(hi, Math.max(lo, mode));
  const acc = new CompensatedAccumulator();
  acc.add(massAt(start, n, sp));
  const odds = p / qHigh; // only for the stopping bound, so its rounding does not matter
  for (let k = start - 1; k >= lo; k--) {
    const term = massAt(k, n, sp);
    acc.add(term);
    // next ratio pmf(k-1)/pmf(k) = k q / ((n - k + 1) p); the remaining terms are below term * r / (1 - r)
    const r = k / ((n - k + 1) * odds);
    if (r < 1 && (term * r) / (1 - r) <= STOP * acc.value) break;
  }
  for (let k = start + 1; k <= hi; k++) {
    const term = massAt(k, n, sp);
    acc.add(term);
    const r = ((n - k) * odds) / (k + 1);
    if (r < 1 && (term * r) / (1 - r) <= STOP * acc.value) break;
  }
  return acc.value;
}

/**
 * P(X <= x) for X ~ Bin(n, p) (n a non-negative safe integer, p in [0, 1]; NaN otherwise or for NaN x). Any real
 * x is accepted: P(X <= x) = P(X <= floor(x)); 0 below 0 and 1 from n on.
 */
export function binomialCdf(x: number, n: number, p: number): number {
  if (!validParameters(n, p) || Number.isNaN(x)) return Number.NaN;
  const k = Math.floor(x);
  if (k < 0) return 0;
  if (k >= n) return 1;
  return sumMasses(0, k, n, splitProbability(p));
}

/**
 * P(X > x) for X ~ Bin(n, p), the survival function (scipy's `sf`), summed directly so small upper tails keep
 * their relative accuracy. Same domain rules as `binomialCdf`. P(X >= x) is `binomialSurvival(x - 1, n, p)`.
 */
export function binomialSurvival(x: number, n: number, p: number): number {
  if (!validParameters(n, p) || Number.isNaN(x)) return Number.NaN;
  const k = Math.floor(x);
  if (k < 0) return 1;
  if (k >= n) return 0;
  return sumMasses(k + 1, n, n, splitProbability(p));
}
