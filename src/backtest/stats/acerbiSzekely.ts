/**
 * The Acerbi-Szekely (2014, "Backtesting Expected Shortfall", MSCI) unconditional test statistic Z2
 * (methods.md §6.4). Conventions, as in the paper: X_t is the realised P&L of day t (positive = gain, so a loss
 * is negative); VaR_t and ES_t are the forecasts made before day t at tail probability alpha = 1 - coverage,
 * as positive loss amounts (ES_t > 0); I_t = 1{X_t + VaR_t < 0} (a loss strictly beyond VaR). Then
 *   Z2 = sum_t X_t I_t / (T alpha ES_t) + 1.
 * E[Z2] = 0 when the forecasts are right; a significantly negative Z2 says the tail risk is underestimated
 * (frequency and size of the exceptions jointly). Z2 is unchanged if every day's P&L, VaR and ES are scaled
 * by a common positive factor. Critical values come from simulation (./acerbiSzekelyTest.ts).
 */
import { BacktestInputError } from './errors.ts';
import { failureRateOf } from './exceptions.ts';

/** Input of the Acerbi-Szekely statistic: aligned daily series of equal length T >= 1. */
export interface EsBacktestInput {
  /** Realised P&L per day, positive = gain (money). */
  readonly pnl: ArrayLike<number>;
  /** VaR forecast per day at `coverage`, as a loss amount (money; positive for a loss, may be <= 0). */
  readonly valueAtRisk: ArrayLike<number>;
  /** ES forecast per day at `coverage`, as a loss amount (money, > 0). */
  readonly expectedShortfall: ArrayLike<number>;
  /** The forecasts' confidence, e.g. 0.975 (alpha = 1 - coverage = 2.5 %). */
  readonly coverage: number;
}

/** The value of Z2 with the exception count it came from. */
export interface Z2Statistic {
  /** Z2 (dimensionless); exactly 1 when there is no exception. */
  readonly statistic: number;
  /** Number of days with X_t + VaR_t < 0. */
  readonly exceptions: number;
  /** Number of days T. */
  readonly n: number;
  /** Tail probability alpha = 1 - coverage. */
  readonly alpha: number;
}

/** Validated input as Float64Arrays plus alpha. */
export interface CheckedEsInput {
  readonly pnl: Float64Array;
  readonly valueAtRisk: Float64Array;
  readonly expectedShortfall: Float64Array;
  readonly alpha: number;
}

function toFinite(values: ArrayLike<number>, field: string, length: number | undefined): Float64Array {
  if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
    throw new BacktestInputError(field, values, 'must be an array of numbers');
  }
  if (length !== undefined && values.length !== length) {
    throw new BacktestInputError(`${field}.length`, values.length, `must equal pnl.length = ${length}`);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BacktestInputError(`${field}[${i}]`, v, 'must be a finite number');
    out[i] = v;
  }
  return out;
}

/**
 * Validates an {@link EsBacktestInput}: equal lengths T >= 1, finite values, ES_t > 0, coverage in (0, 1).
 * @throws BacktestInputError naming the first offending field, e.g. `expectedShortfall[3]`.
 */
export function checkEsInput(input: EsBacktestInput): CheckedEsInput {
  if (typeof input !== 'object' || input === null) throw new BacktestInputError('input', input, 'must be an object');
  const pnl = toFinite(input.pnl, 'pnl', undefined);
  if (pnl.length === 0) throw new BacktestInputError('pnl.length', 0, 'needs at least one day');
  const valueAtRisk = toFinite(input.valueAtRisk, 'valueAtRisk', pnl.length);
  const expectedShortfall = toFinite(input.expectedShortfall, 'expectedShortfall', pnl.length);
  for (let t = 0; t < expectedShortfall.length; t++) {
    if (!((expectedShortfall[t] as number) > 0)) {
      throw new BacktestInputError(`expectedShortfall[${t}]`, expectedShortfall[t], 'must be a positive loss amount');
    }
  }
  const alpha = failureRateOf(input.coverage);
  return Object.freeze({ pnl, valueAtRisk, expectedShortfall, alpha });
}

/**
 * Z2 of validated input: sum_t X_t I_t / (T alpha ES_t) + 1 (see the module note). Kernel: no validation.
 */
export function z2OfChecked(input: CheckedEsInput): Z2Statistic {
  const { pnl, valueAtRisk, expectedShortfall, alpha } = input;
  const n = pnl.length;
  let sum = 0;
  let exceptions = 0;
  for (let t = 0; t < n; t++) {
    const x = pnl[t] as number;
    if (x + (valueAtRisk[t] as number) < 0) {
      sum += x / (expectedShortfall[t] as number);
      exceptions++;
    }
  }
  return Object.freeze({ statistic: sum / (n * alpha) + 1, exceptions, n, alpha });
}

/**
 * The Acerbi-Szekely Z2 statistic of realised P&L against VaR/ES forecasts (see the module note).
 * @throws BacktestInputError for mismatched lengths, non-finite values, ES <= 0 or coverage outside (0, 1).
 */
export function acerbiSzekelyZ2(input: EsBacktestInput): Z2Statistic {
  return z2OfChecked(checkEsInput(input));
}
