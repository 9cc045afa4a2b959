import { normPdf } from '../math/index.ts';

/**
 * Normalised Black vega of each quote in total-variance terms: phi(d_plus) with
 * d_plus = -k/sqrt(w) + sqrt(w)/2, the derivative of the undiscounted Black call price per unit forward,
 * C/F = N(d_plus) - e^k N(d_minus), with respect to the total standard deviation sqrt(w). At one expiry it
 * is proportional to the Black vega dC/dsigma = F sqrt(T) phi(d_plus). Returns NaN for w <= 0 or NaN input.
 */
export function normalisedVega(k: number, w: number): number {
  if (!(w > 0)) return Number.NaN;
  const sw = Math.sqrt(w);
  return normPdf(-k / sw + sw / 2);
}

/**
 * Vega weights for fitSviSlice: normalisedVega(k_i, w_i) scaled so that the largest weight is 1
 * (the fit normalises weights again, only ratios matter). Quotes with w_i <= 0 or non-finite inputs get 0,
 * which excludes them from the fit. Returns a new Float64Array of length k.length.
 */
export function vegaWeights(k: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const n = Math.min(k.length, w.length);
  const out = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = normalisedVega(k[i] as number, w[i] as number);
    out[i] = Number.isFinite(v) ? v : 0;
    if ((out[i] as number) > max) max = out[i] as number;
  }
  if (max > 0) for (let i = 0; i < n; i++) out[i] = (out[i] as number) / max;
  return out;
}

/** Options of inverseSpreadWeights. */
export interface InverseSpreadWeightOptions {
  /** Spreads (askVol - bidVol, vol units) below this floor are raised to it (default 0.002 = 0.2 vol points). */
  readonly floor?: number;
  /** Exponent: weight = 1/spread^power (default 1). */
  readonly power?: number;
}

/**
 * Inverse bid-ask spread weights for fitSviSlice: 1/max(askVol_i - bidVol_i, floor)^power, scaled so that
 * the largest weight is 1. A quote whose spread is not finite (missing bid or ask) or negative gets the
 * smallest weight among the quotes that have one (0 when none has). Vols are annualised decimals.
 */
export function inverseSpreadWeights(
  bidVol: ArrayLike<number>,
  askVol: ArrayLike<number>,
  options: InverseSpreadWeightOptions = {},
): Float64Array {
  const floor = options.floor ?? 0.002;
  const power = options.power ?? 1;
  const n = Math.min(bidVol.length, askVol.length);
  const out = new Float64Array(n);
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const spread = (askVol[i] as number) - (bidVol[i] as number);
    if (Number.isFinite(spread) && spread >= 0) {
      const v = 1 / Math.pow(Math.max(spread, floor), power);
      out[i] = v;
      if (v > max) max = v;
      if (v < min) min = v;
    } else {
      out[i] = Number.NaN;
    }
  }
  const fill = Number.isFinite(min) ? min : 0;
  for (let i = 0; i < n; i++) {
    const v = Number.isNaN(out[i] as number) ? fill : (out[i] as number);
    out[i] = max > 0 ? v / max : 0;
  }
  return out;
}
