/**
 * Scalar pricing kernels on plain doubles: no validation, no allocation, NaN in gives NaN out. The public functions
 * (blackScholes.ts, black76.ts, inverse.ts, impliedVol.ts) validate and wrap them; the batch kernels (batch.ts) loop
 * over them. theta = +1 for a call, -1 for a put. Units as in DESIGN.md §3: time in years, vols and rates as decimals
 * (continuously compounded), vega per 1.00 of vol, theta = dV/dt per year, rho per 1.00 of rate.
 *
 * Every price goes through the normalised Black function b(x, s) (normalisedBlack.ts), so deep out-of-the-money prices
 * are never negative and keep their relative accuracy down to the smallest normal doubles. The limit s = sigma sqrt(T)
 * = 0 (zero vol or expiry reached) is an explicit branch: the discounted intrinsic value and its one-sided Greeks.
 */
import { normCdf, ONE_OVER_SQRT_TWO_PI } from '../math/index.ts';
import { scaledOtmCall } from './normalisedBlack.ts';
import { impliedTotalVolOtmCall, type ImpliedVolDiagnostics } from './impliedVolNormalised.ts';
import { IMPLIED_VOL_STATUS } from './errors.ts';

/**
 * ln(a/b) for a, b > 0, accurate relative to the result near a = b: there a - b is exact (Sterbenz) and log1p keeps
 * the relative accuracy of the small logarithm, where log(a/b) would carry the absolute rounding error of a/b (the
 * dominant error of deep out-of-the-money prices at short expiry, whose sensitivity to x grows like (x/s)^2).
 */
export function logRatio(a: number, b: number): number {
  const r = a / b;
  return r > 0.5 && r < 2 ? Math.log1p((a - b) / b) : Math.log(r);
}

/** F - K with F = S e^{mu}, as S expm1(mu) + (S - K): no cancellation when F is close to K. */
export function forwardMinusStrike(S: number, K: number, mu: number): number {
  return S * Math.expm1(mu) + (S - K);
}

/** Output buffers of the Greeks kernels, written at one index per option. */
export interface GreeksBuffers {
  readonly price: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  readonly theta: Float64Array;
  readonly rho: Float64Array;
  /** d price / d carry (yield q); Black-Scholes only. */
  readonly dividendRho: Float64Array;
  /** d2 price / d spot d vol; Black-Scholes only. */
  readonly vanna: Float64Array;
  /** d2 price / d vol2; Black-Scholes only. */
  readonly volga: Float64Array;
}

/** Fresh zeroed Greeks buffers for n options. */
export function allocateGreeksBuffers(n: number): GreeksBuffers {
  return {
    price: new Float64Array(n), delta: new Float64Array(n), gamma: new Float64Array(n), vega: new Float64Array(n),
    theta: new Float64Array(n), rho: new Float64Array(n), dividendRho: new Float64Array(n),
    vanna: new Float64Array(n), volga: new Float64Array(n),
  };
}

/**
 * Black-Scholes price with continuous yield q (`carry`): forward F = S e^{(r-q)T}, price = e^{-rT} Black(F, K, sigma, T).
 * Evaluated as sqrt(S K) e^{-(r+q)T/2} b(x, s) with x = ln(S/K) + (r-q)T, so F is never rounded into x.
 */
export function bsPriceKernel(S: number, K: number, T: number, r: number, q: number, sigma: number, theta: number): number {
  const s = sigma * Math.sqrt(T);
  if (s === 0) {
    const intrinsic = theta * forwardMinusStrike(S, K, (r - q) * T);
    return intrinsic > 0 ? Math.exp(-r * T) * intrinsic : 0;
  }
  const x = logRatio(S, K) + (r - q) * T;
  const thetaX = theta * x;
  const sqrtSK = Math.sqrt(S) * Math.sqrt(K);
  const logDiscount = -0.5 * (r + q) * T; // sqrt(FK) e^{-rT} = sqrt(SK) e^{-(r+q)T/2}
  if (thetaX > 0) {
    // in the money: the intrinsic value in price units plus the out-of-the-money time value, so the price is never
    // below the intrinsic value computed in floating point (a quote at that price must invert to a vol >= 0)
    const intrinsic = theta * forwardMinusStrike(S, K, (r - q) * T);
    return Math.exp(-r * T) * Math.max(intrinsic, 0) + sqrtSK * scaledOtmCall(-thetaX, s, logDiscount);
  }
  return sqrtSK * scaledOtmCall(thetaX, s, logDiscount);
}

