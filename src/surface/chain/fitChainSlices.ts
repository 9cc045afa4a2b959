/**
 * Stages 1 and 2 of fitChainSurface (pure): a raw SVI fit per expiry (fitSviSlice, then butterfly enforcement), then
 * fallback slices for the expiries that could not be fitted from their own quotes.
 */
import { cleanSliceQuotes } from '../cleanSliceQuotes.ts';
import { fitSviSlice, type SviFitOptions, type SviFitResult } from '../fitSviSlice.ts';
import type { SviRawParams } from '../types.ts';
import { measureSviFit } from '../measureSviFit.ts';
import { sviButterfly } from '../sviButterfly.ts';
import type { ChainSliceData } from './chainSlices.ts';
import { refitSlice, sliceSse } from './refitSlice.ts';
import { fallbackAtmLevel, flatSlice, previousSliceFallback, pseudoQuotes } from './fallbackSlice.ts';
import type { RefitData } from './sviPenaltyRefit.ts';
import type { ChainFailure, FallbackLevelSource, PreviousChainCalibration } from './types.ts';

/** State of one expiry between the stages of fitChainSurface. */
export interface SliceWork {
  readonly data: ChainSliceData;
  /** fitSviSlice result (null when not fitted: too few quotes). */
  readonly fit: SviFitResult | null;
  /** Candidate slice: the fit, or the fallback. */
  readonly params: SviRawParams;
  /** True when params come from the expiry's own quotes. */
  readonly fitted: boolean;
  readonly fallbackSource: 'previous-slice' | 'flat-atm' | null;
  readonly fallbackLevel: FallbackLevelSource | null;
  /** Data the slice answers to in a refit or global fit (weights mean 1). */
  readonly refitData: RefitData;
  /** Bid/ask total variance per refitData point (null for fallbacks' pseudo-quotes). */
  readonly refitBand: { readonly low: Float64Array; readonly high: Float64Array } | null;
  readonly reasons: readonly string[];
}

/** Resolved options the stages need. */
export interface SliceStageOptions {
  readonly minQuotes: number;
  readonly enforceButterfly: boolean;
  readonly starts: 'reduced' | 'full';
  readonly previous: PreviousChainCalibration | null;
  readonly kMax: number;
}

/**
 * Fits every expiry with at least minQuotes used quotes by fitSviSlice (Lee slope bound 2 when enforcing butterflies)
 * and, when enforceButterfly is set and the fit has butterfly arbitrage, by enforceButterfly below; an expiry with
 * fewer quotes, one-sided quotes only, or whose fit is not 'ok' (degenerate smile, butterfly arbitrage left) gets a
 * fallback slice: the
 * previous calibration's slice of the same expiry instant, else a flat slice at the best ATM level
 * (fallbackAtmLevel). Expiries with no information at all are left out. Failures are appended to `failures`.
 */
