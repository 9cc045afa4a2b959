/**
 * The Acerbi-Szekely Z2 test with simulated critical values (methods.md §6.4): the observed Z2 is compared with
 * M values of Z2 computed on P&L paths drawn, with a seeded generator, from the forecast distribution
 * (./esForecast.ts) against the same VaR/ES forecasts.
 *
 * - p-value: (1 + #{m : Z2_m <= Z2_obs}) / (M + 1), the Monte Carlo p-value of a lower-tail test (never 0;
 *   Davison & Hinkley 1997, §4.2).
 * - critical value at level L: the k-th smallest simulated Z2 with k = ceil(M L) computed exactly on the
 *   decimal of L (the DESIGN.md §3 order-statistic convention); the test rejects at level L when
 *   Z2_obs <= that value. Default levels 5 % and 0.01 % (the paper's analogue of the traffic-light zones, whose
 *   values for T = 250, alpha = 2.5 % and normal P&L it quotes as -0.70 and -1.8).
 * - reproducibility: the same input, forecast, M and seed give the same numbers on every platform (the
 *   generator is src/math/rng.ts). Paths are drawn one after another, day by day; a sampler forecast is
 *   called in that order.
 * Cost: M x T draws (normal: about 25 ns each here), so M = 100 000 at T = 250 takes about a second. With a
 * small M the 0.01 % value is one of the few smallest draws and noisy: use M >= 100 000 for it.
 */
import { createRng } from '../../math/index.ts';
import type { Rng, RngSeed } from '../../math/index.ts';
import { checkEsInput, z2OfChecked } from './acerbiSzekely.ts';
import type { EsBacktestInput } from './acerbiSzekely.ts';
import { ceilCountTimesLevel } from './decimal.ts';
import { BacktestInputError } from './errors.ts';
import { forecastPathSampler } from './esForecast.ts';
import type { EsForecastDistribution } from './esForecast.ts';

/** Options of {@link acerbiSzekelyZ2Test}. */
export interface Z2TestOptions {
  /** The null distribution of each day's P&L (see ./esForecast.ts). */
  readonly forecast: EsForecastDistribution;
  /** A seed for `createRng`, or a generator (it is advanced by the simulation). */
  readonly seed: RngSeed | Rng;
  /** Number of simulated paths M (integer >= 1; default 20 000). */
  readonly simulations?: number;
  /** Test levels for critical values, each in (0, 1) (default [0.05, 0.0001]). */
  readonly levels?: readonly number[];
}

/** A simulated critical value. */
export interface Z2CriticalValue {
  /** The test level L (probability of rejecting a correct forecast). */
  readonly level: number;
  /** The simulated L-quantile of Z2 under the forecast (order statistic ceil(M L)). */
  readonly value: number;
  /** Whether the observed Z2 is at or below it. */
  readonly rejected: boolean;
}

/** The result of {@link acerbiSzekelyZ2Test}. */
export interface Z2TestResult {
  /** Observed Z2. */
  readonly statistic: number;
  /** Number of VaR exceptions in the observed data. */
  readonly exceptions: number;
  readonly n: number;
  readonly alpha: number;
  /** Monte Carlo lower-tail p-value, (1 + #{Z2_m <= Z2}) / (M + 1). */
  readonly pValue: number;
  readonly criticalValues: readonly Z2CriticalValue[];
  /** M. */
  readonly simulations: number;
  /** Mean of the simulated Z2 (about 0 when the forecast distribution matches the VaR/ES forecasts). */
  readonly simulatedMean: number;
}

export const DEFAULT_Z2_SIMULATIONS = 20000;
export const DEFAULT_Z2_LEVELS: readonly number[] = Object.freeze([0.05, 0.0001]);

function rngOf(seed: RngSeed | Rng): Rng {
  if (typeof seed === 'object' && seed !== null && typeof (seed as Rng).nextNormal === 'function') return seed as Rng;
  if (typeof seed === 'number' || typeof seed === 'string') {
    try {
      return createRng(seed);
    } catch (error) {
      throw new BacktestInputError('options.seed', seed, (error as Error).message);
    }
  }
  throw new BacktestInputError('options.seed', seed, 'must be a seed (safe integer or string) or an Rng');
}

/**
 * Simulates M values of Z2 under the forecast distribution (sorted ascending) for validated input.
 * Kernel of {@link acerbiSzekelyZ2Test}, exported for reports that plot the null distribution.
 */
export function simulateZ2(input: EsBacktestInput, forecast: EsForecastDistribution, simulations: number, seed: RngSeed | Rng): Float64Array {
  if (!Number.isSafeInteger(simulations) || simulations < 1) {
    throw new BacktestInputError('options.simulations', simulations, 'must be a positive integer');
  }
  const checked = checkEsInput(input);
  const { valueAtRisk, expectedShortfall, alpha } = checked;
  const n = valueAtRisk.length;
  const draw = forecastPathSampler(forecast, valueAtRisk, expectedShortfall, alpha);
  const rng = rngOf(seed);
  const weight = new Float64Array(n);
  for (let t = 0; t < n; t++) weight[t] = 1 / (n * alpha * (expectedShortfall[t] as number));
  const path = new Float64Array(n);
  const out = new Float64Array(simulations);
  for (let m = 0; m < simulations; m++) {
    draw(rng, path);
    let sum = 0;
    for (let t = 0; t < n; t++) {
      const x = path[t] as number;
      if (x + (valueAtRisk[t] as number) < 0) sum += x * (weight[t] as number);
    }
    out[m] = sum + 1;
  }
  return out.sort();
}

/**
 * The Acerbi-Szekely Z2 test: the statistic, its simulated p-value and critical values (see the module note).
 * @throws BacktestInputError for invalid input (as `acerbiSzekelyZ2`), forecast, seed, simulations or levels.
 */
export function acerbiSzekelyZ2Test(input: EsBacktestInput, options: Z2TestOptions): Z2TestResult {
  if (typeof options !== 'object' || options === null) throw new BacktestInputError('options', options, 'must be an object');
  const levels = options.levels ?? DEFAULT_Z2_LEVELS;
  levels.forEach((level, i) => {
    if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new BacktestInputError(`options.levels[${i}]`, level, 'must be in (0, 1)');
  });
  const simulations = options.simulations ?? DEFAULT_Z2_SIMULATIONS;
  const observed = z2OfChecked(checkEsInput(input));
  const simulated = simulateZ2(input, options.forecast, simulations, options.seed);
  let atOrBelow = 0;
  let sum = 0;
  for (let m = 0; m < simulations; m++) {
    const z = simulated[m] as number;
    if (z <= observed.statistic) atOrBelow++;
    sum += z;
  }
  const criticalValues = levels.map((level) => {
    const value = simulated[ceilCountTimesLevel(simulations, level) - 1] as number;
    return Object.freeze({ level, value, rejected: observed.statistic <= value });
  });
  return Object.freeze({
    statistic: observed.statistic,
    exceptions: observed.exceptions,
    n: observed.n,
    alpha: observed.alpha,
    pValue: (1 + atOrBelow) / (simulations + 1),
    criticalValues: Object.freeze(criticalValues),
    simulations,
    simulatedMean: sum / simulations,
  });
}
