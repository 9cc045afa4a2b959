/**
 * The exact size of a loss tail (DESIGN.md §3, methods.md §5.2): for n scenarios at confidence alpha the tail mass is
 * m = n (1 - alpha) and the order statistic is k = ceil(m). Both are computed exactly, in integers: alpha is read as
 * the decimal it was written as (its shortest round-trip decimal string, `String(0.99)` = "0.99"), so
 * 500 x (1 - 0.99) is exactly 5 (k = 5), where floating point gives 5.000000000000004 (k = 6).
 */
import { MarginInputError } from './errors.ts';

/** The tail of n scenarios at a confidence level, exactly. */
export interface TailMass {
  /** Number of scenarios n. */
  readonly n: number;
  /** k = ceil(n (1 - alpha)): the VaR order statistic (k-th largest loss) and the ES tail size; 1 <= k <= n. */
  readonly k: number;
  /** floor(n (1 - alpha)). */
  readonly whole: number;
  /** n (1 - alpha) - floor(n (1 - alpha)), in [0, 1) (rounded once to double). */
  readonly fraction: number;
  /** n (1 - alpha) as a double (whole + fraction). */
  readonly mass: number;
}

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
const TWO_53 = 2n ** 53n;

/**
 * `confidence` as an exact fraction p / q of its shortest decimal representation (0.975 -> 975 / 1000). Requires a
 * finite number in (0, 1).
 */
export function decimalFraction(confidence: number, field = 'confidence'): { readonly numerator: bigint; readonly denominator: bigint } {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new MarginInputError(field, confidence, 'expected a confidence level strictly between 0 and 1');
  }
  const m = DECIMAL.exec(String(confidence));
  if (m === null) throw new MarginInputError(field, confidence, 'cannot read the decimal form');
  const frac = m[2] ?? '';
  const exponent = Number(m[3] ?? '0') - frac.length;
  const digits = BigInt(`${m[1] as string}${frac}`);
  // 0 < confidence < 1 implies exponent < 0
  return { numerator: digits, denominator: 10n ** BigInt(-exponent) };
}

/** The exact tail mass and order statistic of `n` scenarios at `confidence`; see the module comment. */
export function tailMass(n: number, confidence: number): TailMass {
  if (!Number.isSafeInteger(n) || n < 1) throw new MarginInputError('n', n, 'expected a positive integer number of scenarios');
  const { numerator, denominator } = decimalFraction(confidence);
  const top = BigInt(n) * (denominator - numerator); // n (1 - alpha) = top / denominator
  const whole = top / denominator;
  const remainder = top % denominator;
  const k = remainder === 0n ? whole : whole + 1n;
  const fraction = Number((remainder * TWO_53) / denominator) / Number(TWO_53);
  return Object.freeze({
    n,
    k: Math.max(1, Number(k)),
    whole: Number(whole),
    fraction,
    mass: Number(whole) + fraction,
  });
}

/** k = ceil(n (1 - confidence)) computed exactly (see {@link tailMass}). */
export function tailCount(n: number, confidence: number): number {
  return tailMass(n, confidence).k;
}