export function fitChainSlices(slices: readonly ChainSliceData[], o: SliceStageOptions, failures: ChainFailure[]): SliceWork[] {
  const pending: { data: ChainSliceData; fit: SviFitResult | null; code: ChainFailure['code']; detail: string }[] = [];
  const fitted = new Map<ChainSliceData, SliceWork>();
  let warm: { m: number; sigma: number; expiry: number } | null = null;
  for (const d of slices) {
    const used = d.k.length;
    if (used < o.minQuotes) {
      const code = d.twoSided === 0 && d.oneSided > 0 ? 'one-sided-only' : 'too-few-quotes';
      const dropped = d.droppedAbsurdVol > 0 ? `, ${d.droppedAbsurdVol} dropped for vols outside the bounds` : '';
      pending.push({ data: d, fit: null, code, detail: `${used} usable two-sided quotes (need ${o.minQuotes}; ${d.twoSided} two-sided, ${d.oneSided} one-sided received${dropped})` });
      continue;
    }
    // the butterfly condition is enforced below by refitSlice (analytic Jacobian), with Lee's slope bound here
    const fitOptions: SviFitOptions = {
      enforceButterfly: false,
      slopeBound: o.enforceButterfly ? 2 : 4,
      minQuotes: o.minQuotes,
      ...(o.starts === 'reduced' ? { starts: reducedStarts(d, warm) } : {}),
    };
    let fit = fitSviSlice({ k: d.k, w: d.w, weights: d.weights, expiry: d.expiry, bidVol: d.bidVol, askVol: d.askVol }, fitOptions);
    const cleaned = cleanSliceQuotes({ k: d.k, w: d.w, weights: d.weights });
    if (o.enforceButterfly && fit.status === 'ok' && fit.params !== null && fit.diagnostics.butterfly?.arbitrage) {
      fit = enforceButterfly(fit, d, cleaned, fitOptions, o.kMax);
    }
    if (fit.status === 'ok' && fit.params !== null) {
      const low = new Float64Array(cleaned.n);
      const high = new Float64Array(cleaned.n);
      for (let j = 0; j < cleaned.n; j++) {
        const i = cleaned.index[j] as number;
        low[j] = (d.bidVol[i] as number) ** 2 * d.expiry;
        const ask = d.askVol[i] as number;
        high[j] = Number.isFinite(ask) ? ask * ask * d.expiry : Number.NEGATIVE_INFINITY;
      }
      fitted.set(d, Object.freeze({
        data: d, fit, params: fit.params, fitted: true, fallbackSource: null, fallbackLevel: null,
        refitData: cleaned, refitBand: { low, high }, reasons: Object.freeze([]),
      }));
      warm = { m: fit.params.m, sigma: fit.params.sigma, expiry: d.expiry };
      continue;
    }
    const code = fit.status === 'flagged' ? 'butterfly-unresolved' : 'degenerate-smile';
    pending.push({ data: d, fit, code, detail: `fitSviSlice ${fit.status}: ${fit.reason ?? 'no reason given'}` });
  }
  const neighbours = [...fitted.values()].map((s) => ({ expiry: s.data.expiry, theta: atmW(s.params) }));
  const fallbacks = new Map<ChainSliceData, SliceWork>();
  for (const p of pending) {
    const d = p.data;
    const previousSlice = previousSliceFallback(o.previous, d, o.kMax);
    const level = previousSlice ? null : fallbackAtmLevel(d, o.previous, neighbours);
    if (!previousSlice && !level) {
      failures.push(Object.freeze({ expiryTimestampMs: d.expiryTimestampMs, expiry: d.expiry, code: p.code, detail: `${p.detail}; no ATM level from quotes, marks, previous calibration or neighbours: left out`, inSurface: false }));
      continue;
    }
    const params = previousSlice ?? flatSlice((level as { theta: number }).theta);
    const source = previousSlice ? ('previous-slice' as const) : ('flat-atm' as const);
    const levelSource: FallbackLevelSource = previousSlice ? 'previous-slice' : (level as { level: FallbackLevelSource }).level;
    failures.push(Object.freeze({ expiryTimestampMs: d.expiryTimestampMs, expiry: d.expiry, code: p.code, detail: p.detail, inSurface: true }));
    fallbacks.set(d, Object.freeze({
      data: d, fit: p.fit, params, fitted: false, fallbackSource: source, fallbackLevel: levelSource,
      refitData: pseudoQuotes(params, atmW(params)), refitBand: null,
      reasons: Object.freeze([`${p.code}: ${p.detail}`, `fallback: ${source === 'previous-slice' ? 'previous calibration slice (vols in k kept)' : `flat slice at ATM vol ${fmt(Math.sqrt(atmW(params) / d.expiry))} from ${levelSource}`}`]),
    }));
  }
  return slices.flatMap((d) => fitted.get(d) ?? fallbacks.get(d) ?? []);
}

/**
 * Makes a free fit free of butterfly arbitrage: refitSlice (penalty on g < 0 with the analytic Jacobian) from the
 * polished and the quasi-explicit parameters; if neither passes, fitSviSlice's own enforcement (slower).
 */
