import type { ReportHistogram, ReportHistogramBin } from './types.ts';

/**
 * The smallest "nice" step (1, 2 or 5 times a power of ten) that is >= `raw` (> 0, finite).
 * Used for histogram bin widths so that bin edges are round numbers in the values' unit.
 */
export function niceStep(raw: number): number {
  const exponent = Math.floor(Math.log10(raw));
  for (let e = exponent - 1; e <= exponent + 1; e++) {
    const base = 10 ** e;
    for (const m of [1, 2, 5]) {
      const step = m * base;
      if (step >= raw * (1 - 1e-12)) return step;
    }
  }
  return 10 ** (exponent + 1);
}

/**
 * Histogram of finite `values` with equal bins of a nice width (see {@link niceStep}) chosen so that there are
 * at most `maxBins` bins (>= 1). Bins are [lower, upper) on multiples of the width; the maximum value falls in the
 * last bin (upper edge included). Edges are computed as integer multiples of the width (no accumulated rounding).
 * Empty input gives no bins and width 0; a single distinct value gives one bin of width niceStep(max(|v|/100, 1e-9)).
 */
export function histogramOf(values: ArrayLike<number>, maxBins = 20): ReportHistogram {
  const n = values.length;
  if (n === 0) return Object.freeze({ binWidth: 0, bins: Object.freeze([]) });
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let width = hi > lo ? niceStep((hi - lo) / maxBins) : niceStep(Math.max(Math.abs(lo) / 100, 1e-9));
  let first = Math.floor(lo / width);
  let last = Math.max(first, Math.ceil(hi / width) - 1);
  // the floor/ceil alignment can add one bin: widen to the next nice step if that breaks maxBins
  while (last - first + 1 > maxBins) {
    width = niceStep(width * 1.0000001);
    first = Math.floor(lo / width);
    last = Math.max(first, Math.ceil(hi / width) - 1);
  }
  const counts = new Array<number>(last - first + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    const b = Math.min(Math.max(Math.floor(v / width) - first, 0), counts.length - 1);
    counts[b] = (counts[b] as number) + 1;
  }
  const bins: ReportHistogramBin[] = counts.map((count, i) =>
    Object.freeze({ lower: cleanEdge((first + i) * width), upper: cleanEdge((first + i + 1) * width), count }));
  return Object.freeze({ binWidth: width, bins: Object.freeze(bins) });
}

/** Rounds away binary noise of an edge (e.g. 3 * 0.1 = 0.30000000000000004) to 12 significant digits; -0 -> 0. */
function cleanEdge(x: number): number {
  const r = Number(x.toPrecision(12));
  return r === 0 ? 0 : r;
}
