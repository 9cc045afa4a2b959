/**
 * The global eSSVI fit of a chain (pure): the calendar-free-by-construction alternative to per-expiry SVI slices
 * (fitEssviSurface; Hendriks & Martini 2019, reference/methods.md §3.6).
 */
import { essviToRawSvi } from '../ssviTotalVariance.ts';
import { fitEssviSurface, type EssviFitResult } from '../fitEssviSurface.ts';
import type { SurfaceSliceQuotes } from '../prepareSurfaceQuotes.ts';
import type { SviRawParams } from '../types.ts';
import type { VolSliceModel } from '../VolSurface.ts';

/** Input of one expiry: its data (quotes, or pseudo-quotes of a fallback level). */
export interface EssviChainSliceInput {
  readonly expiry: number;
  readonly k: ArrayLike<number>;
  readonly w: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
}

/** eSSVI model and raw SVI form per input expiry (null where the fit skipped the expiry). */
export interface EssviChainFit {
  readonly fit: EssviFitResult;
  readonly slices: readonly ({ readonly model: VolSliceModel; readonly params: SviRawParams } | null)[];
}

/** Fits eSSVI to all expiries at once; the result is aligned with the input order. Never throws. */
export function essviChainFit(input: readonly EssviChainSliceInput[]): EssviChainFit {
  const quotes: SurfaceSliceQuotes[] = input.map((s) => ({ expiry: s.expiry, k: s.k, w: s.w, weights: s.weights }));
  const fit = fitEssviSurface(quotes, { minQuotes: 3 });
  const byExpiry = new Map(fit.slices.map((s) => [s.expiry, s]));
  const slices = input.map((s) => {
    const f = byExpiry.get(s.expiry);
    if (!f) return null;
    const model: VolSliceModel = Object.freeze({ kind: 'essvi' as const, theta: f.theta, rho: f.rho, psi: f.psi });
    return Object.freeze({ model, params: essviToRawSvi({ theta: f.theta, rho: f.rho, psi: f.psi }) });
  });
  return Object.freeze({ fit, slices: Object.freeze(slices) });
}
