/**
 * Per-expiry fit data of an option chain (pure): groups quotes with implied vols by expiry instant, keeps the
 * chosen side, drops absurd vols, and computes log-moneyness, total variance, bid/ask vols and fit weights.
 */
import type { OptionQuote, QuoteWithIv } from '../../market/index.ts';
import { atmTotalVariance } from '../cleanSliceQuotes.ts';
import { SurfaceDomainError } from '../errors.ts';
import { inverseSpreadWeights, vegaWeights } from '../sviFitWeights.ts';
import type { ChainWeightScheme } from './types.ts';

/** Fit data of one expiry. Arrays have one entry per used quote (`k.length`). */
export interface ChainSliceData {
  readonly expiryTimestampMs: number;
  /** Years to expiry (ACT/365) from the as-of. */
  readonly expiry: number;
  /** Median forward of the expiry's quotes (two-sided first, else one-sided), price units. */
  readonly forward: number;
  /** ln(K/F) with each quote's own forward. */
  readonly k: Float64Array;
  /** Mid total variance ivMid^2 T. */
  readonly w: Float64Array;
  /** Mid implied vol. */
  readonly midVol: Float64Array;
  /** Bid implied vol (0 when the bid admits none). */
  readonly bidVol: Float64Array;
  /** Ask implied vol (NaN when the ask admits none). */
  readonly askVol: Float64Array;
  /** Fit weights (largest 1). */
  readonly weights: Float64Array;
  /** Two-sided quotes received for the expiry (before side and vol filters). */
  readonly twoSided: number;
  /** One-sided quotes received for the expiry. */
  readonly oneSided: number;
  readonly droppedSide: number;
  readonly droppedAbsurdVol: number;
  /**
   * ATM vol from the one-sided quotes' venue mark IVs (linear interpolation of mark total variance at k = 0),
   * null when there is none.
   */
  readonly oneSidedMarkAtmVol: number | null;
}

/** Options of buildChainSlices. */
export interface ChainSliceOptions {
  readonly side: 'otm' | 'all';
  readonly volBounds: readonly [number, number];
  readonly weights: ChainWeightScheme;
  readonly spreadFloor: number;
}

/** Result of buildChainSlices. */
export interface ChainSlices {
  readonly underlying: string | null;
  readonly asOfMs: number | null;
  /** Expiries with a positive time to expiry, sorted by expiry. */
  readonly slices: readonly ChainSliceData[];
  /** Expiry instants at or before the as-of (dropped). */
  readonly expired: readonly number[];
  /** Median venue index of the quotes (null when none has one). */
  readonly medianIndex: number | null;
}

/**
 * Groups the chain by expiry instant. All quotes (two-sided and one-sided) must share one underlying and one
 * as-of instant: otherwise SurfaceDomainError names the first offending field (`quotes[i].underlying`,
 * `oneSided[i].asOfMs`, ...). Data problems (absurd vols, one-sided only) are counted, never thrown.
 */
export function buildChainSlices(
  quotes: readonly QuoteWithIv[],
  oneSided: readonly OptionQuote[],
  options: ChainSliceOptions,
): ChainSlices {
  const first = quotes[0] ?? oneSided[0];
  if (first === undefined) return Object.freeze({ underlying: null, asOfMs: null, slices: Object.freeze([]), expired: Object.freeze([]), medianIndex: null });
  const underlying = first.underlying;
  const asOfMs = first.asOfMs;
  const check = (list: readonly OptionQuote[], name: string): void => {
    list.forEach((q, i) => {
      if (q.underlying !== underlying) throw new SurfaceDomainError(`${name}[${i}].underlying`, q.underlying, `must be ${underlying} (one underlying per chain)`);
      if (q.asOfMs !== asOfMs) throw new SurfaceDomainError(`${name}[${i}].asOfMs`, q.asOfMs, `must be ${asOfMs} (one as-of instant per chain)`);
    });
  };
  check(quotes, 'quotes');
  check(oneSided, 'oneSided');

  const groups = new Map<number, { two: QuoteWithIv[]; one: OptionQuote[]; expiry: number }>();
  const group = (q: OptionQuote): { two: QuoteWithIv[]; one: OptionQuote[]; expiry: number } => {
    let g = groups.get(q.expiryTimestampMs);
    if (g === undefined) {
      g = { two: [], one: [], expiry: q.expiry };
      groups.set(q.expiryTimestampMs, g);
    }
    return g;
  };
  for (const q of quotes) group(q).two.push(q);
  for (const q of oneSided) group(q).one.push(q);

  const slices: ChainSliceData[] = [];
  const expired: number[] = [];
  for (const [expiryTimestampMs, g] of [...groups.entries()].sort((p, q) => p[0] - q[0])) {
    if (!(g.expiry > 0) || !Number.isFinite(g.expiry)) {
      expired.push(expiryTimestampMs);
      continue;
    }
    slices.push(sliceData(expiryTimestampMs, g.expiry, g.two, g.one, options));
  }
  const indices = [...quotes, ...oneSided].map((q) => q.index).filter((x): x is number => x !== undefined && x > 0);
  return Object.freeze({
    underlying,
    asOfMs,
    slices: Object.freeze(slices),
    expired: Object.freeze(expired),
    medianIndex: indices.length > 0 ? median(indices) : null,
  });
}

