/**
 * Exact arithmetic on the binary values of doubles, with BigInt, for checking floating-point kernels.
 *
 * A value is represented as a "scaled integer" n with value = n * 2^-scale. Every finite double is an integer
 * multiple of 2^-1074, so `toScaled(x)` (scale 1074) is exact, sums of such integers are exact sums, and the
 * product of two scaled values has scale 2148.
 */

/** Scale of a single double: every finite double is n * 2^-1074 for an integer n. */
export const DOUBLE_SCALE = 1074;
/** Scale of the exact product of two doubles. */
export const PRODUCT_SCALE = 2 * DOUBLE_SCALE;

const view = new DataView(new ArrayBuffer(8));

/** The exact value of the finite double x as n with x = n * 2^-1074. */
export function toScaled(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`toScaled: x must be finite, got ${x}`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // subnormal: fraction * 2^-1074; normal: (2^52 + fraction) * 2^(exponent - 1075)
  const magnitude = exponent === 0 ? fraction : ((1n << 52n) | fraction) << BigInt(exponent - 1);
  return hi >>> 31 === 1 ? -magnitude : magnitude;
}

/** The exact product a * b as an integer at PRODUCT_SCALE. */
export function exactProduct(a: number, b: number): bigint {
  return toScaled(a) * toScaled(b);
}

/** The exact sum of values[0..n) at DOUBLE_SCALE. */
export function exactSum(values: ArrayLike<number>): bigint {
  let total = 0n;
  for (let i = 0; i < values.length; i++) total += toScaled(values[i] as number);
  return total;
}

/** 2^e for an integer e in [-1022, 1023], built from its bit pattern (so exact by construction). */
function pow2(e: number): number {
  if (!Number.isInteger(e) || e < -1022 || e > 1023) throw new RangeError(`pow2: e out of range: ${e}`);
  view.setUint32(0, (e + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** x * 2^e, exact whenever the result is representable (each step multiplies by a normal power of two). */
function ldexp(x: number, e: number): number {
  let y = x;
  let k = e;
  while (k > 1023) {
    y *= pow2(1023);
    k -= 1023;
  }
  while (k < -1022) {
    y *= pow2(-1022);
    k += 1022;
  }
  return y * pow2(k);
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The double nearest to n * 2^-scale (round half to even, as IEEE 754 does), including subnormal results and
 * overflow to +-Infinity.
 */
export function scaledToDouble(n: bigint, scale: number): number {
  if (n === 0n) return 0;
  const negative = n < 0n;
  const m = negative ? -n : n;
  // keep 53 significant bits, or fewer where the result is subnormal (least significant bit >= 2^-1074)
  const shift = Math.max(bitLength(m) - 53, scale - DOUBLE_SCALE);
  let q: bigint;
  let e: number;
  if (shift <= 0) {
    q = m;
    e = -scale;
  } else {
    const s = BigInt(shift);
    q = m >> s;
    const remainder = m - (q << s);
    const half = 1n << (s - 1n);
    if (remainder > half || (remainder === half && (q & 1n) === 1n)) q += 1n;
    e = shift - scale;
  }
  const magnitude = ldexp(Number(q), e); // q <= 2^53: Number(q) is exact
  return negative ? -magnitude : magnitude;
}

/** |a|, for bigints. */
export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/**
 * |computed - exact| as a double (rounded once), where exact is a scaled integer at `scale`. The comparison
 * happens in exact arithmetic; only the final error is rounded.
 */
export function absoluteError(computed: number, exact: bigint, scale: number): number {
  if (!Number.isFinite(computed)) return Infinity;
  const computedScaled = toScaled(computed) << BigInt(scale - DOUBLE_SCALE);
  return scaledToDouble(absBig(computedScaled - exact), scale);
}

/** Plain left-to-right summation, the baseline that compensated summation must beat. */
export function naiveSum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s;
}

/** Plain dot product, the baseline for compensatedDot. */
export function naiveDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
