/**
 * Validation of the inputs every coverage test shares: an exception series (or its counts) and a coverage
 * level. Conventions: an exception is a day whose loss exceeded the forecast (VaR or margin); `coverage` is the
 * confidence of the forecast, e.g. 0.99 for a 99 % VaR, and the expected exception rate is p = 1 - coverage,
 * taken on the decimal of `coverage` (so 0.99 gives exactly the double nearest 0.01, see ./decimal.ts).
 */
import { decimalComplement } from './decimal.ts';
import { BacktestInputError } from './errors.ts';

/** A count of exceptions: `x` exceptions in `n` observations (integers, 0 <= x <= n). */
export interface ExceptionCount {
  readonly n: number;
  readonly x: number;
}

/**
 * An exception series, one entry per observation in time order: `true`/1 = exception, `false`/0 = none.
 * Booleans are the documented form (DESIGN.md §6); 0/1 numbers (e.g. a Uint8Array) are accepted too.
 */
export type ExceptionSeries = ArrayLike<boolean> | ArrayLike<number>;

/** True if `value` is an exception series rather than an {@link ExceptionCount}. */
function isSeries(value: ExceptionSeries | ExceptionCount): value is ExceptionSeries {
  return typeof (value as { length?: unknown }).length === 'number';
}

/**
 * The exception flags of a series as a Uint8Array of 0/1, validated.
 * @throws BacktestInputError naming `field[i]` for an entry that is not a boolean, 0 or 1.
 */
export function exceptionFlags(series: ExceptionSeries, field = 'exceptions'): Uint8Array {
  if (typeof series !== 'object' || series === null || typeof series.length !== 'number') {
    throw new BacktestInputError(field, series, 'must be an array of booleans');
  }
  const flags = new Uint8Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const v: unknown = series[i];
    if (v === true || v === 1) flags[i] = 1;
    else if (v !== false && v !== 0) throw new BacktestInputError(`${field}[${i}]`, v, 'must be a boolean (or 0/1)');
  }
  return flags;
}

/**
 * The count of exceptions of a series, or a validated copy of a count.
 * @throws BacktestInputError for non-integer or negative n, x outside [0, n], or n = 0 (nothing to test).
 */
export function countExceptions(exceptions: ExceptionSeries | ExceptionCount, field = 'exceptions'): ExceptionCount {
  if (typeof exceptions !== 'object' || exceptions === null) {
    throw new BacktestInputError(field, exceptions, 'must be an array of booleans or { n, x }');
  }
  let n: number;
  let x: number;
  if (isSeries(exceptions)) {
    const flags = exceptionFlags(exceptions, field);
    n = flags.length;
    x = 0;
    for (let i = 0; i < n; i++) x += flags[i] as number;
  } else {
    n = exceptions.n;
    x = exceptions.x;
    if (!Number.isSafeInteger(n) || n < 0) throw new BacktestInputError(`${field}.n`, n, 'must be a non-negative integer');
    if (!Number.isSafeInteger(x) || x < 0 || x > n) throw new BacktestInputError(`${field}.x`, x, `must be an integer in [0, ${n}]`);
  }
  if (n === 0) throw new BacktestInputError(`${field}.n`, n, 'needs at least one observation');
  return Object.freeze({ n, x });
}

/**
 * The expected exception rate p = 1 - coverage (on the decimal of coverage).
 * @throws BacktestInputError unless coverage is a number in (0, 1).
 */
export function failureRateOf(coverage: number, field = 'coverage'): number {
  if (typeof coverage !== 'number' || !(coverage > 0 && coverage < 1)) {
    throw new BacktestInputError(field, coverage, 'must be a confidence level in (0, 1), e.g. 0.99');
  }
  return decimalComplement(coverage);
}