function sliceData(
  expiryTimestampMs: number,
  T: number,
  two: readonly QuoteWithIv[],
  one: readonly OptionQuote[],
  o: ChainSliceOptions,
): ChainSliceData {
  const [volLo, volHi] = o.volBounds;
  const kept: QuoteWithIv[] = [];
  let droppedSide = 0;
  let droppedAbsurdVol = 0;
  for (const q of two) {
    if (o.side === 'otm' && (q.type === 'call' ? q.strike < q.forward : q.strike > q.forward)) {
      droppedSide++;
      continue;
    }
    if (!(q.ivMid >= volLo && q.ivMid <= volHi) || !(q.strike > 0) || !(q.forward > 0)) {
      droppedAbsurdVol++;
      continue;
    }
    kept.push(q);
  }
  const n = kept.length;
  const k = new Float64Array(n);
  const w = new Float64Array(n);
  const midVol = new Float64Array(n);
  const bidVol = new Float64Array(n);
  const askVol = new Float64Array(n);
  kept.forEach((q, i) => {
    k[i] = Math.log(q.strike / q.forward);
    midVol[i] = q.ivMid;
    w[i] = q.ivMid * q.ivMid * T;
    bidVol[i] = q.ivBid !== null && q.ivBid > 0 ? q.ivBid : 0;
    askVol[i] = q.ivAsk !== null && q.ivAsk > 0 ? q.ivAsk : Number.NaN;
  });
  const weights = o.weights === 'vega' ? vegaWeights(k, w) : inverseSpreadWeights(bidVol, askVol, { power: 2, floor: o.spreadFloor });
  const forwards = (n > 0 ? kept : two.length > 0 ? two : one).map((q) => q.forward).filter((f) => f > 0 && Number.isFinite(f));
  return Object.freeze({
    expiryTimestampMs,
    expiry: T,
    forward: forwards.length > 0 ? median(forwards) : Number.NaN,
    k,
    w,
    midVol,
    bidVol,
    askVol,
    weights,
    twoSided: two.length,
    oneSided: one.length,
    droppedSide,
    droppedAbsurdVol,
    oneSidedMarkAtmVol: markAtmVol(one, T, o.volBounds),
  });
}

/** ATM vol from venue mark IVs of one-sided quotes (within the vol bounds), null when none. */
function markAtmVol(one: readonly OptionQuote[], T: number, [lo, hi]: readonly [number, number]): number | null {
  const ks: number[] = [];
  const ws: number[] = [];
  for (const q of one) {
    const v = q.venueMarkIv;
    if (v === undefined || !(v >= lo && v <= hi) || !(q.strike > 0) || !(q.forward > 0)) continue;
    ks.push(Math.log(q.strike / q.forward));
    ws.push(v * v * T);
  }
  if (ks.length === 0) return null;
  const theta = atmTotalVariance({ n: ks.length, k: ks, w: ws });
  return theta > 0 ? Math.sqrt(theta / T) : null;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : 0.5 * ((s[mid - 1] as number) + (s[mid] as number));
}
