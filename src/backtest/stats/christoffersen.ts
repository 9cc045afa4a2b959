/**
 * Christoffersen's (1998) tests on the exception series (methods.md §6.2). With n_ij the number of days in state
 * i followed by a day in state j (1 = exception), over the T - 1 consecutive pairs of a series of length T:
 *   pi01 = n01/(n00+n01), pi11 = n11/(n10+n11), pi = (n01+n11)/(n00+n01+n10+n11)
 *   LR_ind = -2 ln[(1-pi)^(n00+n10) pi^(n01+n11)] + 2 ln[(1-pi01)^n00 pi01^n01 (1-pi11)^n10 pi11^n11] ~ chi2(1)
 *   LR_cc  = LR_POF + LR_ind ~ chi2(2), with LR_POF on all T observations and their x exceptions (as MathWorks'
 *   varbacktest does).
 * Conventions: 0 ln 0 := 0, and a factor whose probability is undefined (no day in that state to move from) is
 * 1. So a series with no exceptions, all exceptions, or no transition out of state 1 (e.g. one exception on the
 * last day) has LR_ind = 0, never NaN. LR_ind is computed as the G-statistic of the 2x2 transition table,
 * 2 sum_ij bd0(n_ij, E_ij) with E_ij = n_i. n_.j / N, which is the same number without cancellation.
 */
import { chiSquareSurvival } from './distributions/index.ts';
import { BacktestInputError } from './errors.ts';
import { exceptionFlags, failureRateOf } from './exceptions.ts';
import type { ExceptionSeries } from './exceptions.ts';
import { kupiecStatistic } from './kupiec.ts';
import { bd0 } from './special/index.ts';

/** Transition counts of an exception series: `n01` = days without an exception followed by one, etc. */
export interface TransitionCounts {
  readonly n00: number;
  readonly n01: number;
  readonly n10: number;
  readonly n11: number;
}

/** A likelihood-ratio statistic with its asymptotic chi-square p-value. */
export interface LikelihoodRatioTest {
  readonly lr: number;
  readonly pValue: number;
}

/** Christoffersen's independence test with the estimated transition probabilities. */
export interface IndependenceTest extends LikelihoodRatioTest {
  readonly transitions: TransitionCounts;
  /** P(exception) over the transitions, (n01 + n11) / (T - 1). */
  readonly pi: number;
  /** P(exception tomorrow | none today); null when no day without an exception has a successor. */
  readonly pi01: number | null;
  /** P(exception tomorrow | exception today); null when no exception day has a successor. */
  readonly pi11: number | null;
}

/** The result of {@link christoffersen}. */
export interface ChristoffersenResult {
  readonly n: number;
  readonly x: number;
  /** Kupiec's POF on the whole series (the first component of conditional coverage). */
  readonly pof: LikelihoodRatioTest;
  /** LR_ind ~ chi-square(1). */
  readonly independence: IndependenceTest;
  /** LR_cc = LR_POF + LR_ind ~ chi-square(2). */
  readonly conditionalCoverage: LikelihoodRatioTest;
}

/** The transition counts of an exception series (all zero for fewer than two observations). */
export function countTransitions(exceptions: ExceptionSeries): TransitionCounts {
  const flags = exceptionFlags(exceptions);
  const counts = [0, 0, 0, 0];
  for (let t = 1; t < flags.length; t++) {
    const index = 2 * (flags[t - 1] as number) + (flags[t] as number);
    counts[index] = (counts[index] as number) + 1;
  }
  const [n00, n01, n10, n11] = counts as [number, number, number, number];
  return Object.freeze({ n00, n01, n10, n11 });
}

function checkCount(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new BacktestInputError(`transitions.${field}`, value, 'must be a non-negative integer');
}

/**
 * Christoffersen's independence test from transition counts (see the module note for the degenerate cases).
 * @throws BacktestInputError for a count that is not a non-negative integer, or all counts zero.
 */
export function christoffersenIndependence(transitions: TransitionCounts): IndependenceTest {
  const { n00, n01, n10, n11 } = transitions;
  checkCount('n00', n00);
  checkCount('n01', n01);
  checkCount('n10', n10);
  checkCount('n11', n11);
  const total = n00 + n01 + n10 + n11;
  if (total === 0) throw new BacktestInputError('transitions', 0, 'needs at least one transition (two observations)');
  const row0 = n00 + n01;
  const row1 = n10 + n11;
  const col0 = n00 + n10;
  const col1 = n01 + n11;
  const g = bd0(n00, (row0 * col0) / total) + bd0(n01, (row0 * col1) / total) + bd0(n10, (row1 * col0) / total) + bd0(n11, (row1 * col1) / total);
  const lr = Math.max(0, 2 * g);
  return Object.freeze({
    lr,
    pValue: chiSquareSurvival(lr, 1),
    transitions: Object.freeze({ n00, n01, n10, n11 }),
    pi: col1 / total,
    pi01: row0 > 0 ? n01 / row0 : null,
    pi11: row1 > 0 ? n11 / row1 : null,
  });
}

/**
 * Christoffersen's independence and conditional-coverage tests (DESIGN.md §6) on an exception series
 * (true = exception) at the forecast confidence `coverage` (e.g. 0.99).
 * @throws BacktestInputError for an invalid series, fewer than two observations, or coverage outside (0, 1).
 */
export function christoffersen(exceptions: ExceptionSeries, coverage: number): ChristoffersenResult {
  const flags = exceptionFlags(exceptions);
  const p = failureRateOf(coverage);
  if (flags.length < 2) throw new BacktestInputError('exceptions', exceptions, 'needs at least two observations');
  let x = 0;
  for (let t = 0; t < flags.length; t++) x += flags[t] as number;
  const n = flags.length;
  const independence = christoffersenIndependence(countTransitions(flags));
  const pofLr = kupiecStatistic(n, x, p);
  const ccLr = pofLr + independence.lr;
  return Object.freeze({
    n,
    x,
    pof: Object.freeze({ lr: pofLr, pValue: chiSquareSurvival(pofLr, 1) }),
    independence,
    conditionalCoverage: Object.freeze({ lr: ccLr, pValue: chiSquareSurvival(ccLr, 2) }),
  });
}
