/**
 * Forward and discount factor of one expiry from put-call parity (pure).
 *
 * Linear (USD) quotes: C − P = DF·(F − K) = a + b·K with a = DF·F, b = −DF, so DF = −b and F = a / DF.
 * Inverse (coin) quotes: C − P = DF·(1 − K/F) = a + b·K with a = DF, b = −DF/F, so DF = a and F = −a / b.
 * C and P are bid/ask mids of pairs (same strike) whose call and put are both two-sided (bid > 0, ask ≥ bid).
 * By default only the `maxPairs` strikes nearest the money are used (near-ATM quotes are the most liquid and
 * the least affected by early-exercise or stale wings); the rough money point is the strike where |C − P| is
 * smallest. The fit is weighted least squares (weights 1 / combined spread², or equal); residuals are reported.
 *
 * Fallback (method `parity-fixed-rate`, reason recorded): with a single pair, or when the fitted DF is not in
 * (0, maxDiscountFactor], DF = exp(−fallbackRate·T) and F is the mean of the per-pair parity forwards. With no
 * pair at all, or no fallback rate, the expiry fails.
 */

import type { OptionQuoteFields } from '../types.ts';
import { MarketInputError } from '../errors.ts';
import type { ForwardEstimate, ForwardFailure } from './types.ts';

/** Options of the parity forward. */
export interface ParityOptions {
  /** Use at most this many pairs, nearest the money. Default 8; `Infinity` uses every eligible pair. */
  readonly maxPairs?: number;
  /** Largest plausible fitted discount factor (> 1 allows negative rates). Default 1.2. */
  readonly maxDiscountFactor?: number;
  /**
   * Rate (continuously compounded) for the fixed-rate fallback; `null` disables the fallback (the expiry then
   * fails). Default 0 (crypto convention, methods.md §2.3).
   */
  readonly fallbackRate?: number | null;
  /**
   * Regression weights: `inverse-spread` weights each pair by 1 / (spread_C + spread_P)² (a mid difference is
   * only known to within the quotes' half-spreads), `equal` is plain OLS (pyql's choice). Default
   * `inverse-spread`.
   */
  readonly weighting?: 'inverse-spread' | 'equal';
}

/** Defaults of `ParityOptions`. */
export const DEFAULT_PARITY_OPTIONS = Object.freeze({
  maxPairs: 8,
  maxDiscountFactor: 1.2,
  fallbackRate: 0,
  weighting: 'inverse-spread' as 'inverse-spread' | 'equal',
});

interface Pair {
  readonly strike: number;
  /** mid(C) − mid(P), in the quotes' unit. */
  readonly diff: number;
  /** Sum of the call's and the put's bid-ask spreads, in the quotes' unit. */
  readonly spread: number;
}

/** A quote usable in the parity fit: two-sided with a positive bid and an uncrossed ask. */
function twoSided(q: OptionQuoteFields): { mid: number; spread: number } | null {
  if (q.bid === null || q.ask === null || !(q.bid > 0) || !(q.ask >= q.bid)) return null;
  return { mid: (q.bid + q.ask) / 2, spread: q.ask - q.bid };
}

/** Call-put pairs by strike (first two-sided quote of each type per strike), ascending strike. */
export function parityPairs(quotes: readonly OptionQuoteFields[]): Pair[] {
  const calls = new Map<number, { mid: number; spread: number }>();
  const puts = new Map<number, { mid: number; spread: number }>();
  for (const q of quotes) {
    const m = twoSided(q);
    if (m === null) continue;
    const side = q.type === 'call' ? calls : puts;
    if (!side.has(q.strike)) side.set(q.strike, m);
  }
  const pairs: Pair[] = [];
  for (const [strike, c] of calls) {
    const p = puts.get(strike);
    if (p !== undefined) pairs.push({ strike, diff: c.mid - p.mid, spread: c.spread + p.spread });
  }
  return pairs.sort((a, b) => a.strike - b.strike);
}

/**
 * Estimates the forward of one (underlying, expiry) from its quotes (all of the same underlying, expiry and
 * settlement). Returns the estimate, or a failure (`droppedQuotes` = the number of quotes given).
 */
