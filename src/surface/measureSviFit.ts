import type { SviRawParams } from './types.ts';

/** Quotes of one expiry against which a slice is measured. */
export interface SviQuoteSet {
  /** Log-forward moneyness ln(K/F) per quote. */
  readonly k: ArrayLike<number>;
  /** Total implied variance sigma^2 T per quote (mid). */
  readonly w: ArrayLike<number>;
  /** Optional non-negative weights per quote (default 1). */
  readonly weights?: ArrayLike<number>;
  /** Expiry in years (ACT/365); enables the vol-point and bid-ask statistics. */
  readonly expiry?: number;
  /** Bid implied vol per quote (annualised decimal; NaN or <= 0 = no bid, treated as 0). */
  readonly bidVol?: ArrayLike<number>;
  /** Ask implied vol per quote (annualised decimal; NaN = no ask, the quote is left out of the share). */
  readonly askVol?: ArrayLike<number>;
}

/** Fit statistics of a slice against quotes. */
export interface SviFitStatistics {
  /** Quotes with finite k and w > 0 (and a finite, positive weight) used for the residual statistics. */
  readonly quotes: number;
  /** Root mean square of w_model - w over those quotes (total-variance units, unweighted). */
  readonly rmseTotalVariance: number;
  /** sqrt(sum v_i r_i^2 / sum v_i), weights as given. */
  readonly weightedRmseTotalVariance: number;
  /** max |w_model - w|. */
  readonly maxAbsResidual: number;
  /** RMSE of sqrt(w_model/T) - sqrt(w/T) in vol points (x100); null without a positive expiry. */
  readonly rmseVolPoints: number | null;
  /** Share of bid/ask quotes whose model vol lies in [bidVol, askVol]; null without expiry or bid/ask arrays. */
  readonly insideBidAskShare: number | null;
  /** Number of quotes entering insideBidAskShare (finite k, finite ask). */
  readonly bidAskQuotes: number;
}

/**
 * Fit statistics of a raw SVI slice against quotes of one expiry (parameters are assumed valid). Rows with
 * non-finite k, w <= 0 or a non-positive weight are left out of the residual statistics; the bid-ask share
 * uses every row with finite k and finite ask. Never throws for data problems and never returns NaN: with
 * no usable quote the error statistics are +Infinity (not a misleading 0) and the share is 0.
 */
export function measureSviFit(params: SviRawParams, quotes: SviQuoteSet): SviFitStatistics {
  const { a, b, rho, m, sigma } = params;
  const s2 = sigma * sigma;
  const model = (k: number): number => {
    const x = k - m;
    return a + b * (rho * x + Math.sqrt(x * x + s2));
  };
  const n = Math.min(quotes.k.length, quotes.w.length);
  const t = quotes.expiry;
  const hasT = t !== undefined && t > 0 && Number.isFinite(t);
  let count = 0;
  let sumSq = 0;
  let sumWSq = 0;
  let sumW = 0;
  let maxAbs = 0;
  let sumVolSq = 0;
  for (let i = 0; i < n; i++) {
    const k = quotes.k[i] as number;
    const w = quotes.w[i] as number;
    const v = quotes.weights ? (quotes.weights[i] as number) : 1;
    if (!Number.isFinite(k) || !(w > 0) || !Number.isFinite(w) || !(v > 0) || !Number.isFinite(v)) continue;
    const wm = model(k);
    const r = wm - w;
    count++;
    sumSq += r * r;
    sumWSq += v * r * r;
    sumW += v;
    if (Math.abs(r) > maxAbs) maxAbs = Math.abs(r);
    if (hasT) {
      const dv = Math.sqrt(Math.max(wm, 0) / t) - Math.sqrt(w / t);
      sumVolSq += dv * dv;
    }
  }
  let inside = 0;
  let bidAsk = 0;
  if (hasT && quotes.bidVol && quotes.askVol) {
    const nb = Math.min(quotes.k.length, quotes.bidVol.length, quotes.askVol.length);
    for (let i = 0; i < nb; i++) {
      const k = quotes.k[i] as number;
      const ask = quotes.askVol[i] as number;
      if (!Number.isFinite(k) || !Number.isFinite(ask)) continue;
      const bidRaw = quotes.bidVol[i] as number;
      const bid = bidRaw > 0 ? bidRaw : 0;
      const vol = Math.sqrt(Math.max(model(k), 0) / t);
      bidAsk++;
      if (vol >= bid && vol <= ask) inside++;
    }
  }
  const empty = count === 0;
  return Object.freeze({
    quotes: count,
    rmseTotalVariance: empty ? Number.POSITIVE_INFINITY : Math.sqrt(sumSq / count),
    weightedRmseTotalVariance: empty ? Number.POSITIVE_INFINITY : Math.sqrt(sumWSq / sumW),
    maxAbsResidual: empty ? Number.POSITIVE_INFINITY : maxAbs,
    rmseVolPoints: hasT ? (empty ? Number.POSITIVE_INFINITY : 100 * Math.sqrt(sumVolSq / count)) : null,
    insideBidAskShare: hasT && quotes.bidVol && quotes.askVol ? (bidAsk > 0 ? inside / bidAsk : 0) : null,
    bidAskQuotes: bidAsk,
  });
}
