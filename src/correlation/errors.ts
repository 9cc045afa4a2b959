/**
 * Typed errors of the correlation layer. A bad input (domain error) raises a
 * {@link CorrelationInputError} naming the field and the offending value; numeric kernels over
 * Float64Array return NaN on NaN input instead of throwing.
 */

/** Machine-readable reason of a {@link CorrelationInputError}. */
export type CorrelationErrorCode =
  | 'NOT_A_MATRIX' // not an array of arrays / wrong shape
  | 'RAGGED' // rows of different lengths
  | 'EMPTY' // no rows or no columns
  | 'NON_FINITE' // +-Infinity, or NaN where gaps are not allowed
  | 'MISSING_VALUE' // a NaN gap where the option says gaps are an error
  | 'TOO_FEW_ROWS' // not enough observations for the estimator
  | 'TOO_FEW_COLUMNS' // estimator needs more assets (e.g. constant-correlation target with one asset)
  | 'ZERO_VARIANCE' // a constant column where a correlation (division by a volatility) is needed
  | 'NOT_SQUARE'
  | 'NOT_SYMMETRIC'
  | 'BAD_OPTION' // an option outside its domain (lambda not in (0,1), unknown method, ...)
  | 'NOT_CORRELATION' // not a correlation matrix (diagonal not 1, entries outside [-1, 1])
  | 'BAD_DATE'; // unparseable or unordered dates / windows

/** Bad domain input to a correlation or volatility-model function. */
export class CorrelationInputError extends Error {
  override readonly name = 'CorrelationInputError';
  readonly code: CorrelationErrorCode;
  /** The input field or option at fault, e.g. `returns[3][1]` or `options.lambda`. */
  readonly field: string;
  /** The offending value (or a short description of it). */
  readonly value: unknown;

  constructor(code: CorrelationErrorCode, field: string, value: unknown, detail: string) {
    super(`${field}: ${detail} (got ${describe(value)})`);
    this.code = code;
    this.field = field;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `array of length ${value.length}`;
  return typeof value;
}