/** Black-76 price discounted at r: e^{-rT} Black(F, K, sigma, T). */
export function black76PriceKernel(F: number, K: number, T: number, r: number, sigma: number, theta: number): number {
  const s = sigma * Math.sqrt(T);
  if (s === 0) {
    const intrinsic = theta * (F - K);
    return intrinsic > 0 ? Math.exp(-r * T) * intrinsic : 0;
  }
  return black76PriceOfParts(F, K, logRatio(F, K), s, -r * T, Math.exp(-r * T), theta);
}

/**
 * Black-76 price e^{-rT} Black(F, K, sigma, T) from its parts, for callers that hold them already (the revaluation
 * kernel computes them once per row or per vol class instead of once per cell): x = ln(F/K), the total vol
 * s = sigma sqrt(T) (> 0; the s = 0 limit is the caller's, see `black76PriceKernel`), logDiscount = -rT and
 * discount = e^{-rT}. With x = logRatio(F, K) the result is `black76PriceKernel`'s bit for bit.
 */
export function black76PriceOfParts(F: number, K: number, x: number, s: number, logDiscount: number, discount: number, theta: number): number {
  const thetaX = theta * x;
  const timeValue = Math.sqrt(F) * Math.sqrt(K) * scaledOtmCall(-Math.abs(thetaX), s, logDiscount);
  return thetaX > 0 ? discount * (theta * (F - K)) + timeValue : timeValue;
}

/** Coin-settled (inverse) option price in coin, Deribit convention: Black76_undiscounted(F, K, sigma, T) / F (r = 0). */
export function inversePriceKernel(F: number, K: number, T: number, sigma: number, theta: number): number {
  const s = sigma * Math.sqrt(T);
  if (s === 0) {
    const intrinsic = theta * (F - K);
    return intrinsic > 0 ? intrinsic / F : 0;
  }
  return inversePriceOfParts(F, K, logRatio(F, K), s, theta);
}

/**
 * Coin-settled option price Black76_undiscounted(F, K, sigma, T)/F from x = ln(F/K) and the total vol
 * s = sigma sqrt(T) > 0 (the s = 0 limit is the caller's). With x = logRatio(F, K) the result is
 * `inversePriceKernel`'s bit for bit.
 */
export function inversePriceOfParts(F: number, K: number, x: number, s: number, theta: number): number {
  const thetaX = theta * x;
  const timeValue = Math.sqrt(K / F) * scaledOtmCall(-Math.abs(thetaX), s, 0);
  return thetaX > 0 ? (theta * (F - K)) / F + timeValue : timeValue;
}

/**
 * Black-Scholes price and Greeks with yield q, written to `out` at index i. pdfTerm = S e^{-qT} phi(d1)
 * = K e^{-rT} phi(d2) is computed from the normalised vega exp(-(h^2+t^2)/2) (h = x/s, t = s/2) so it keeps its
 * relative accuracy in the tails.
 */
