/**
 * The deviance term bd0(y, m) = y ln(y / m) + m - y >= 0 (Loader 2000), computed without the cancellation of the
 * textbook form when y is near m, and a variant for means m = n * p that are not representable in binary64.
 * Both binomial probabilities and likelihood-ratio statistics (Kupiec, Christoffersen) are sums of bd0 terms:
 * -2 ln(L0 / L1) = 2 sum_i bd0(observed_i, expected_i) when the observed and expected totals agree.
 */

/**
 * bd0(y, m) = y ln(y/m) + m - y for y >= 0, m >= 0, with 0 ln 0 := 0: bd0(0, m) = m, bd0(y, 0) = Infinity for
 * y > 0, bd0(0, 0) = 0. For |y - m| < (y + m)/2 it sums the series 2y sum_j v^(2j+1)/(2j+1) - (y - m) v with
 * v = (y - m)/(y + m) (all terms of one sign, ratio v^2 <= 1/4), so the result has a small relative error even
 * when y ~ m; otherwise the direct form, which loses at most about one digit there.
 */
export function bd0(y: number, m: number): number {
  if (Number.isNaN(y) || Number.isNaN(m) || y < 0 || m < 0) return Number.NaN;
  if (y === 0) return m;
  if (m === 0) return Number.POSITIVE_INFINITY;
  if (!Number.isFinite(y) || !Number.isFinite(m)) return Number.NaN;
  const diff = y - m;
  if (Math.abs(diff) < 0.5 * (y + m)) {
    let v = diff / (y + m);
    let s = diff * v;
    if (Math.abs(s) < Number.MIN_VALUE * 4) return s;
    let ej = 2 * y * v;
    v *= v;
    for (let j = 1; j < 200; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return y * Math.log(y / m) + m - y;
}

/** 2^27 + 1: Veltkamp's splitting constant. */
const SPLITTER = 134217729;

/** The exact rounding error a * b - fl(a * b) (Dekker's TwoProduct; |a|, |b| below 2^996, no underflow). */
export function productError(a: number, b: number, product: number): number {
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return al * bl - (product - ah * bh - al * bh - ah * bl);
}

/**
 * A success probability p split into p and its exact complement q = qHigh + qLow (qHigh = fl(1 - p); for
 * p <= 1/2 both subtractions below are exact by Sterbenz's lemma, for p > 1/2 1 - p is exact and qLow = 0).
 */
export interface SplitProbability {
  readonly p: number;
  readonly qHigh: number;
  readonly qLow: number;
}

/** Splits p in [0, 1] as described at {@link SplitProbability}. */
export function splitProbability(p: number): SplitProbability {
  const qHigh = 1 - p;
  const qLow = p <= 0.5 ? 1 - qHigh - p : 0;
  return { p, qHigh, qLow };
}

/**
 * bd0(y, n * (hi + lo)) with the mean n (hi + lo) taken exactly to first order: m = fl(n hi) is corrected by
 * dm = (n hi - m) + n lo through the derivative d bd0 / dm = 1 - y / m, so the rounding of the mean (relative
 * 2^-53, i.e. absolute up to n 2^-53) does not enter the result. Needed for the binomial tails at large n, where
 * that rounding would otherwise cost up to n * 1e-16 of relative accuracy.
 */
export function bd0ExactMean(y: number, n: number, hi: number, lo: number): number {
  const m = n * hi;
  const base = bd0(y, m);
  if (m === 0 || !Number.isFinite(base)) return base;
  const dm = productError(n, hi, m) + n * lo;
  return base + (1 - y / m) * dm;
}
