/**
 * Last stage of fitChainSurface (pure): builds the VolSurface from the output slices, the per-expiry reports,
 * the arbitrage summary and the overall status.
 */
import { measureSviFit } from '../measureSviFit.ts';
import { sviButterfly } from '../sviButterfly.ts';
import type { SviRawParams } from '../types.ts';
import { VolSurface, type VolSliceModel } from '../VolSurface.ts';
import type { ChainSlices } from './chainSlices.ts';
import type { SliceWork } from './fitChainSlices.ts';
import type { ResolvedChainOptions } from './fitChainSurface.ts';
import { scanSurfaceArbitrage } from './scanSurfaceArbitrage.ts';
import type { CalendarRepair, CalendarViolation, ChainFailure, ChainSliceReport, ChainSliceSource, ChainSurfaceResult } from './types.ts';

/** The output slice of one expiry. */
export interface SliceOutput {
  readonly work: SliceWork;
  readonly model: VolSliceModel;
  readonly params: SviRawParams;
  readonly source: ChainSliceSource;
  /** Iterations and penalty rounds of a calendar refit. */
  readonly extraIterations: number;
  readonly extraRounds: number;
  /** 'calendar-refit:<LM stop reason>' or 'essvi:<fit status>', null when the calendar stage left the slice alone. */
  readonly refitStop: string | null;
  /** Reasons to flag added by the calendar stage. */
  readonly reasons: readonly string[];
  /** What the calendar stage did to the slice. */
  readonly notes: readonly string[];
}

/** Everything the assembly needs. */
export interface AssemblyInput {
  readonly chain: ChainSlices;
  readonly work: readonly SliceWork[];
  readonly outputs: readonly SliceOutput[];
  readonly failures: readonly ChainFailure[];
  readonly options: ResolvedChainOptions;
  readonly violationsBefore: readonly CalendarViolation[];
  readonly violationsAfter: readonly CalendarViolation[];
  readonly repairs: readonly CalendarRepair[];
  readonly method: 'none' | 'refit' | 'essvi';
}

/** Builds the ChainSurfaceResult (see fitChainSurface). */
export function assembleChainResult(input: AssemblyInput): ChainSurfaceResult {
  const { chain, outputs, options: o } = input;
  const slices = outputs.map((out) => sliceReport(out, o.scanKMax));
  let surface: VolSurface | null = null;
  if (outputs.length > 0) {
    surface = VolSurface.create(
      outputs.map((out, i) => ({
        expiry: out.work.data.expiry,
        forward: out.work.data.forward,
        model: out.model,
        kRange: (slices[i] as ChainSliceReport).kRange,
      })),
      { spot: o.spot ?? chain.medianIndex },
    );
  }
  let minG = Number.POSITIVE_INFINITY;
  let worstExpiry: number | null = null;
  for (const s of slices) {
    if (s.butterfly.minG < minG) {
      minG = s.butterfly.minG;
      worstExpiry = s.expiry;
    }
  }
  const butterfly = Object.freeze({
    arbitrage: slices.some((s) => s.butterfly.arbitrage),
    minG: Number.isFinite(minG) ? minG : 0,
    worstExpiry,
  });
  const scan = surface ? scanSurfaceArbitrage(surface, { kMax: o.scanKMax }) : null;
  const calendarArbitrage = input.violationsAfter.length > 0;
  let inside = 0;
  let bidAsk = 0;
  let sq = 0;
  let count = 0;
  for (const s of slices) {
    if (s.fit.insideBidAskShare !== null) {
      inside += s.fit.insideBidAskShare * s.fit.bidAskQuotes;
      bidAsk += s.fit.bidAskQuotes;
    }
    if (s.fit.rmseVolPoints !== null && s.quotes.used > 0) {
      sq += s.fit.rmseVolPoints ** 2 * s.quotes.used;
      count += s.quotes.used;
    }
  }
  const problems: string[] = [];
  const notInSurface = input.failures.filter((f) => !f.inSurface);
  const fallbacks = slices.filter((s) => s.status === 'fallback');
  if (fallbacks.length > 0) problems.push(`${fallbacks.length} fallback slice${fallbacks.length === 1 ? '' : 's'}`);
  if (notInSurface.length > 0) problems.push(`${notInSurface.length} expir${notInSurface.length === 1 ? 'y' : 'ies'} left out`);
  if (butterfly.arbitrage) problems.push(`butterfly arbitrage remains (min g ${butterfly.minG})`);
  if (calendarArbitrage) problems.push(`calendar arbitrage remains between ${input.violationsAfter.length} pair(s) of slices`);
  if (scan?.arbitrage) problems.push('the surface scan finds arbitrage');
  const status = surface === null ? 'failed' : problems.length > 0 ? 'partial' : 'ok';
  return Object.freeze({
    status,
    reason: surface === null ? (chain.slices.length === 0 ? 'no quotes with a positive time to expiry' : 'no expiry could be fitted or given a fallback') : problems.length > 0 ? problems.join('; ') : null,
    underlying: chain.underlying,
    asOfMs: chain.asOfMs,
    surface,
    slices: Object.freeze(slices),
    failures: Object.freeze([...input.failures]),
    arbitrage: Object.freeze({
      butterfly,
      calendar: Object.freeze({
        policy: o.calendar,
        violationsBefore: Object.freeze([...input.violationsBefore]),
        repairs: Object.freeze([...input.repairs]),
        method: input.method,
        violationsAfter: Object.freeze([...input.violationsAfter]),
        arbitrage: calendarArbitrage,
      }),
      scan,
    }),
    statistics: Object.freeze({
      quotes: count,
      insideBidAskShare: bidAsk > 0 ? inside / bidAsk : null,
      rmseVolPoints: count > 0 ? Math.sqrt(sq / count) : null,
    }),
  });
}

