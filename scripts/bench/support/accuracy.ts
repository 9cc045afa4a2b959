/**
 * Accuracy summaries for the pricing benchmark: relative price differences of a peer against our prices, and the
 * implied-vol round trip (vol -> our price -> implied vol -> compare with vol) over options whose time value is
 * not lost in the price's rounding, with each error also measured against the best achievable (the condition).
 */
import type { BsBatch } from '../../../src/pricing/index.ts';

/** Smallest positive normal double: below it a price carries fewer than 53 significant bits. */
export const SMALLEST_NORMAL = 2.2250738585072014e-308;
/** Prices at or above this (in currency; 1e-8 of the benchmark spot 100) form the "quoted" set. */
export const QUOTED_PRICE_FLOOR = 1e-6;
/** Time value must exceed this fraction of the price for the implied vol to count as well conditioned. */
export const TIME_VALUE_SHARE_FLOOR = 1e-10;

/** Max relative difference |peer - ours| / ours over two sets of options (NaN peer values count as Infinity). */
export interface PriceDifference {
  /** Options with our price >= QUOTED_PRICE_FLOOR. */
  readonly quotedCount: number;
  readonly quotedMaxRel: number;
  /** Options with our price a positive normal double (the deep wings included). */
  readonly allCount: number;
  readonly allMaxRel: number;
}

/** Compare `peer[i]` with `ours[i]` for i < n. */
export function priceDifference(ours: Float64Array, peer: Float64Array, n: number): PriceDifference {
  let quotedCount = 0;
  let quotedMaxRel = 0;
  let allCount = 0;
  let allMaxRel = 0;
  for (let i = 0; i < n; i++) {
    const p = ours[i]!;
    if (!(p >= SMALLEST_NORMAL)) continue;
    const q = peer[i]!;
    const rel = Number.isNaN(q) ? Infinity : Math.abs(q - p) / p;
    allCount++;
    if (rel > allMaxRel) allMaxRel = rel;
    if (p >= QUOTED_PRICE_FLOOR) {
      quotedCount++;
      if (rel > quotedMaxRel) quotedMaxRel = rel;
    }
  }
  return Object.freeze({ quotedCount, quotedMaxRel, allCount, allMaxRel });
}

/**
 * Tolerance of methods.md §8 for a round trip: |sigma' - sigma| <= max(1e-13 sigma, 4 cond sigma), where cond is the
 * relative vol change caused by a one-ulp change of the price, eps P / (sigma vega): the best any solver can do.
 */
export const ROUND_TRIP_FLOOR = 1e-13;
export const ROUND_TRIP_COND_FACTOR = 4;

/** Implied-vol round-trip statistics over the first n options. */
export interface RoundTrip {
  readonly n: number;
  /** Options kept: time value > TIME_VALUE_SHARE_FLOOR * price and price a normal double. */
  readonly kept: number;
  /** Excluded because time value <= 1e-10 of the price (deep in the money, or price 0 after underflow). */
  readonly excludedTimeValue: number;
  /** Excluded because the price is positive but subnormal (fewer than 53 significant bits). */
  readonly excludedSubnormal: number;
  /** Kept options for which the solver returned no finite vol (counted as failures, not in the error stats). */
  readonly failed: number;
  readonly maxRel: number;
  readonly medianRel: number;
  /** 99th percentile of the relative error over kept options. */
  readonly p99Rel: number;
  /** Largest error in units of max(eps, cond): how far from the best achievable the worst option is. */
  readonly maxInConditionUnits: number;
  /** Kept options outside the methods.md §8 tolerance max(1e-13, 4 cond) (failures included). */
  readonly outsideTolerance: number;
}

/**
 * Round trip of `impliedVol[i]` against `batch.vol[i]` given our discounted prices `price[i]` and vegas `vega[i]`
 * (per 1.00 vol, discounted, as bsGreeksBatch gives them), for i < n. The time value is
 * price - e^{-rT} max(theta (F - K), 0) with F = S e^{(r-q)T}.
 */
export function roundTrip(
  batch: BsBatch, price: Float64Array, vega: Float64Array, impliedVol: Float64Array, n: number,
): RoundTrip {
  const errors: number[] = [];
  let excludedTimeValue = 0;
  let excludedSubnormal = 0;
  let failed = 0;
  let maxInConditionUnits = 0;
  let outsideTolerance = 0;
  for (let i = 0; i < n; i++) {
    const p = price[i]!;
    const T = batch.expiry[i]!;
    const r = batch.rate[i]!;
    const forward = batch.spot[i]! * Math.exp((r - batch.carry[i]!) * T);
    const theta = batch.isCall[i] ? 1 : -1;
    const intrinsic = Math.max(theta * (forward - batch.strike[i]!), 0) * Math.exp(-r * T);
    const timeValue = p - intrinsic;
    if (!(timeValue > TIME_VALUE_SHARE_FLOOR * p)) {
      excludedTimeValue++;
      continue;
    }
    if (p < SMALLEST_NORMAL) {
      excludedSubnormal++;
      continue;
    }
    const v = impliedVol[i]!;
    if (!Number.isFinite(v)) {
      failed++;
      outsideTolerance++;
      continue;
    }
    const sigma = batch.vol[i]!;
    const rel = Math.abs(v - sigma) / sigma;
    errors.push(rel);
    const cond = (Number.EPSILON * p) / (sigma * vega[i]!); // Infinity when the vega underflows
    const units = rel / Math.max(Number.EPSILON, cond);
    if (units > maxInConditionUnits) maxInConditionUnits = units;
    if (!(rel <= Math.max(ROUND_TRIP_FLOOR, ROUND_TRIP_COND_FACTOR * cond))) outsideTolerance++;
  }
  errors.sort((a, b) => a - b);
  const at = (q: number): number =>
    (errors.length === 0 ? NaN : errors[Math.min(errors.length - 1, Math.floor(q * errors.length))]!);
  return Object.freeze({
    n, kept: errors.length + failed, excludedTimeValue, excludedSubnormal, failed,
    maxRel: errors.length === 0 ? NaN : errors[errors.length - 1]!, medianRel: at(0.5), p99Rel: at(0.99),
    maxInConditionUnits, outsideTolerance,
  });
}
