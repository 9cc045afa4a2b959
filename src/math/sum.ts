/**
 * Compensated summation and dot products: results as accurate as if computed in twice the working precision
 * and then rounded to double.
 *
 * Error bounds (u = 2^-53, gamma_n = n u / (1 - n u), exact sum S = sum x_i, exact dot D = sum a_i b_i):
 * - `neumaierSum` / `CompensatedAccumulator` (A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur
 *   Summation endlicher Summen", ZAMM 54 (1974) 39-51): the correction of each step is the exact rounding
 *   error of that addition, so the result equals Ogita-Rump-Oishi's Sum2 and
 *   |result - S| <= u |S| + gamma_{n-1}^2 sum |x_i|   (T. Ogita, S. M. Rump, S. Oishi, "Accurate sum and dot
 *   product", SIAM J. Sci. Comput. 26(6) (2005) 1955-1988, Prop. 4.5).
 * - `compensatedDot` is their Dot2 (TwoProduct by Dekker/Veltkamp splitting, since JavaScript has no fused
 *   multiply-add, then TwoSum): |result - D| <= u |D| + gamma_n^2 sum |a_i b_i|   (ibid., Prop. 5.5),
 *   barring underflow.
 *
 * NaN in gives NaN out. Infinities and overflow behave as in plain left-to-right summation: when the plain
 * running sum is not finite, that value is returned (+-Infinity, or NaN for Infinity - Infinity).
 */

/** 2^27 + 1: Veltkamp's splitting constant for 53-bit doubles. */
const SPLITTER = 134217729;
/** Above this magnitude SPLITTER * x can overflow; such factors are scaled by 2^-53 before splitting. */
const SPLIT_LIMIT = 2 ** 996;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;

function checkRange(fn: string, length: number, start: number, end: number): void {
  if (!Number.isInteger(start) || start < 0 || start > length) {
    throw new RangeError(`${fn}: start must be an integer in [0, ${length}], got ${start}`);
  }
  if (!Number.isInteger(end) || end < start || end > length) {
    throw new RangeError(`${fn}: end must be an integer in [${start}, ${length}], got ${end}`);
  }
}

/**
 * The sum of `values[start]`, ..., `values[end - 1]` by Neumaier's improved Kahan-Babuska summation (see the
 * module note for the error bound: correctly rounded up to one ulp unless the sum cancels heavily).
 * Dimensionless: the result is in the units of the values. An empty range sums to 0.
 * @param values the terms (any ArrayLike, e.g. Float64Array)
 * @param start first index (default 0); `end` one past the last (default values.length); both integers with
 *   0 <= start <= end <= values.length, else RangeError.
 */
export function neumaierSum(values: ArrayLike<number>, start = 0, end: number = values.length): number {
  checkRange('neumaierSum', values.length, start, end);
  let sum = 0;
  let compensation = 0;
  for (let i = start; i < end; i++) {
    const x = values[i] as number;
    const t = sum + x;
    // the rounding error of sum + x, exact (Fast2Sum with the larger magnitude first)
    if (Math.abs(sum) >= Math.abs(x)) compensation += sum - t + x;
    else compensation += x - t + sum;
    sum = t;
  }
  // Once the plain running sum is not finite it stays so and the compensation is meaningless.
  return Number.isFinite(sum) ? sum + compensation : sum;
}

/**
 * Streaming compensated summation (the same arithmetic as `neumaierSum`, so adding the terms one by one gives
 * bit-for-bit the same value). Mutable by design: `add` returns the accumulator for chaining.
 */
export class CompensatedAccumulator {
  #sum = 0;
  #compensation = 0;
  #count = 0;

  /** Adds one term. */
  add(x: number): this {
    const sum = this.#sum;
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) this.#compensation += sum - t + x;
    else this.#compensation += x - t + sum;
    this.#sum = t;
    this.#count++;
    return this;
  }

  /** Adds `values[start]`, ..., `values[end - 1]` (same range rules as `neumaierSum`). */
  addAll(values: ArrayLike<number>, start = 0, end: number = values.length): this {
    checkRange('CompensatedAccumulator.addAll', values.length, start, end);
    for (let i = start; i < end; i++) this.add(values[i] as number);
    return this;
  }

  /** The compensated sum of the terms added so far (0 if none). */
  get value(): number {
    const sum = this.#sum;
    return Number.isFinite(sum) ? sum + this.#compensation : sum;
  }

  /** The number of terms added so far. */
  get count(): number {
    return this.#count;
  }

  /** Forgets all terms. */
  reset(): this {
    this.#sum = 0;
    this.#compensation = 0;
    this.#count = 0;
    return this;
  }
}

/**
 * The rounding error of a product: e such that a * b = p + e exactly, where p = fl(a * b) (Dekker's
 * TwoProduct with Veltkamp splitting). Exact unless the product underflows; 0 if p is not finite or the
 * error cannot be represented.
 */
function productError(a: number, b: number, p: number): number {
  if (!Number.isFinite(p)) return 0; // the plain running sum is then non-finite and is what gets returned
  if (Math.abs(a) > SPLIT_LIMIT || Math.abs(b) > SPLIT_LIMIT) return scaledProductError(a, b);
  const c = SPLITTER * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  const d = SPLITTER * b;
  const bHi = d - (d - b);
  const bLo = b - bHi;
  const e = aLo * bLo - (p - aHi * bHi - aLo * bHi - aHi * bLo);
  return Number.isFinite(e) ? e : 0;
}

/** `productError` for factors too large to split: scale by powers of two (exact), split, scale back. */
function scaledProductError(a: number, b: number): number {
  let scale = 1;
  if (Math.abs(a) > SPLIT_LIMIT) {
    a *= TWO_POW_MINUS_53;
    scale *= TWO_POW_53;
  }
  if (Math.abs(b) > SPLIT_LIMIT) {
    b *= TWO_POW_MINUS_53;
    scale *= TWO_POW_53;
  }
  const e = productError(a, b, a * b) * scale;
  return Number.isFinite(e) ? e : 0;
}

/**
 * The dot product sum_{i < length} a[i] * b[i] by Ogita-Rump-Oishi's Dot2 (see the module note for the error
 * bound). The result is in the product of the units of a and b.
 * @param length number of terms (default a.length); an integer in [0, min(a.length, b.length)], else RangeError.
 */
export function compensatedDot(a: ArrayLike<number>, b: ArrayLike<number>, length: number = a.length): number {
  if (!Number.isInteger(length) || length < 0 || length > a.length || length > b.length) {
    throw new RangeError(
      `compensatedDot: length must be an integer in [0, min(a.length, b.length)] = [0, ${Math.min(a.length, b.length)}], got ${length}`,
    );
  }
  let p = 0;
  let s = 0;
  for (let i = 0; i < length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const h = x * y;
    const r = productError(x, y, h);
    // TwoSum(p, h) (Knuth): t + q = p + h exactly
    const t = p + h;
    const z = t - p;
    const q = p - (t - z) + (h - z);
    p = t;
    s += q + r;
  }
  return Number.isFinite(p) ? p + s : p;
}
