/**
 * Arbitrage-free implied-volatility surface of one option chain (pure): per-expiry raw SVI by quasi-explicit
 * calibration with the Levenberg–Marquardt polish, flagged fallbacks, calendar repair, and a final scan.
 */
import { MS_PER_YEAR_ACT365, type QuoteWithIv } from '../../market/index.ts';
import { SurfaceDomainError } from '../errors.ts';
import type { SviRawParams } from '../types.ts';
import type { VolSliceModel } from '../VolSurface.ts';
import { assembleChainResult, type SliceOutput } from './assembleChainResult.ts';
import { calendarPairCheck } from './calendarPairCheck.ts';
import { buildChainSlices } from './chainSlices.ts';
import { essviChainFit } from './essviChainFit.ts';
import { fitChainSlices, type SliceWork } from './fitChainSlices.ts';
import { repairCalendar } from './repairCalendar.ts';
import type { CalendarPolicy, CalendarRepair, CalendarViolation, ChainFailure, ChainFitOptions, ChainSurfaceResult } from './types.ts';

/**
 * Fits an arbitrage-free volatility surface to the cleaned quotes of one underlying at one as-of instant
 * (QuoteWithIv from src/market: forward per quote, bid/ask/mid implied vols). Steps:
 * 1. per expiry (buildChainSlices): OTM quotes (option `side`), mid vols inside `volBounds`; k = ln(K/F) with each
 *    quote's own forward, w = ivMid^2 T, weights 1/spread^2 in vol (default) or vega;
 * 2. fitChainSlices: fitSviSlice (Zeliade quasi-explicit calibration + Levenberg–Marquardt polish, wing slope <= 2)
 *    on every expiry with at least `minQuotes` (default 5) quotes, then, with `enforceButterfly` (default), a
 *    penalised refit on g(k) < 0 (fitSviSlice's own enforcement when that refit loses much of the fit); too few
 *    quotes, one-sided quotes only, or a fit that stays degenerate give a flagged fallback: the previous calibration's
 *    slice of the same expiry instant, else a flat slice at the ATM vol (from the quotes, the venue marks of one-sided
 *    quotes, the previous calibration, or the fitted neighbours);
 * 3. calendar arbitrage between consecutive slices (calendarPairCheck: dense grid, asymptotic slopes and intercepts,
 *    far points) is handled per the `calendar` policy: 'repair' (repairCalendar: wing taming, then lifting the later or
 *    lowering the earlier slice of each violating pair, whichever keeps more quotes in their band; the global eSSVI
 *    fit if a pair cannot be repaired), 'essvi' (always the global eSSVI fit) or 'none' (report only);
 * 4. the output VolSurface (raw SVI or eSSVI slices, linear in total variance across T) is checked by sviButterfly per
 *    slice, calendarPairCheck per pair and scanSurfaceArbitrage on the surface object (|k| <= scanKMax and far points).
 * Bad options or a mixed chain raise SurfaceDomainError naming the field; per-expiry problems are reported in
 * `failures` and the slice reports, never thrown; no figure is NaN.
 */
