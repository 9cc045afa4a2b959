import type { QuasiExplicitData } from './quasiExplicitInner.ts';

/** Quotes of one expiry kept for a fit, as Float64Arrays, with weights normalised to mean 1. */
export interface CleanedSliceQuotes extends QuasiExplicitData {
  readonly n: number;
  /** Index in the input of each kept quote. */
  readonly index: Int32Array;
}

/**
 * Keeps the quotes with finite k, finite w > 0 and (when weights are given) a finite weight > 0, and
 * normalises the kept weights to mean 1 (all 1 without weights). Never throws: missing or mismatched arrays
 * give the quotes of the common length (possibly none).
 */
export function cleanSliceQuotes(data: {
  readonly k: ArrayLike<number>;
  readonly w: ArrayLike<number>;
  readonly weights?: ArrayLike<number>;
}): CleanedSliceQuotes {
  const nIn = Math.min(data.k?.length ?? 0, data.w?.length ?? 0, data.weights ? data.weights.length : Number.POSITIVE_INFINITY);
  const keep: number[] = [];
  for (let i = 0; i < nIn; i++) {
    const k = data.k[i] as number;
    const w = data.w[i] as number;
    const v = data.weights ? (data.weights[i] as number) : 1;
    if (Number.isFinite(k) && Number.isFinite(w) && w > 0 && Number.isFinite(v) && v > 0) keep.push(i);
  }
  const n = keep.length;
  const k = new Float64Array(n);
  const w = new Float64Array(n);
  const weights = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const i = keep[j] as number;
    k[j] = data.k[i] as number;
    w[j] = data.w[i] as number;
    weights[j] = data.weights ? (data.weights[i] as number) : 1;
    sum += weights[j] as number;
  }
  for (let j = 0; j < n; j++) weights[j] = ((weights[j] as number) * n) / sum;
  return { n, k, w, weights, index: Int32Array.from(keep) };
}

/**
 * ATM total variance of a set of quotes: linear interpolation of w in k at k = 0 between the nearest quotes
 * on each side; the nearest quote's w when all quotes lie on one side; quotes sharing the nearest k are
 * averaged; NaN when there is none.
 */
export function atmTotalVariance(q: { readonly n: number; readonly k: ArrayLike<number>; readonly w: ArrayLike<number> }): number {
  let kBelow = Number.NEGATIVE_INFINITY;
  let kAbove = Number.POSITIVE_INFINITY;
  for (let i = 0; i < q.n; i++) {
    const k = q.k[i] as number;
    if (k <= 0 && k > kBelow) kBelow = k;
    if (k >= 0 && k < kAbove) kAbove = k;
  }
  const meanAt = (kk: number): number => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < q.n; i++) {
      if ((q.k[i] as number) === kk) {
        s += q.w[i] as number;
        c++;
      }
    }
    return s / c;
  };
  const hasBelow = Number.isFinite(kBelow);
  const hasAbove = Number.isFinite(kAbove);
  if (!hasBelow && !hasAbove) return Number.NaN;
  if (!hasBelow) return meanAt(kAbove);
  if (!hasAbove || kAbove === kBelow) return meanAt(kBelow);
  const t = -kBelow / (kAbove - kBelow);
  return (1 - t) * meanAt(kBelow) + t * meanAt(kAbove);
}
