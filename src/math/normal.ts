/**
 * The standard normal distribution: density, cumulative distribution and its inverse, accurate to a few ulps in
 * relative terms over the whole double range (Phi(-38) ~ 2.9e-316 is still returned with its relative accuracy).
 * Built on Cody's erfc/erfcx (./erf.ts); jstat and mathjs lose accuracy below -5 and return 0 at -10.
 */
import { erf, erfcx } from './erf.ts';

/** 1 / sqrt(2 pi). */
export const ONE_OVER_SQRT_TWO_PI = 0.3989422804014326779399460599343818684758586311649;
/** sqrt(2 pi). */
export const SQRT_TWO_PI = 2.506628274631000502415765284811045253006986740610;
const SQRT_HALF = 0.7071067811865475244008443621048490392848359376887;
/** |x| above which Phi(x) is computed from the tail (x / sqrt(2) > 0.46875, Cody's first threshold). */
const CENTRAL = 0.6629126073623883;

/**
 * exp(-x^2/2) for any x, without the error of rounding x^2: exp(-x^2/2) = exp(-(x/sqrt2)^2) but computed with x
 * split as in Cody's erfc so that the exponent is exact to the last bit.
 */
export function expNegHalfSquare(x: number): number {
  const y = Math.abs(x);
  const yh = Math.trunc(y * 16) / 16;
  const del = (y - yh) * (y + yh);
  return Math.exp(-0.5 * yh * yh) * Math.exp(-0.5 * del);
}

/** The standard normal density phi(x) = exp(-x^2/2)/sqrt(2 pi). */
export function normPdf(x: number): number {
  return ONE_OVER_SQRT_TWO_PI * expNegHalfSquare(x);
}

/**
 * The standard normal cumulative distribution Phi(x). For x < -0.663 it is erfcx(-x/sqrt2)/2 times the exactly split
 * exp(-x^2/2), so the lower tail keeps its relative accuracy down to the subnormal range.
 */
export function normCdf(x: number): number {
  if (x < -CENTRAL) return 0.5 * erfcx(-x * SQRT_HALF) * expNegHalfSquare(x);
  if (x <= CENTRAL) return 0.5 + 0.5 * erf(x * SQRT_HALF);
  if (x > 38.5) return 1;
  return 1 - 0.5 * erfcx(x * SQRT_HALF) * expNegHalfSquare(x);
}

/** The upper tail 1 - Phi(x) = Phi(-x), accurate in relative terms for large positive x. */
export function normSf(x: number): number {
  return normCdf(-x);
}

// Acklam's rational approximation (relative error < 1.15e-9), refined below by one Halley step on the accurate cdf.
const AC_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const AC_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const AC_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const AC_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

function acklamLowerTail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (((((AC_C[0] * q + AC_C[1]) * q + AC_C[2]) * q + AC_C[3]) * q + AC_C[4]) * q + AC_C[5]) /
    ((((AC_D[0] * q + AC_D[1]) * q + AC_D[2]) * q + AC_D[3]) * q + 1);
}

/**
 * The inverse of the standard normal cdf, Phi^-1(p) for p in (0, 1); 0 and 1 give -Infinity and +Infinity, anything
 * else NaN. Acklam's approximation refined by one Halley step against `normCdf` (which is accurate to a few ulps), so
 * the result is accurate to a few ulps of the true quantile for every p down to the smallest subnormal. For p > 1/2
 * the upper tail is computed from 1 - p, which is exact in floating point there.
 */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  if (p > 0.5) return -normInvLower(1 - p);
  return normInvLower(p);
}

/** Acklam's approximation for 0 < p <= 1/2 (relative error below 1.15e-9). */
function acklamLower(p: number): number {
  if (p < P_LOW) return acklamLowerTail(p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((AC_A[0] * r + AC_A[1]) * r + AC_A[2]) * r + AC_A[3]) * r + AC_A[4]) * r + AC_A[5]) * q) /
    (((((AC_B[0] * r + AC_B[1]) * r + AC_B[2]) * r + AC_B[3]) * r + AC_B[4]) * r + 1);
}

/**
 * Phi^-1(p) to about 1e-9 relative (Acklam's rational approximation, no refinement): for starting values and other
 * places where ten digits are plenty and the Halley step of `normInv` is not worth its cost. Same domain as `normInv`.
 */
export function normInvApprox(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  return p > 0.5 ? -acklamLower(1 - p) : acklamLower(p);
}

/** Phi^-1(p) for 0 < p <= 1/2. */
function normInvLower(p: number): number {
  const x = acklamLower(p);
  if (x === 0) return 0;
  // Halley step on Phi(x) - p = 0, with the residual taken relative to the density: u = (Phi(x) - p)/phi(x).
  // In the far tail phi(x) may underflow while Phi(x)/phi(x) (the Mills ratio) is finite: use erfcx there.
  let u: number;
  if (x < -CENTRAL) {
    const mills = 0.5 * erfcx(-x * SQRT_HALF) * SQRT_TWO_PI; // Phi(x)/phi(x)
    const pdf = normPdf(x);
    u = pdf > 0 ? mills - p / pdf : 0;
  } else {
    // central region: Phi(x) - p = erf(x/sqrt2)/2 - (p - 1/2), both terms exact to their last bit, so quantiles of p
    // within a few ulps of 1/2 keep their relative accuracy
    u = (0.5 * erf(x * SQRT_HALF) - (p - 0.5)) / normPdf(x);
  }
  return x - u / (1 + 0.5 * x * u);
}

