/**
 * Exact decimal arithmetic on the numbers a user types (coverages such as 0.99, test levels such as 0.0001), so
 * that conventions are applied to the intended decimal rather than to its binary rounding:
 * 1 - 0.99 is 0.010000000000000009 in floating point, but the failure rate of a 99 % VaR is 0.01; and
 * 100000 * 0.0001 is 10.000000000000002, so ceil() would pick the 11th order statistic instead of the 10th.
 *
 * "The decimal of x" is JavaScript's shortest round-trip representation `String(x)` (ECMAScript
 * Number::toString), which for any value typed as a decimal literal with up to 15 significant digits is that
 * literal. Arithmetic on it is done in BigInt, so it is exact.
 */

interface Decimal {
  /** value = digits * 10^-scale, digits >= 0 */
  readonly digits: bigint;
  readonly scale: number;
}

function parseDecimal(x: number): Decimal {
  const text = String(x);
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (m === null) throw new RangeError(`not a finite non-negative number: ${text}`);
  const whole = m[1] as string;
  const fraction = m[2] ?? '';
  const exponent = m[3] === undefined ? 0 : Number(m[3]);
  const scale = fraction.length - exponent;
  const digits = BigInt(whole + fraction);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

/**
 * 1 - x evaluated on the decimal of x and rounded once to the nearest double: `decimalComplement(0.99)` is
 * exactly the double nearest 0.01. For x in [0, 1]; NaN otherwise.
 */
export function decimalComplement(x: number): number {
  if (!(x >= 0 && x <= 1)) return Number.NaN;
  const { digits, scale } = parseDecimal(x);
  const one = 10n ** BigInt(scale);
  const rest = one - digits;
  // Number('123e-5') rounds the exact decimal once (ECMAScript StringToNumber is correctly rounded).
  return Number(`${rest}e-${scale}`);
}

/**
 * ceil(count * level) computed exactly on the decimal of `level`: the rank k of the order statistic that is the
 * lower `level` quantile of `count` sorted values (smallest k with k / count >= level), at least 1.
 * @param count a positive integer; `level` in (0, 1].
 */
export function ceilCountTimesLevel(count: number, level: number): number {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  if (!(level > 0 && level <= 1)) throw new RangeError(`level must be in (0, 1], got ${level}`);
  const { digits, scale } = parseDecimal(level);
  const denominator = 10n ** BigInt(scale);
  const product = BigInt(count) * digits;
  const k = (product + denominator - 1n) / denominator;
  return Math.max(1, Number(k));
}