export function bsGreeksKernel(
  S: number, K: number, T: number, r: number, q: number, sigma: number, theta: number, out: GreeksBuffers, i: number,
): void {
  const sqrtT = Math.sqrt(T);
  const s = sigma * sqrtT;
  const discountR = Math.exp(-r * T);
  const discountQ = Math.exp(-q * T);
  out.price[i] = bsPriceKernel(S, K, T, r, q, sigma, theta);
  if (s > 0) {
    const x = logRatio(S, K) + (r - q) * T;
    const h = x / s;
    const t = 0.5 * s;
    const d1 = h + t;
    const d2 = h - t;
    const n1 = normCdf(theta * d1);
    const n2 = normCdf(theta * d2);
    const pdfTerm = Math.sqrt(S) * Math.sqrt(K) * Math.exp(-0.5 * (r + q) * T) * ONE_OVER_SQRT_TWO_PI *
      Math.exp(-0.5 * (h * h + t * t));
    const vega = pdfTerm * sqrtT;
    out.delta[i] = theta * discountQ * n1;
    out.gamma[i] = pdfTerm / (S * S * s);
    out.vega[i] = vega;
    out.theta[i] = -pdfTerm * sigma / (2 * sqrtT) + theta * (q * S * discountQ * n1 - r * K * discountR * n2);
    out.rho[i] = theta * K * T * discountR * n2;
    out.dividendRho[i] = -theta * T * S * discountQ * n1;
    out.vanna[i] = pdfTerm === 0 ? 0 : (-pdfTerm / S) * (d2 / sigma);
    out.volga[i] = pdfTerm === 0 ? 0 : vega * ((d1 * d2) / sigma);
    return;
  }
  // s = 0: zero vol or expiry reached. One-sided limits; at the money the probabilities are 1/2.
  const moneyness = theta * forwardMinusStrike(S, K, (r - q) * T);
  const weight = moneyness > 0 ? 1 : moneyness === 0 ? 0.5 : 0;
  const atm = moneyness === 0;
  out.delta[i] = theta * discountQ * weight;
  out.gamma[i] = atm ? Infinity : 0;
  out.vega[i] = atm ? S * discountQ * sqrtT * ONE_OVER_SQRT_TWO_PI : 0;
  out.theta[i] = atm && T === 0 && sigma > 0 ? -Infinity : theta * weight * (q * S * discountQ - r * K * discountR);
  out.rho[i] = theta * weight * K * T * discountR;
  out.dividendRho[i] = -theta * weight * T * S * discountQ;
  out.vanna[i] = 0;
  out.volga[i] = 0;
}

/**
 * Black-76 (discounted) price and Greeks at index i of `out`: delta and gamma with respect to the forward; theta =
 * -dV/dT with F fixed; rho = dV/dr with F fixed = -T V. dividendRho, vanna and volga are left untouched.
 */
export function black76GreeksKernel(
  F: number, K: number, T: number, r: number, sigma: number, theta: number, out: GreeksBuffers, i: number,
): void {
  const sqrtT = Math.sqrt(T);
  const s = sigma * sqrtT;
  const discount = Math.exp(-r * T);
  const price = black76PriceKernel(F, K, T, r, sigma, theta);
  out.price[i] = price;
  out.rho[i] = -T * price;
  if (s > 0) {
    const x = logRatio(F, K);
    const h = x / s;
    const t = 0.5 * s;
    const pdfTerm = discount * Math.sqrt(F) * Math.sqrt(K) * ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t));
    out.delta[i] = theta * discount * normCdf(theta * (h + t));
    out.gamma[i] = pdfTerm / (F * F * s);
    out.vega[i] = pdfTerm * sqrtT;
    out.theta[i] = r * price - (pdfTerm * sigma) / (2 * sqrtT);
    return;
  }
  const moneyness = theta * (F - K);
  const weight = moneyness > 0 ? 1 : moneyness === 0 ? 0.5 : 0;
  const atm = moneyness === 0;
  out.delta[i] = theta * discount * weight;
  out.gamma[i] = atm ? Infinity : 0;
  out.vega[i] = atm ? discount * F * sqrtT * ONE_OVER_SQRT_TWO_PI : 0;
  out.theta[i] = atm && T === 0 && sigma > 0 ? -Infinity : r * price;
}

/**
 * Inverse (coin-settled) option Greeks in coin at index i of `out` (r = 0): price = Black/F; delta = F dP/dF =
 * theta Phi(theta d1) - P (Deribit's net, price-adjusted delta, coin per coin of notional); gamma = d2P/dF2 (coin per
 * USD^2); vega = dP/dsigma; theta = dP/dt per year; rho = 0.
 */
