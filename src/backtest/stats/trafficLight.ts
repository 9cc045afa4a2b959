/**
 * The traffic-light test (BCBS 1996, "Supervisory framework for the use of backtesting"), generalised to any
 * window length n and coverage as MathWorks' varbacktest and R's segMGarch do (methods.md §6.3): with
 * X ~ Bin(n, 1 - coverage) and the cumulative probability P(X <= x) of the observed count,
 *   green  if P(X <= x) <  0.95,
 *   yellow if 0.95 <= P(X <= x) < 0.9999,
 *   red    if P(X <= x) >= 0.9999.
 * At n = 250, coverage 0.99 this gives the Basel table exactly: green 0-4 (P(X <= 4) = 89.22 %), yellow 5-9
 * (P(X <= 5) = 95.88 %, P(X <= 9) = 99.975 %), red from 10 (P(X <= 10) = 99.9946 %); the Basel text's
 * "equals or exceeds 95 % / 99.99 %" is the >= above. The binomial tails are computed to full precision
 * (./distributions/binomial.ts), so the zone is never decided by rounding.
 */
import { binomialCdf, binomialSurvival } from './distributions/index.ts';
import { BacktestInputError } from './errors.ts';
import { countExceptions, failureRateOf } from './exceptions.ts';
import type { ExceptionCount, ExceptionSeries } from './exceptions.ts';

/** A traffic-light zone. */
export type TrafficLightZone = 'green' | 'yellow' | 'red';

/** Zone thresholds on the cumulative probability P(X <= x). */
export interface TrafficLightThresholds {
  /** Yellow from this cumulative probability on (default 0.95). */
  readonly yellow: number;
  /** Red from this cumulative probability on (default 0.9999). */
  readonly red: number;
}

/** The Basel thresholds 95 % and 99.99 %. */
export const BASEL_TRAFFIC_LIGHT_THRESHOLDS: TrafficLightThresholds = Object.freeze({ yellow: 0.95, red: 0.9999 });

/**
 * The Basel plus factor (added to the capital multiplier 3) by exception count 0..10+ in 250 days at 99 %:
 * 0 for 0-4, 0.40 / 0.50 / 0.65 / 0.75 / 0.85 for 5-9, 1.00 from 10. RECALLED (methods.md §6.3 tag [U], §9):
 * not verified against the primary 1996 text; the cumulative probabilities are verified.
 */
export const BASEL_PLUS_FACTORS: readonly number[] = Object.freeze([0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1]);

/** The result of {@link trafficLight}; probabilities dimensionless. */
export interface TrafficLightResult {
  readonly n: number;
  readonly x: number;
  /** Expected exception rate p = 1 - coverage. */
  readonly failureRate: number;
  readonly zone: TrafficLightZone;
  /** P(X <= x), X ~ Bin(n, p): the number the zones are read from. */
  readonly cumulativeProbability: number;
  /** P(X >= x): the probability of at least this many exceptions (MathWorks' "TypeI" error of rejecting). */
  readonly probabilityAtLeast: number;
  /**
   * The Basel plus factor for this count, only for the Basel configuration (n = 250, coverage 0.99, default
   * thresholds); null otherwise. Recalled, not verified (see {@link BASEL_PLUS_FACTORS}).
   */
  readonly plusFactor: number | null;
  /** The exception counts at which the zones change: the largest green count and the largest yellow count. */
  readonly boundaries: TrafficLightBoundaries;
}

/** Zone edges in exception counts: green for x <= greenMax, yellow for greenMax < x <= yellowMax, red above. */
export interface TrafficLightBoundaries {
  /**
   * Largest green count; -1 when even zero exceptions reaches the yellow threshold, which the rule gives for
   * short windows ((1 - p)^n >= 0.95, e.g. n <= 5 at 99 %): P(X <= 0) is then already 95 %.
   */
  readonly greenMax: number;
  /** Largest yellow count (equal to greenMax when there is no yellow count). */
  readonly yellowMax: number;
}

function zoneOf(cumulative: number, thresholds: TrafficLightThresholds): TrafficLightZone {
  if (cumulative >= thresholds.red) return 'red';
  if (cumulative >= thresholds.yellow) return 'yellow';
  return 'green';
}

/** Smallest k in [0, n] with P(X <= k) >= level (n if P(X <= n) = 1 is the first). */
function firstCountReaching(level: number, n: number, p: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialCdf(mid, n, p) >= level) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkThresholds(t: TrafficLightThresholds): TrafficLightThresholds {
  if (!(t.yellow > 0 && t.yellow < 1)) throw new BacktestInputError('thresholds.yellow', t.yellow, 'must be in (0, 1)');
  if (!(t.red > t.yellow && t.red <= 1)) throw new BacktestInputError('thresholds.red', t.red, `must be in (${t.yellow}, 1]`);
  return t;
}

/**
 * The zone edges (in exception counts) of the traffic light for a window of n observations at `coverage`.
 * @throws BacktestInputError for n not a positive integer or coverage outside (0, 1).
 */
export function trafficLightBoundaries(
  n: number,
  coverage: number,
  thresholds: TrafficLightThresholds = BASEL_TRAFFIC_LIGHT_THRESHOLDS,
): TrafficLightBoundaries {
  if (!Number.isSafeInteger(n) || n < 1) throw new BacktestInputError('n', n, 'must be a positive integer');
  const p = failureRateOf(coverage);
  const t = checkThresholds(thresholds);
  const firstYellow = firstCountReaching(t.yellow, n, p);
  const firstRed = firstCountReaching(t.red, n, p);
  return Object.freeze({ greenMax: firstYellow - 1, yellowMax: firstRed - 1 });
}

/**
 * The traffic-light zone of x exceptions in n observations (DESIGN.md §6). `exceptions` is the series
 * (true = exception) or the count `{ n, x }`; `coverage` the forecast's confidence (0.99 for a 99 % VaR).
 * @throws BacktestInputError for an invalid series/count, coverage outside (0, 1) or bad thresholds.
 */
export function trafficLight(
  exceptions: ExceptionSeries | ExceptionCount,
  coverage: number,
  thresholds: TrafficLightThresholds = BASEL_TRAFFIC_LIGHT_THRESHOLDS,
): TrafficLightResult {
  const { n, x } = countExceptions(exceptions);
  const p = failureRateOf(coverage);
  const t = checkThresholds(thresholds);
  const cumulativeProbability = binomialCdf(x, n, p);
  const basel = n === 250 && p === 0.01 && t.yellow === 0.95 && t.red === 0.9999;
  return Object.freeze({
    n,
    x,
    failureRate: p,
    zone: zoneOf(cumulativeProbability, t),
    cumulativeProbability,
    probabilityAtLeast: binomialSurvival(x - 1, n, p),
    plusFactor: basel ? (BASEL_PLUS_FACTORS[Math.min(x, 10)] as number) : null,
    boundaries: trafficLightBoundaries(n, coverage, t),
  });
}
