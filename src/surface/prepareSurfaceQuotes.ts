import { atmTotalVariance, cleanSliceQuotes, type CleanedSliceQuotes } from './cleanSliceQuotes.ts';

/** Quotes of one expiry for a surface fit (units as in SviQuoteSet: k = ln(K/F), w = sigma^2 T). */
export interface SurfaceSliceQuotes {
  /** Expiry in years (ACT/365), > 0. */
  readonly expiry: number;
  readonly k: ArrayLike<number>;
  readonly w: ArrayLike<number>;
  readonly weights?: ArrayLike<number>;
}

/** A usable slice after cleaning, with its ATM total variance estimate. */
export interface PreparedSlice {
  readonly expiry: number;
  /** Position of the slice in the caller's array. */
  readonly inputIndex: number;
  readonly quotes: CleanedSliceQuotes;
  /** ATM total variance interpolated from the quotes (atmTotalVariance). */
  readonly thetaQuoted: number;
  /** thetaQuoted made non-decreasing in expiry by isotonic regression (pool adjacent violators). */
  readonly theta: number;
}

/** Result of prepareSurfaceQuotes. */
export interface PreparedSurfaceQuotes {
  readonly slices: readonly PreparedSlice[];
  /** Slices left out, with the reason (bad expiry, fewer than minQuotes usable quotes). */
  readonly skipped: readonly { readonly inputIndex: number; readonly reason: string }[];
}

/**
 * Cleans each expiry's quotes (cleanSliceQuotes), drops expiries that are not finite and > 0, duplicated,
 * or have fewer than minQuotes usable quotes, sorts by expiry, estimates theta (ATM total variance) per
 * expiry, and enforces theta non-decreasing in expiry by an unweighted isotonic regression (PAVA), since a
 * decreasing ATM total variance is a calendar arbitrage (Gatheral & Jacquier 2014, Thm 4.1). Never throws.
 */
export function prepareSurfaceQuotes(input: readonly SurfaceSliceQuotes[], minQuotes: number): PreparedSurfaceQuotes {
  const skipped: { inputIndex: number; reason: string }[] = [];
  const kept: { expiry: number; inputIndex: number; quotes: CleanedSliceQuotes; thetaQuoted: number }[] = [];
  const seen = new Set<number>();
  (Array.isArray(input) ? input : []).forEach((s, inputIndex) => {
    const expiry = s?.expiry;
    if (!(typeof expiry === 'number' && expiry > 0 && Number.isFinite(expiry))) {
      skipped.push({ inputIndex, reason: `expiry = ${String(expiry)} is not a finite positive number of years` });
      return;
    }
    if (seen.has(expiry)) {
      skipped.push({ inputIndex, reason: `duplicate expiry ${expiry}` });
      return;
    }
    const quotes = cleanSliceQuotes(s);
    if (quotes.n < minQuotes) {
      skipped.push({ inputIndex, reason: `only ${quotes.n} usable quotes (need ${minQuotes})` });
      return;
    }
    seen.add(expiry);
    kept.push({ expiry, inputIndex, quotes, thetaQuoted: atmTotalVariance(quotes) });
  });
  kept.sort((p, q) => p.expiry - q.expiry);
  const monotone = isotonicNonDecreasing(kept.map((s) => s.thetaQuoted));
  return Object.freeze({
    slices: Object.freeze(kept.map((s, i) => Object.freeze({ ...s, theta: monotone[i] as number }))),
    skipped: Object.freeze(skipped.map((s) => Object.freeze(s))),
  });
}

/** Unweighted isotonic (non-decreasing) least-squares regression by pool adjacent violators. */
export function isotonicNonDecreasing(values: readonly number[]): number[] {
  const means: number[] = [];
  const counts: number[] = [];
  for (const v of values) {
    means.push(v);
    counts.push(1);
    while (means.length > 1 && (means[means.length - 2] as number) > (means[means.length - 1] as number)) {
      const c2 = counts.pop() as number;
      const m2 = means.pop() as number;
      const c1 = counts[counts.length - 1] as number;
      const m1 = means[means.length - 1] as number;
      means[means.length - 1] = (m1 * c1 + m2 * c2) / (c1 + c2);
      counts[counts.length - 1] = c1 + c2;
    }
  }
  const out: number[] = [];
  means.forEach((m, i) => {
    for (let j = 0; j < (counts[i] as number); j++) out.push(m);
  });
  return out;
}