export function inverseGreeksKernel(
  F: number, K: number, T: number, sigma: number, theta: number, out: GreeksBuffers, i: number,
): void {
  const sqrtT = Math.sqrt(T);
  const s = sigma * sqrtT;
  const price = inversePriceKernel(F, K, T, sigma, theta);
  out.price[i] = price;
  out.rho[i] = 0;
  if (s > 0) {
    const h = logRatio(F, K) / s;
    const t = 0.5 * s;
    const pdfOverF = Math.sqrt(K / F) * ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t)); // phi(d1)
    const blackDelta = theta * normCdf(theta * (h + t));
    const netDelta = blackDelta - price;
    out.delta[i] = netDelta;
    out.gamma[i] = pdfOverF / (F * F * s) - (2 * netDelta) / (F * F);
    out.vega[i] = pdfOverF * sqrtT;
    out.theta[i] = -(pdfOverF * sigma) / (2 * sqrtT);
    return;
  }
  const moneyness = theta * (F - K);
  const weight = moneyness > 0 ? 1 : moneyness === 0 ? 0.5 : 0;
  const netDelta = theta * weight - price;
  out.delta[i] = netDelta;
  out.gamma[i] = moneyness === 0 ? Infinity : -(2 * netDelta) / (F * F);
  out.vega[i] = moneyness === 0 ? sqrtT * ONE_OVER_SQRT_TWO_PI : 0;
  out.theta[i] = moneyness === 0 && T === 0 && sigma > 0 ? -Infinity : 0;
}

/** Status of the last `impliedVolUndiscountedKernel` call (IMPLIED_VOL_STATUS code; 0 = ok). */
export let impliedVolKernelStatus = 0;

/**
 * Black (undiscounted) implied volatility of `price` for forward F, strike K, expiry T > 0 and type theta. Returns
 * NaN with `impliedVolKernelStatus` set when no volatility exists; 0 when the price equals the intrinsic value.
 * In-the-money prices are turned into out-of-the-money ones by put-call parity before solving (methods.md §1.5).
 * Callers that know F - K and ln(F/K) more accurately than from the rounded forward (Black-Scholes: F = S e^{mu},
 * F - K = S expm1(mu) + (S - K), ln(F/K) = ln(S/K) + mu) pass them, so the time value they invert is the one the
 * pricer added to the intrinsic value.
 */
export function impliedVolUndiscountedKernel(
  price: number, F: number, K: number, T: number, theta: number, diagnostics?: ImpliedVolDiagnostics,
  fMinusK: number = F - K, lnFOverK: number = logRatio(F, K),
): number {
  if (!(Number.isFinite(price) && Number.isFinite(F) && Number.isFinite(K) && Number.isFinite(T))) {
    impliedVolKernelStatus = IMPLIED_VOL_STATUS.INVALID_NUMBER;
    return NaN;
  }
  if (theta !== 1 && theta !== -1) return fail(IMPLIED_VOL_STATUS.INVALID_TYPE);
  if (!(T > 0)) return fail(IMPLIED_VOL_STATUS.NON_POSITIVE_EXPIRY);
  if (!(F > 0)) return fail(IMPLIED_VOL_STATUS.NON_POSITIVE_UNDERLYING);
  if (!(K > 0)) return fail(IMPLIED_VOL_STATUS.NON_POSITIVE_STRIKE);
  if (price < 0) return fail(IMPLIED_VOL_STATUS.NEGATIVE_PRICE);
  if (price >= (theta > 0 ? F : K)) return fail(IMPLIED_VOL_STATUS.ABOVE_MAXIMUM);
  const intrinsic = theta * fMinusK;
  let timeValue = price;
  let otmTheta = theta;
  if (intrinsic > 0) {
    timeValue = price - intrinsic;
    otmTheta = -theta;
  }
  if (timeValue < 0) {
    // within rounding of the intrinsic value (F - K carries up to an ulp of max(F, K)): the price is at intrinsic
    if (timeValue < -4 * Number.EPSILON * Math.max(F, K)) return fail(IMPLIED_VOL_STATUS.BELOW_INTRINSIC);
    timeValue = 0;
  }
  impliedVolKernelStatus = IMPLIED_VOL_STATUS.OK;
  if (timeValue === 0) {
    if (diagnostics) {
      diagnostics.iterations = 0;
      diagnostics.stopReason = 'zero-time-value';
      diagnostics.branch = 'none';
      diagnostics.initialGuess = 0;
    }
    return 0;
  }
  const x = otmTheta * lnFOverK; // <= 0 up to rounding
  const beta = timeValue / (Math.sqrt(F) * Math.sqrt(K));
  const s = impliedTotalVolOtmCall(beta, Math.min(x, 0), diagnostics);
  if (s === Infinity) return fail(IMPLIED_VOL_STATUS.ABOVE_MAXIMUM);
  return s / Math.sqrt(T);
}

function fail(status: number): number {
  impliedVolKernelStatus = status;
  return NaN;
}
