/**
 * Kupiec's (1995) proportion-of-failures (POF) test: are x exceptions in n observations consistent with the
 * expected rate p = 1 - coverage? methods.md §6.1:
 *   LR_POF = -2 ln[(1-p)^(n-x) p^x] + 2 ln[(1-p^)^(n-x) p^^x],  p^ = x/n,  0 ln 0 := 0,  ~ chi-square(1).
 * Computed as 2 [bd0(x, np) + bd0(n-x, n(1-p))] (Loader's deviance, ./special/deviance.ts), which is the same
 * number without cancellation when x is near np. Limits: x = 0 gives -2 n ln(1-p), x = n gives -2 n ln p; never
 * NaN. The asymptotic p-value is the chi-square(1) upper tail erfc(sqrt(LR/2)), accurate far into the tail; the
 * exact p-value is the two-sided binomial test (./binomialTest.ts: outcomes no more likely than x).
 */
import { binomialTestTwoSided } from './binomialTest.ts';
import { chiSquareSurvival } from './distributions/index.ts';
import { countExceptions, failureRateOf } from './exceptions.ts';
import type { ExceptionCount, ExceptionSeries } from './exceptions.ts';
import { bd0ExactMean, splitProbability } from './special/index.ts';

/** The result of {@link kupiec}; all fields dimensionless. */
export interface KupiecResult {
  /** Number of observations. */
  readonly n: number;
  /** Number of exceptions. */
  readonly x: number;
  /** Expected exception rate p = 1 - coverage. */
  readonly failureRate: number;
  /** Expected number of exceptions n p. */
  readonly expectedExceptions: number;
  /** Observed exception rate x / n. */
  readonly observedRate: number;
  /** The likelihood-ratio statistic LR_POF >= 0. */
  readonly lr: number;
  /** Asymptotic p-value P(chi-square(1) > lr). */
  readonly pValue: number;
  /** Exact two-sided binomial p-value (probability of outcomes no more likely than x under Bin(n, p)). */
  readonly pValueExact: number;
}

/**
 * LR_POF for x exceptions in n observations at expected rate p (integers 0 <= x <= n, n >= 1, 0 < p < 1; not
 * validated here), see the module note.
 */
export function kupiecStatistic(n: number, x: number, p: number): number {
  const { qHigh, qLow } = splitProbability(p);
  const lr = 2 * (bd0ExactMean(x, n, p, 0) + bd0ExactMean(n - x, n, qHigh, qLow));
  return Math.max(0, lr);
}

/**
 * Kupiec's POF test (DESIGN.md §6): `exceptions` is the exception series (true = loss beyond the forecast) or
 * its count `{ n, x }`; `coverage` the forecast's confidence (0.99 for a 99 % VaR).
 * @throws BacktestInputError for an invalid series/count, n = 0, or coverage outside (0, 1).
 */
export function kupiec(exceptions: ExceptionSeries | ExceptionCount, coverage: number): KupiecResult {
  const { n, x } = countExceptions(exceptions);
  const p = failureRateOf(coverage);
  const lr = kupiecStatistic(n, x, p);
  return Object.freeze({
    n,
    x,
    failureRate: p,
    expectedExceptions: n * p,
    observedRate: x / n,
    lr,
    pValue: chiSquareSurvival(lr, 1),
    pValueExact: binomialTestTwoSided(x, n, p),
  });
}