function enforceButterfly(fit: SviFitResult, d: ChainSliceData, cleaned: RefitData, fitOptions: SviFitOptions, kMax: number): SviFitResult {
  const qe = fit.diagnostics.quasiExplicit?.params;
  const freeSse = sliceSse({ expiry: d.expiry, params: fit.params as SviRawParams, data: cleaned }, fit.params as SviRawParams);
  let iterations = fit.diagnostics.iterations;
  let rounds = 0;
  let best: { params: SviRawParams; sse: number; stop: string | null } | null = null;
  for (const start of [fit.params, ...(qe ? [qe] : [])]) {
    if (!start) continue;
    const slice = { expiry: d.expiry, params: start, data: cleaned };
    const r = refitSlice(slice, { floor: null, ceiling: null, left: [0, 2], right: [0, 2] }, { enforceButterfly: true, slopeBound: 2, kMax });
    iterations += r.iterations;
    rounds += r.rounds;
    const sse = sliceSse(slice, r.params);
    if (r.ok && (best === null || sse < best.sse)) best = { params: r.params, sse, stop: r.stopReason };
  }
  // a refit that lost much of the fit (a poor local minimum) is checked against fitSviSlice's own enforcement
  if (best === null || best.sse > BUTTERFLY_SSE_RATIO * freeSse) {
    const own = fitSviSlice({ k: d.k, w: d.w, weights: d.weights, expiry: d.expiry, bidVol: d.bidVol, askVol: d.askVol }, { ...fitOptions, enforceButterfly: true });
    if (best === null || (own.status === 'ok' && own.params !== null && sliceSse({ expiry: d.expiry, params: own.params, data: cleaned }, own.params) < best.sse)) return own;
  }
  const diagnostics = Object.freeze({
    ...fit.diagnostics,
    iterations,
    stopReason: best.stop as SviFitResult['diagnostics']['stopReason'],
    penaltyRounds: rounds,
    statistics: measureSviFit(best.params, { k: d.k, w: d.w, weights: d.weights, expiry: d.expiry, bidVol: d.bidVol, askVol: d.askVol }),
    butterfly: sviButterfly(best.params, { kMax }),
  });
  return Object.freeze({ ...fit, params: best.params, rmse: diagnostics.statistics.rmseTotalVariance, diagnostics });
}

/** A butterfly refit whose weighted squared error exceeds this multiple of the free fit's is double-checked. */
const BUTTERFLY_SSE_RATIO = 1.5;

/** Total variance of a raw slice at k = 0. */
export function atmW(p: SviRawParams): number {
  return p.a + p.b * (-p.rho * p.m + Math.sqrt(p.m * p.m + p.sigma * p.sigma));
}

/**
 * Starting points of the quasi-explicit search: for the first fitted expiry three of fitSviSlice's nine default starts
 * (m at the k of the smallest w with sigma 0.15 and 0.4 range, m 0.25 range to its left with sigma 0.15 range); for
 * later expiries a single warm start, the previous fit's (m, sigma) scaled by sqrt(T/T_previous) (diffusive scaling).
 * On the eight Deribit chains the results equal those with the nine default starts per expiry (`starts: 'full'`;
 * inside-band shares identical to three decimals, scripts/bench/surface.ts) at about a seventh of the cost.
 */
function reducedStarts(d: ChainSliceData, warm: { m: number; sigma: number; expiry: number } | null): (readonly [number, number])[] {
  if (warm) {
    const s = Math.sqrt(d.expiry / warm.expiry);
    return [[warm.m * s, warm.sigma * s]];
  }
  let kMin = Number.POSITIVE_INFINITY;
  let kMax = Number.NEGATIVE_INFINITY;
  let kAtMinW = 0;
  let wMin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < d.k.length; i++) {
    const k = d.k[i] as number;
    kMin = Math.min(kMin, k);
    kMax = Math.max(kMax, k);
    if ((d.w[i] as number) < wMin) {
      wMin = d.w[i] as number;
      kAtMinW = k;
    }
  }
  const r = Math.max(kMax - kMin, 1e-6);
  return [[kAtMinW, 0.15 * r], [kAtMinW, 0.4 * r], [kAtMinW - 0.25 * r, 0.15 * r]];
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