export function estimateForwardByParity(
  quotes: readonly OptionQuoteFields[],
  options: ParityOptions = {},
): ForwardEstimate | ForwardFailure {
  const first = quotes[0];
  if (first === undefined) throw new MarketInputError('quotes', quotes.length, 'must not be empty');
  const maxPairs = options.maxPairs ?? DEFAULT_PARITY_OPTIONS.maxPairs;
  const maxDf = options.maxDiscountFactor ?? DEFAULT_PARITY_OPTIONS.maxDiscountFactor;
  const weighting = options.weighting ?? DEFAULT_PARITY_OPTIONS.weighting;
  const fallbackRate = options.fallbackRate === undefined ? DEFAULT_PARITY_OPTIONS.fallbackRate : options.fallbackRate;
  const inverse = first.settlement === 'inverse';
  const T = first.expiry;
  const base = { underlying: first.underlying, expiryTimestampMs: first.expiryTimestampMs };
  if (!(T > 0)) return Object.freeze({ ...base, reason: 'expired' as const, droppedQuotes: quotes.length });

  const all = parityPairs(quotes);
  if (all.length === 0) return Object.freeze({ ...base, reason: 'no-parity-pairs' as const, droppedQuotes: quotes.length });
  const pairs = nearestTheMoney(all, maxPairs, inverse);
  const strikesUsed = Object.freeze(pairs.map((p) => p.strike).sort((a, b) => a - b));

  let df = Number.NaN;
  let forward = Number.NaN;
  let fallbackReason: 'one-pair' | 'implausible-discount-factor' | undefined;
  if (pairs.length >= 2) {
    const { intercept, slope } = ols(pairs, pairWeights(pairs, weighting));
    df = inverse ? intercept : -slope;
    forward = inverse ? -intercept / slope : intercept / df;
    if (!(df > 0 && df <= maxDf) || !(forward > 0) || !Number.isFinite(forward)) fallbackReason = 'implausible-discount-factor';
  } else {
    fallbackReason = 'one-pair';
  }
  if (fallbackReason !== undefined) {
    if (fallbackRate === null) {
      return Object.freeze({
        ...base,
        reason: fallbackReason === 'one-pair' ? ('no-parity-pairs' as const) : ('implausible-discount-factor' as const),
        droppedQuotes: quotes.length,
        detail: fallbackReason === 'one-pair' ? 'only one call-put pair and no fallback rate' : `fitted discount factor ${df}`,
      });
    }
    df = Math.exp(-fallbackRate * T);
    const perPair = pairs.map((p) => (inverse ? p.strike / (1 - p.diff / df) : p.strike + p.diff / df));
    forward = perPair.reduce((s, x) => s + x, 0) / perPair.length;
    if (!(forward > 0) || !Number.isFinite(forward)) {
      return Object.freeze({
        ...base,
        reason: 'implausible-discount-factor' as const,
        droppedQuotes: quotes.length,
        detail: `fixed-rate parity forward ${forward}`,
      });
    }
  }
  const residuals = pairs.map((p) => p.diff - (inverse ? df * (1 - p.strike / forward) : df * (forward - p.strike)));
  const residualRms = Math.sqrt(residuals.reduce((s, e) => s + e * e, 0) / residuals.length);
  const residualMaxAbs = residuals.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  const estimate: ForwardEstimate = {
    ...base,
    expiry: T,
    forward,
    discountFactor: df,
    rate: df === 1 ? 0 : -Math.log(df) / T,
    method: fallbackReason === undefined ? 'parity-regression' : 'parity-fixed-rate',
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
    count: pairs.length,
    strikesUsed,
    residualRms,
    residualMaxAbs,
  };
  return Object.freeze(estimate);
}

/**
 * Regression weights. With `inverse-spread`, a zero combined spread (locked quotes) is floored at the smallest
 * positive spread among the pairs (or gives equal weights when none is positive).
 */
function pairWeights(pairs: readonly Pair[], weighting: 'inverse-spread' | 'equal'): number[] {
  if (weighting === 'equal') return pairs.map(() => 1);
  const positive = pairs.map((p) => p.spread).filter((x) => x > 0);
  if (positive.length === 0) return pairs.map(() => 1);
  const floor = Math.min(...positive);
  return pairs.map((p) => 1 / Math.max(p.spread, floor) ** 2);
}

/** The `maxPairs` pairs nearest the rough money point (the strike with the smallest |C − P|). */
function nearestTheMoney(pairs: readonly Pair[], maxPairs: number, inverse: boolean): Pair[] {
  if (pairs.length <= maxPairs) return [...pairs];
  let atm = pairs[0] as Pair;
  for (const p of pairs) if (Math.abs(p.diff) < Math.abs(atm.diff)) atm = p;
  // rough forward: K + (C − P) with DF ≈ 1 (USD) or K / (1 − (C − P)) (coin)
  const f0 = inverse ? atm.strike / (1 - atm.diff) : atm.strike + atm.diff;
  const ref = f0 > 0 ? f0 : atm.strike;
  return [...pairs]
    .sort((a, b) => Math.abs(Math.log(a.strike / ref)) - Math.abs(Math.log(b.strike / ref)) || a.strike - b.strike)
    .slice(0, maxPairs);
}

/** Weighted least squares of diff on strike (centred for accuracy). */
function ols(pairs: readonly Pair[], weights: readonly number[]): { intercept: number; slope: number } {
  let sw = 0;
  let mx = 0;
  let my = 0;
  pairs.forEach((p, i) => {
    const w = weights[i] as number;
    sw += w;
    mx += w * p.strike;
    my += w * p.diff;
  });
  mx /= sw;
  my /= sw;
  let sxx = 0;
  let sxy = 0;
  pairs.forEach((p, i) => {
    const w = weights[i] as number;
    const dx = p.strike - mx;
    sxx += w * dx * dx;
    sxy += w * dx * (p.diff - my);
  });
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}
