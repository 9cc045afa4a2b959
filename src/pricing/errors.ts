/** Typed errors of the pricing layer. Both name the offending field and value; neither carries a stack-worthy cause. */

/** A pricing input outside its domain (non-positive spot, negative vol, NaN, unknown option type, ...). */
export class PricingInputError extends Error {
  override readonly name = 'PricingInputError';
  constructor(readonly field: string, readonly value: unknown, readonly reason: string) {
    super(`${field} = ${String(value)}: ${reason}`);
  }
}

/** Why an implied volatility does not exist or cannot be computed. */
export type ImpliedVolErrorCode =
  | 'INVALID_NUMBER' // a field is NaN or infinite
  | 'INVALID_TYPE' // type is not 'call' or 'put'
  | 'NON_POSITIVE_EXPIRY' // expiry <= 0: no time value to invert
  | 'NON_POSITIVE_UNDERLYING' // spot or forward <= 0
  | 'NON_POSITIVE_STRIKE' // strike <= 0
  | 'NEGATIVE_PRICE' // price < 0
  | 'BELOW_INTRINSIC' // price below the (discounted) intrinsic value: no volatility reproduces it
  | 'ABOVE_MAXIMUM'; // price at or above the upper bound (call >= discounted forward, put >= discounted strike)

/** Numeric status codes of the batch implied-vol kernel, one per element (0 = ok). */
export const IMPLIED_VOL_STATUS: Readonly<Record<ImpliedVolErrorCode | 'OK', number>> = Object.freeze({
  OK: 0,
  INVALID_NUMBER: 1,
  INVALID_TYPE: 2,
  NON_POSITIVE_EXPIRY: 3,
  NON_POSITIVE_UNDERLYING: 4,
  NON_POSITIVE_STRIKE: 5,
  NEGATIVE_PRICE: 6,
  BELOW_INTRINSIC: 7,
  ABOVE_MAXIMUM: 8,
});

const CODE_BY_STATUS: readonly ImpliedVolErrorCode[] = [
  'INVALID_NUMBER', 'INVALID_NUMBER', 'INVALID_TYPE', 'NON_POSITIVE_EXPIRY', 'NON_POSITIVE_UNDERLYING',
  'NON_POSITIVE_STRIKE', 'NEGATIVE_PRICE', 'BELOW_INTRINSIC', 'ABOVE_MAXIMUM',
];

/** The error code of a non-zero batch status. */
export function impliedVolCodeOfStatus(status: number): ImpliedVolErrorCode {
  return CODE_BY_STATUS[status] ?? 'INVALID_NUMBER';
}

/** Raised by the implied-vol functions when the price admits no volatility, with a code saying why. */
export class ImpliedVolError extends Error {
  override readonly name = 'ImpliedVolError';
  constructor(readonly code: ImpliedVolErrorCode, readonly field: string, readonly value: number, detail: string) {
    super(`${code}: ${field} = ${value}: ${detail}`);
  }
}