export function fitChainSurface(quotes: readonly QuoteWithIv[], options: ChainFitOptions = {}): ChainSurfaceResult {
  const o = resolveOptions(options);
  const chain = buildChainSlices(quotes, o.oneSided, o);
  const failures: ChainFailure[] = chain.expired.map((ts) =>
    Object.freeze({
      expiryTimestampMs: ts,
      expiry: chain.asOfMs === null ? 0 : (ts - chain.asOfMs) / MS_PER_YEAR_ACT365,
      code: 'expired' as const,
      detail: 'expiry at or before the as-of instant',
      inSurface: false,
    }),
  );
  const work = fitChainSlices(chain.slices, o, failures);
  const violationsBefore = violations(work.map((s) => ({ expiry: s.data.expiry, params: s.params })), o.scanKMax);
  let outputs: SliceOutput[] = work.map((s) => ({ work: s, model: sviModel(s.params), params: s.params, source: s.fitted ? 'fit' : (s.fallbackSource as 'previous-slice' | 'flat-atm'), extraIterations: 0, extraRounds: 0, refitStop: null, reasons: [], notes: [] }));
  const repairs: CalendarRepair[] = [];
  let method: 'none' | 'refit' | 'essvi' = 'none';

  if (o.calendar === 'essvi' && work.length > 0) {
    const essvi = applyEssvi(work, outputs, repairs);
    if (essvi) {
      outputs = essvi;
      method = 'essvi';
    }
  } else if (o.calendar === 'repair' && work.length > 0) {
    const repaired = repairCalendar(
      work.map((s) => ({ expiry: s.data.expiry, params: s.params, data: s.refitData, band: s.refitBand, fitted: s.fitted })),
      { enforceButterfly: o.enforceButterfly, slopeBound: o.enforceButterfly ? 2 : 4, kMax: o.scanKMax },
    );
    if (repaired.every((r) => r.ok)) {
      outputs = outputs.map((out, i) => {
        const r = repaired[i] as (typeof repaired)[number];
        if (r.action === 'none') return out;
        method = 'refit';
        repairs.push(Object.freeze({ expiry: out.work.data.expiry, action: r.action, rounds: r.rounds, changeVolPoints: volChange(out.work, out.params, r.params) }));
        const what = r.action.split('+').map((a) => ACTION_TEXT[a] ?? a).join(', ');
        const lost = insideCount(out.work, out.params) - insideCount(out.work, r.params);
        return {
          ...out, params: r.params, model: sviModel(r.params), source: out.work.fitted ? 'calendar-refit' : out.source,
          extraIterations: r.iterations, extraRounds: r.rounds, refitStop: `calendar-refit:${r.stopReason ?? 'none'}`,
          notes: [...out.notes, `calendar: ${what} (${r.rounds} penalty round${r.rounds === 1 ? '' : 's'})`],
          reasons: lost > 0 ? [...out.reasons, `calendar repair moved ${lost} quote${lost === 1 ? '' : 's'} out of the bid-ask band`] : out.reasons,
        };
      });
    } else {
      const bad = repaired.map((r, i) => (r.ok ? null : (work[i] as SliceWork).data.expiry)).filter((x) => x !== null);
      const essvi = applyEssvi(work, outputs, repairs, `calendar refit failed at T = ${bad.map(fmt).join(', ')}`);
      if (essvi) {
        outputs = essvi;
        method = 'essvi';
      }
    }
  }
  return assembleChainResult({
    chain, work, outputs, failures, options: o, violationsBefore, repairs, method,
    violationsAfter: violations(outputs.map((s) => ({ expiry: s.work.data.expiry, params: s.params })), o.scanKMax),
  });
}

/** Options after defaults and checks. */
export interface ResolvedChainOptions {
  readonly weights: 'vega' | 'inverse-spread';
  readonly spreadFloor: number;
  readonly minQuotes: number;
  readonly enforceButterfly: boolean;
  readonly calendar: CalendarPolicy;
  readonly previous: NonNullable<ChainFitOptions['previous']> | null;
  readonly oneSided: NonNullable<ChainFitOptions['oneSided']>;
  readonly side: 'otm' | 'all';
  readonly volBounds: readonly [number, number];
  readonly starts: 'reduced' | 'full';
  readonly spot: number | null;
  readonly scanKMax: number;
  /** = scanKMax: half-width of the grids of the butterfly and calendar checks used inside the stages. */
  readonly kMax: number;
}

function resolveOptions(options: ChainFitOptions): ResolvedChainOptions {
  const weights = options.weights ?? 'inverse-spread';
  if (weights !== 'vega' && weights !== 'inverse-spread') throw new SurfaceDomainError('options.weights', weights, "must be 'vega' or 'inverse-spread'");
  const calendar = options.calendar ?? 'repair';
  if (!['repair', 'essvi', 'none'].includes(calendar)) throw new SurfaceDomainError('options.calendar', calendar, "must be 'repair', 'essvi' or 'none'");
  const side = options.side ?? 'otm';
  if (side !== 'otm' && side !== 'all') throw new SurfaceDomainError('options.side', side, "must be 'otm' or 'all'");
  const starts = options.starts ?? 'reduced';
  if (starts !== 'reduced' && starts !== 'full') throw new SurfaceDomainError('options.starts', starts, "must be 'reduced' or 'full'");
  const spreadFloor = options.spreadFloor ?? 0.005;
  if (!(spreadFloor > 0 && Number.isFinite(spreadFloor))) throw new SurfaceDomainError('options.spreadFloor', spreadFloor, 'must be finite and > 0 (vol units)');
  const minQuotes = options.minQuotes ?? 5;
  if (!(Number.isInteger(minQuotes) && minQuotes >= 1)) throw new SurfaceDomainError('options.minQuotes', minQuotes, 'must be a positive integer');
  const volBounds = options.volBounds ?? ([0.01, 5] as const);
  if (!(volBounds[0] >= 0 && volBounds[1] > volBounds[0] && Number.isFinite(volBounds[1]))) {
    throw new SurfaceDomainError('options.volBounds', volBounds, 'must be [lo, hi] with 0 <= lo < hi finite');
  }
  const scanKMax = options.scanKMax ?? 6;
  if (!(scanKMax >= 3 && Number.isFinite(scanKMax))) throw new SurfaceDomainError('options.scanKMax', scanKMax, 'must be finite and >= 3');
  const spot = options.spot ?? null;
  if (spot !== null && !(spot > 0 && Number.isFinite(spot))) throw new SurfaceDomainError('options.spot', spot, 'must be finite and > 0');
  return {
    weights, spreadFloor, minQuotes: Math.max(5, minQuotes), enforceButterfly: options.enforceButterfly ?? true, calendar,
    previous: options.previous ?? null, oneSided: options.oneSided ?? [], side, volBounds, starts, spot, scanKMax, kMax: scanKMax,
  };
}

