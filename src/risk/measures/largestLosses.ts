/**
 * Selection kernel: the k largest losses (loss = -P&L) of a P&L vector segment, in descending order. Pure, no
 * validation; NaN anywhere in the segment makes the result NaN (out[0] = NaN, returns false).
 *
 * Small k (the usual margin tail: k = 5 of 1 000 scenarios at 99.5 %) keeps a sorted buffer of k values and inserts
 * each loss that beats its smallest one (O(n) for typical inputs, O(n k) at worst); k above
 * {@link INSERTION_LIMIT} copies the segment's losses into `scratch` and sorts them (O(n log n)).
 */

/** Largest k for the insertion path; larger tails sort a copy. */
export const INSERTION_LIMIT = 48;

/**
 * Writes the `k` largest losses of `pnl[offset .. offset + length)` (loss = -pnl) to `out[0 .. k)` in descending
 * order (1 <= k <= length). `scratch` (length >= `length`) is used only when k > INSERTION_LIMIT; allocated if absent.
 * Returns false (and out[0] = NaN) when the segment holds a NaN.
 */
export function largestLossesKernel(
  pnl: ArrayLike<number>,
  offset: number,
  length: number,
  k: number,
  out: Float64Array,
  scratch?: Float64Array,
): boolean {
  if (k > INSERTION_LIMIT) {
    const buf = scratch !== undefined && scratch.length >= length ? scratch.subarray(0, length) : new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const loss = -(pnl[offset + i] as number);
      if (loss !== loss) {
        out[0] = Number.NaN;
        return false;
      }
      buf[i] = loss;
    }
    buf.sort();
    for (let j = 0; j < k; j++) out[j] = buf[length - 1 - j] as number;
    return true;
  }
  let count = 0;
  for (let i = 0; i < length; i++) {
    const loss = -(pnl[offset + i] as number);
    if (loss !== loss) {
      out[0] = Number.NaN;
      return false;
    }
    if (count === k) {
      if (!(loss > (out[k - 1] as number))) continue;
      count--; // drop the smallest kept loss
    }
    let j = count;
    while (j > 0 && (out[j - 1] as number) < loss) {
      out[j] = out[j - 1] as number;
      j--;
    }
    out[j] = loss;
    count++;
  }
  return true;
}
