/**
 * Types of the chain surface fit (fitChainSurface): options, per-expiry reports, failures and the result.
 *
 * Conventions (DESIGN.md §3, reference/methods.md §3): k = ln(K/F) with each quote's own forward, total implied
 * variance w = sigma^2 T, T in years ACT/365 from the chain's as-of instant, vols annualised decimals, times UTC
 * epoch milliseconds (`...Ms`).
 */
import type { OptionQuote } from '../../market/index.ts';
import type { SviFitStatus } from '../fitSviSlice.ts';
import type { SviRawParams } from '../types.ts';
import type { VolSliceModel, VolSurface } from '../VolSurface.ts';
import type { SurfaceArbitrageScan } from './scanSurfaceArbitrage.ts';

/**
 * Weights of the per-expiry least-squares fit in total variance:
 * - `'inverse-spread'` (default): 1/max(askVol - bidVol, spreadFloor)^2, so that a quote's weighted residual is
 *   its model-mid gap measured in units of its own bid-ask vol spread (what the inside-the-band share rewards);
 * - `'vega'`: normalised Black vega phi(d+) (surface/sviFitWeights.ts), i.e. price-space errors.
 */
export type ChainWeightScheme = 'vega' | 'inverse-spread';

/**
 * What to do about calendar arbitrage between consecutive fitted slices:
 * - `'repair'` (default): repairCalendar — tame each slice's unidentified asymptotic wing slopes where no quote
 *   leaves its band, then, front to back, fix every violating pair either by lifting the later slice above the
 *   earlier (floor) or by lowering the earlier between its predecessor and the later (ceiling), whichever keeps more
 *   quotes inside their bid-ask band; refits hold the wing slopes in exact boxes and penalise w(k) below the floor or
 *   above the ceiling on a wide grid. If a pair cannot be repaired, the whole surface falls back to the global eSSVI
 *   fit (calendar-free by construction);
 * - `'essvi'`: always use the global eSSVI fit (fitEssviSurface) for the output surface;
 * - `'none'`: keep the per-expiry slices as fitted and only report the violations (status 'partial' if any).
 */
export type CalendarPolicy = 'repair' | 'essvi' | 'none';

/** A previous calibration of the same underlying (e.g. the result of an earlier fitChainSurface). */
export interface PreviousChainCalibration {
  /** As-of instant of that calibration, UTC epoch ms (null, as in a failed fitChainSurface result: not used). */
  readonly asOfMs: number | null;
  /** Its slices, identified by expiry instant. */
  readonly slices: readonly {
    readonly expiryTimestampMs: number;
    readonly expiry: number;
    readonly model: VolSliceModel;
  }[];
}

/** Options of fitChainSurface (all optional). */
export interface ChainFitOptions {
  /** Weights of the per-expiry fit (default 'inverse-spread'). */
  readonly weights?: ChainWeightScheme;
  /** Floor of the bid-ask vol spread in the inverse-spread weights, vol units (default 0.005 = 0.5 vol points). */
  readonly spreadFloor?: number;
  /** Fewest usable two-sided quotes for an expiry to be fitted (default 5, never below 5). */
  readonly minQuotes?: number;
  /**
   * Make each fitted slice free of butterfly arbitrage (default true): Lee's slope bound 2 in fitSviSlice, then a
   * penalised refit on g(k) < 0 (fitSviSlice's own enforceButterfly when that refit loses much of the fit), and the
   * butterfly condition kept in every calendar refit.
   */
  readonly enforceButterfly?: boolean;
  /** Calendar-arbitrage policy (default 'repair'). */
  readonly calendar?: CalendarPolicy;
  /**
   * Previous calibration: an expiry that cannot be fitted gets that calibration's slice of the same expiry
   * instant, with its implied vols in k kept (total variance rescaled by T_now/T_then). Without it (or without
   * that expiry) the fallback is a flat slice at the ATM vol.
   */
  readonly previous?: PreviousChainCalibration | null;
  /**
   * One-sided quotes of the same chain (e.g. PreparedQuotes.fallback[].quote with keepOneSided): expiries that only
   * have these are reported, and their venue mark IVs give the flat ATM level of the fallback slice.
   */
  readonly oneSided?: readonly OptionQuote[];
  /** Which quotes to fit: 'otm' (default; calls with K >= F, puts with K <= F, each with its own F) or 'all'. */
  readonly side?: 'otm' | 'all';
  /** Mid implied vols outside [lo, hi] are dropped as absurd (default [0.01, 5]). */
  readonly volBounds?: readonly [number, number];
  /**
   * Starting points of the quasi-explicit search: 'reduced' (default; three of fitSviSlice's starts for the first
   * fitted expiry, then one warm start from the previous expiry's fit scaled by sqrt(T/T_previous)) or 'full'
   * (fitSviSlice's nine-point grid for every expiry).
   */
  readonly starts?: 'reduced' | 'full';
  /** Spot passed to VolSurface.create for forwards before the first expiry (default: median index of the quotes). */
  readonly spot?: number | null;
  /** Half-width in k of the uniform part of the final arbitrage scan (default 6). */
  readonly scanKMax?: number;
}