function sviModel(params: SviRawParams): VolSliceModel {
  return Object.freeze({ kind: 'svi' as const, params });
}

/** calendarPairCheck between consecutive slices (increasing expiry). */
function violations(slices: readonly { expiry: number; params: SviRawParams }[], kMax: number): CalendarViolation[] {
  const out: CalendarViolation[] = [];
  for (let i = 1; i < slices.length; i++) {
    const a = slices[i - 1] as { expiry: number; params: SviRawParams };
    const b = slices[i] as { expiry: number; params: SviRawParams };
    const c = calendarPairCheck(a.params, b.params, kMax);
    if (c.arbitrage) {
      out.push(Object.freeze({ earlierExpiry: a.expiry, laterExpiry: b.expiry, shortfall: c.shortfall, worstK: c.worstK, wingViolation: c.wingViolation }));
    }
  }
  return out;
}

/** RMS change of vols over the slice's quotes' k (vol points), null without quotes. */
function volChange(work: SliceWork, before: SviRawParams, after: SviRawParams): number | null {
  const d = work.data;
  if (d.k.length === 0) return null;
  let s = 0;
  for (let i = 0; i < d.k.length; i++) {
    const k = d.k[i] as number;
    const v0 = Math.sqrt(Math.max(w(before, k), 0) / d.expiry);
    const v1 = Math.sqrt(Math.max(w(after, k), 0) / d.expiry);
    s += (v1 - v0) ** 2;
  }
  return 100 * Math.sqrt(s / d.k.length);
}

/** Quotes of the slice whose model vol lies in [bidVol, askVol]. */
function insideCount(work: SliceWork, p: SviRawParams): number {
  const d = work.data;
  let n = 0;
  for (let i = 0; i < d.k.length; i++) {
    const v = Math.sqrt(Math.max(w(p, d.k[i] as number), 0) / d.expiry);
    if (v >= (d.bidVol[i] as number) && v <= (d.askVol[i] as number)) n++;
  }
  return n;
}

function w(p: SviRawParams, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}

/** Replaces every slice by the global eSSVI fit; null (outputs kept) when eSSVI cannot fit every expiry. */
function applyEssvi(work: readonly SliceWork[], outputs: readonly SliceOutput[], repairs: CalendarRepair[], why?: string): SliceOutput[] | null {
  const fit = essviChainFit(work.map((s) => ({ expiry: s.data.expiry, k: s.refitData.k, w: s.refitData.w, weights: s.refitData.weights })));
  if (fit.slices.some((s) => s === null)) return null;
  return outputs.map((out, i) => {
    const e = fit.slices[i] as { model: VolSliceModel; params: SviRawParams };
    repairs.push(Object.freeze({ expiry: out.work.data.expiry, action: 'essvi' as const, rounds: 0, changeVolPoints: volChange(out.work, out.params, e.params) }));
    return {
      ...out, model: e.model, params: e.params, source: 'essvi' as const, refitStop: `essvi:${fit.fit.status}`,
      notes: [...out.notes, `calendar: global eSSVI fit${why ? ` (${why})` : ''}`],
      reasons: why ? [...out.reasons, `calendar repair failed, slice from the global eSSVI fit (${why})`] : out.reasons,
    };
  });
}

const ACTION_TEXT: Readonly<Record<string, string>> = {
  'wing-slopes': 'asymptotic wing slopes tamed to near what its quotes need',
  floor: 'lifted above the previous slice',
  ceiling: 'lowered under the next slice',
};

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