function sliceReport(out: SliceOutput, kMax: number): ChainSliceReport {
  const { work, params } = out;
  const d = work.data;
  const used = d.k.length;
  const stats = used > 0 ? measureSviFit(params, { k: d.k, w: d.w, expiry: d.expiry, bidVol: d.bidVol, askVol: d.askVol }) : null;
  const fly = sviButterfly(params, { kMax });
  const reasons = [...work.reasons, ...out.reasons];
  const status = !work.fitted ? 'fallback' : reasons.length > 0 ? 'flagged' : 'ok';
  const fitDiag = work.fit?.diagnostics;
  const kRange = work.fitted ? (fitDiag?.kRange ?? null) : null;
  const x = -params.m;
  const wAtm = params.a + params.b * (params.rho * x + Math.sqrt(x * x + params.sigma * params.sigma));
  return Object.freeze({
    expiryTimestampMs: d.expiryTimestampMs,
    expiry: d.expiry,
    forward: d.forward,
    status,
    reasons: Object.freeze(reasons),
    notes: Object.freeze([...out.notes]),
    source: out.source,
    fallbackLevel: work.fallbackLevel,
    model: out.model,
    params,
    kRange,
    atmVol: Math.sqrt(Math.max(wAtm, 0) / d.expiry),
    quotes: Object.freeze({ twoSided: d.twoSided, used, oneSided: d.oneSided, droppedSide: d.droppedSide, droppedAbsurdVol: d.droppedAbsurdVol }),
    fit: Object.freeze({
      rmseVolPoints: stats ? stats.rmseVolPoints : null,
      insideBidAskShare: stats ? stats.insideBidAskShare : null,
      bidAskQuotes: stats ? stats.bidAskQuotes : 0,
    }),
    butterfly: Object.freeze({ arbitrage: fly.arbitrage, minG: fly.minG, argminK: fly.argminK }),
    solver: Object.freeze({
      sliceFitStatus: work.fit?.status ?? null,
      sliceFitReason: work.fit?.reason ?? null,
      iterations: (fitDiag?.iterations ?? 0) + out.extraIterations,
      stopReason: out.refitStop ?? fitDiag?.stopReason ?? (work.fitted ? 'unknown' : 'fallback'),
      penaltyRounds: (fitDiag?.penaltyRounds ?? 0) + out.extraRounds,
    }),
  });
}