/** Where the output slice of an expiry comes from. */
export type ChainSliceSource =
  /** fitSviSlice on the expiry's quotes, kept as fitted */
  | 'fit'
  /** fitted, then refitted for calendar arbitrage (wing-slope box and/or w >= w_previous) */
  | 'calendar-refit'
  /** the global eSSVI fit (calendar policy 'essvi', or the fallback of a failed repair) */
  | 'essvi'
  /** the previous calibration's slice of the same expiry instant (vols in k kept) */
  | 'previous-slice'
  /** a flat slice at the ATM vol (possibly lifted to respect the calendar condition) */
  | 'flat-atm';

/** Where a fallback slice's ATM level came from. */
export type FallbackLevelSource = 'previous-slice' | 'quotes' | 'one-sided-marks' | 'previous-surface' | 'neighbours';

/** Report of one expiry. */
export interface ChainSliceReport {
  /** Expiry instant, UTC epoch ms. */
  readonly expiryTimestampMs: number;
  /** Years to expiry, ACT/365, from the chain's as-of. */
  readonly expiry: number;
  /** Forward of the expiry (median of its quotes' forwards), price units of the strikes. */
  readonly forward: number;
  /**
   * 'ok': fitted (possibly touched by the calendar repair without losing a quote from its band, see notes);
   * 'flagged': fitted, with a reason (the calendar repair moved quotes out of their band, or the slice comes from the
   * eSSVI fallback); 'fallback': not fitted from its own quotes (see reasons).
   */
  readonly status: 'ok' | 'flagged' | 'fallback';
  /** Why the status is not 'ok' (empty when 'ok'). */
  readonly reasons: readonly string[];
  /** What the calendar stage did to the slice (empty when nothing). */
  readonly notes: readonly string[];
  readonly source: ChainSliceSource;
  /** For fallbacks: where the level came from (null for fitted slices). */
  readonly fallbackLevel: FallbackLevelSource | null;
  /** The output slice model (as in the VolSurface). */
  readonly model: VolSliceModel;
  /** Its raw SVI form. */
  readonly params: SviRawParams;
  /** Log-moneyness range of the fitted quotes (null without two distinct k). */
  readonly kRange: readonly [number, number] | null;
  /** Implied vol at k = 0 of the output slice. */
  readonly atmVol: number;
  /** Quote counts: two-sided quotes received, used in the fit, one-sided, and dropped by side or absurd vol. */
  readonly quotes: {
    readonly twoSided: number;
    readonly used: number;
    readonly oneSided: number;
    readonly droppedSide: number;
    readonly droppedAbsurdVol: number;
  };
  /** Fit quality of the output slice against the used quotes (null figures without quotes). */
  readonly fit: {
    /** RMSE of model vol - mid vol, vol points (x100). */
    readonly rmseVolPoints: number | null;
    /** Share of used quotes whose model vol lies in [bidVol, askVol] (a missing bid vol counts as 0). */
    readonly insideBidAskShare: number | null;
    /** Quotes entering insideBidAskShare. */
    readonly bidAskQuotes: number;
  };
  /** Butterfly check of the output slice (sviButterfly on its raw form): min of Durrleman's g and where. */
  readonly butterfly: { readonly arbitrage: boolean; readonly minG: number; readonly argminK: number };
  /** The per-expiry solver (fitSviSlice) and any calendar refit. */
  readonly solver: {
    /** fitSviSlice status (null when the expiry was not fitted). */
    readonly sliceFitStatus: SviFitStatus | null;
    readonly sliceFitReason: string | null;
    /** Iterations of fitSviSlice (Nelder–Mead + LM) plus those of any calendar refit. */
    readonly iterations: number;
    /** Why the last solver stage stopped (fitSviSlice stopReason, or 'calendar-refit:<LM reason>'). */
    readonly stopReason: string;
    /** Butterfly penalty rounds of fitSviSlice plus calendar-refit rounds. */
    readonly penaltyRounds: number;
  };
}

/** An expiry that is not fitted from its own quotes, or not in the surface at all. */
export interface ChainFailure {
  readonly expiryTimestampMs: number;
  readonly expiry: number;
  readonly code:
    | 'too-few-quotes'
    | 'one-sided-only'
    | 'degenerate-smile'
    | 'butterfly-unresolved'
    | 'no-information'
    | 'expired';
  readonly detail: string;
  /** True when the expiry still has a (fallback) slice in the surface. */
  readonly inSurface: boolean;
}

/** One calendar violation between consecutive slices (sviCalendarCheck). */
export interface CalendarViolation {
  readonly earlierExpiry: number;
  readonly laterExpiry: number;
  /** Largest total variance missing, w_earlier(k) - w_later(k) at worstK. */
  readonly shortfall: number;
  readonly worstK: number;
  /** Wing whose asymptotic slope falls from the earlier to the later slice. */
  readonly wingViolation: 'left' | 'right' | 'both' | null;
}

/** One calendar repair action. */
export interface CalendarRepair {
  readonly expiry: number;
  /**
   * 'wing-slopes': asymptotic wing slopes tamed to near what the quotes need; 'floor': lifted to w >= w_previous;
   * 'ceiling': lowered to w <= w_next; several joined by '+'; 'essvi': the whole surface replaced by the global
   * eSSVI fit.
   */
  readonly action: string;
  /** Penalty rounds used (0 for 'essvi'). */
  readonly rounds: number;
  /** RMS change of the slice's vols over its quotes' k, vol points (null without quotes). */
  readonly changeVolPoints: number | null;
}

/** Result of fitChainSurface. */
export interface ChainSurfaceResult {
  /** 'ok': every expiry fitted cleanly; 'partial': some flagged/fallback/failure; 'failed': no surface at all. */
  readonly status: 'ok' | 'partial' | 'failed';
  readonly reason: string | null;
  readonly underlying: string | null;
  /** As-of instant of the quotes (UTC epoch ms), null without quotes. */
  readonly asOfMs: number | null;
  /** The output surface (null when failed). */
  readonly surface: VolSurface | null;
  /** One report per expiry in the surface, by increasing expiry. */
  readonly slices: readonly ChainSliceReport[];
  readonly failures: readonly ChainFailure[];
  readonly arbitrage: {
    /** Butterfly: any slice with min g < 0 (sviButterfly), the smallest min g and where. */
    readonly butterfly: { readonly arbitrage: boolean; readonly minG: number; readonly worstExpiry: number | null };
    readonly calendar: {
      readonly policy: CalendarPolicy;
      /** Violations between consecutive slices before any repair. */
      readonly violationsBefore: readonly CalendarViolation[];
      readonly repairs: readonly CalendarRepair[];
      /** 'none' (nothing to repair or policy 'none'), 'refit', or 'essvi'. */
      readonly method: 'none' | 'refit' | 'essvi';
      /** Violations remaining between consecutive output slices (sviCalendarCheck). */
      readonly violationsAfter: readonly CalendarViolation[];
      readonly arbitrage: boolean;
    };
    /** Independent numerical scan of the output VolSurface itself (scanSurfaceArbitrage). */
    readonly scan: SurfaceArbitrageScan | null;
  };
  /** Over every used quote of every expiry, against the output surface. */
  readonly statistics: {
    readonly quotes: number;
    readonly insideBidAskShare: number | null;
    readonly rmseVolPoints: number | null;
  };
}
