/**
 * The normalised Black function of Jäckel ("Let's Be Rational", Wilmott 2015, §2-§3), the kernel every price and every
 * implied vol in this package goes through:
 *
 *   b(x, s) = e^{x/2} Phi(x/s + s/2) - e^{-x/2} Phi(x/s - s/2),   x = ln(F/K) <= 0,  s = sigma sqrt(T) >= 0
 *
 * the undiscounted out-of-the-money call divided by sqrt(F K). With h = x/s and t = s/2 it factors as
 * b = v(x,s) * bx(h,t), where v = exp(-(h^2+t^2)/2)/sqrt(2 pi) is the normalised vega db/ds and
 * bx = Y(h+t) - Y(h-t) with Y(z) = Phi(z)/phi(z) (the Mills-ratio form). Evaluating bx without cancellation keeps the
 * relative accuracy of b down to the smallest normal doubles. Four regions:
 *
 *  I   h+t < -10:        Y(-u) ~ (1/u) sum_n (-1)^n (2n-1)!! / u^{2n}; the difference of the two series is taken term
 *                         by term as 2t * sum of positive products (no cancellation).
 *  II  t < 0.21:         Taylor series bx = 2 sum_{k odd} Y^(k)(h) t^k / k!, Y^(k) by the recurrence
 *                         Y^(k+1) = h Y^(k) + k Y^(k-1) from Y' = 1 + h Y.
 *  III h+t > 0.85:       the first term dominates; Phi directly.
 *  IV  otherwise:        bx = sqrt(pi/2) [erfcx(-(h+t)/sqrt2) - erfcx(-(h-t)/sqrt2)] (one exponential, no Phi).
 *
 * Pure functions of doubles; NaN in gives NaN out.
 */
import { erfcx, normCdf, ONE_OVER_SQRT_TWO_PI } from '../math/index.ts';

const SQRT_HALF = 0.7071067811865475244008443621048490392848359376887;
const SQRT_PI_OVER_TWO = 1.253314137315500251207882642405522626503493370305;
/** Region I threshold on h + t. */
const ASYMPTOTIC_BELOW = -10;
/** Region II threshold on t = s/2: 2 eps^(1/16). */
const SMALL_T_BELOW = 2 * Math.pow(Number.EPSILON, 1 / 16);
/** Region III threshold on h + t. */
const PHI_FORM_ABOVE = 0.85;
const EPS = Number.EPSILON;

/** The normalised intrinsic value 2 sinh(x/2) for x > 0 (the in-the-money call with x = ln(F/K)); 0 for x <= 0. */
export function normalisedIntrinsic(x: number): number {
  return x <= 0 ? 0 : 2 * Math.sinh(0.5 * x);
}

/** The normalised vega db/ds = exp(-(h^2 + t^2)/2)/sqrt(2 pi), h = x/s, t = s/2; the same for calls and puts. */
export function normalisedVega(x: number, s: number): number {
  if (s <= 0) return x === 0 && s === 0 ? ONE_OVER_SQRT_TWO_PI : 0;
  if (s === Infinity) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t));
}

/**
 * Results of the last `evaluateOtmCall`: [0] b(x, s), [1] the normalised vega v(x, s), [2] bx = b / v. A typed array,
 * not module variables: V8 boxes doubles stored in module scope, which would allocate on every call.
 */
export const evaluated = new Float64Array(3);

/**
 * b(x, s), v(x, s) and bx = b/v of the out-of-the-money call (x <= 0, s > 0 finite) in one pass sharing the
 * exponential, written to `evaluated` (no allocation; for the solver).
 */
export function evaluateOtmCall(x: number, s: number): void {
  const h = x / s;
  const t = 0.5 * s;
  const v = ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t));
  evaluated[1] = v;
  if (h + t > PHI_FORM_ABOVE) {
    const b = Math.exp(0.5 * x) * normCdf(h + t) - Math.exp(-0.5 * x) * normCdf(h - t);
    const bPositive = b > 0 ? b : 0;
    evaluated[0] = bPositive;
    evaluated[2] = bPositive / v;
    return;
  }
  let bx: number;
  if (h + t < ASYMPTOTIC_BELOW) bx = scaledAsymptotic(h, t);
  else if (t < SMALL_T_BELOW) bx = scaledSmallT(h, t);
  else bx = scaledErfcx(h, t);
  evaluated[2] = bx;
  const b = v * bx;
  evaluated[0] = b > 0 ? b : 0;
}

/** Region I: Y(h+t) - Y(h-t) by the asymptotic series of the Mills ratio, differenced term by term. */
function scaledAsymptotic(h: number, t: number): number {
  const u1 = -(h + t); // >= 10
  const u2 = t - h; // > u1
  const twoT = 2 * t;
  const inv1 = 1 / u1;
  const inv2 = 1 / u2;
  // T_m = sum_{j=0}^{m-1} u1^-(j+1) u2^-(m-j); u1^-m - u2^-m = (u2 - u1) T_m; T_{m+1} = (T_m + u1^-(m+1)) / u2
  let tm = inv1 * inv2; // T_1
  let pw = inv1; // u1^-1
  let coeff = 1; // (-1)^n (2n-1)!!
  let sum = tm;
  let previous = Infinity;
  for (let n = 1; n < 60; n++) {
    // advance T from m = 2n-1 to m = 2n+1
    pw *= inv1;
    tm = (tm + pw) * inv2;
    pw *= inv1;
    tm = (tm + pw) * inv2;
    coeff *= -(2 * n - 1);
    const term = coeff * tm;
    const size = Math.abs(term);
    if (size >= previous) break; // asymptotic series: stop at its smallest term
    sum += term;
    if (size <= 0.0625 * EPS * sum) break;
    previous = size;
  }
  return twoT * sum;
}

/** Y(h) = Phi(h)/phi(h) = sqrt(pi/2) erfcx(-h/sqrt2). */
function millsY(h: number): number {
  return SQRT_PI_OVER_TWO * erfcx(-h * SQRT_HALF);
}

/** Region II: 2 sum_{k odd} Y^(k)(h) t^k / k!. */
function scaledSmallT(h: number, t: number): number {
  // Y^(k) by the recurrence Y^(k+1) = h Y^(k) + k Y^(k-1); terms through t^13 (the next, t^15/15! Y^(15), is below
  // 1e-19 of the sum for t < 0.21). The recurrence loses digits for very negative h, but those terms carry weights
  // (t/|h|)^(k-1), so the sum stays within a few ulps.
  const y0 = millsY(h);
  const y1 = 1 + h * y0;
  const y2 = h * y1 + y0;
  const y3 = h * y2 + 2 * y1;
  const y4 = h * y3 + 3 * y2;
  const y5 = h * y4 + 4 * y3;
  const y6 = h * y5 + 5 * y4;
  const y7 = h * y6 + 6 * y5;
  const y8 = h * y7 + 7 * y6;
  const y9 = h * y8 + 8 * y7;
  const y10 = h * y9 + 9 * y8;
  const y11 = h * y10 + 10 * y9;
  const y12 = h * y11 + 11 * y10;
  const y13 = h * y12 + 12 * y11;
  const t2 = t * t;
  const series = y1 + t2 * (y3 * INV_FACT_3 + t2 * (y5 * INV_FACT_5 + t2 * (y7 * INV_FACT_7 +
    t2 * (y9 * INV_FACT_9 + t2 * (y11 * INV_FACT_11 + t2 * (y13 * INV_FACT_13))))));
  return 2 * t * series;
}

const INV_FACT_3 = 1 / 6;
const INV_FACT_5 = 1 / 120;
const INV_FACT_7 = 1 / 5040;
const INV_FACT_9 = 1 / 362880;
const INV_FACT_11 = 1 / 39916800;
const INV_FACT_13 = 1 / 6227020800;

/** Region IV: sqrt(pi/2) [erfcx(-(h+t)/sqrt2) - erfcx(-(h-t)/sqrt2)]. */
function scaledErfcx(h: number, t: number): number {
  return SQRT_PI_OVER_TWO * (erfcx(-(h + t) * SQRT_HALF) - erfcx(-(h - t) * SQRT_HALF));
}

/**
 * The normalised out-of-the-money call b(x, s) for x <= 0 and s >= 0 (undiscounted call / sqrt(FK)). For x > 0 use
 * `normalisedBlack`. Returns 0 at s = 0 and e^{x/2} at s = +Infinity.
 */
export function normalisedOtmCall(x: number, s: number): number {
  if (!(s > 0)) return s === 0 ? 0 : NaN;
  if (s === Infinity) return Math.exp(0.5 * x);
  const h = x / s;
  const t = 0.5 * s;
  if (h + t > PHI_FORM_ABOVE) {
    const b = Math.exp(0.5 * x) * normCdf(h + t) - Math.exp(-0.5 * x) * normCdf(h - t);
    return b > 0 ? b : 0;
  }
  // one exponential: exp(-(h^2+t^2)/2) is within (h^2+t^2)/2 ulps (< 1e-13 relative wherever b is a normal double)
  const v = ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t));
  let bx: number;
  if (h + t < ASYMPTOTIC_BELOW) bx = scaledAsymptotic(h, t);
  else if (t < SMALL_T_BELOW) bx = scaledSmallT(h, t);
  else bx = scaledErfcx(h, t);
  const b = v * bx;
  return b > 0 ? b : 0;
}

/**
 * e^{logScale} b(x, s) for the out-of-the-money call (x <= 0, s > 0 finite): the scale factor of a price (discounting,
 * sqrt(FK) normalisation) folded into the exponent of the normalised vega, so a price costs one exponential in
 * regions I, II and IV.
 */
export function scaledOtmCall(x: number, s: number, logScale: number): number {
  const h = x / s;
  const t = 0.5 * s;
  if (h + t > PHI_FORM_ABOVE) return Math.exp(logScale) * normalisedOtmCall(x, s);
  let bx: number;
  if (h + t < ASYMPTOTIC_BELOW) bx = scaledAsymptotic(h, t);
  else if (t < SMALL_T_BELOW) bx = scaledSmallT(h, t);
  else bx = scaledErfcx(h, t);
  const p = ONE_OVER_SQRT_TWO_PI * Math.exp(logScale - 0.5 * (h * h + t * t)) * bx;
  return p > 0 ? p : 0;
}

/**
 * The normalised Black function b(x, s, theta) for any x: theta = +1 call, -1 put; the undiscounted price divided by
 * sqrt(F K). In the money it is the normalised intrinsic plus the out-of-the-money value (put-call parity).
 */
export function normalisedBlack(x: number, s: number, theta: 1 | -1): number {
  const thetaX = theta * x;
  if (thetaX > 0) return normalisedIntrinsic(thetaX) + normalisedOtmCall(-thetaX, s);
  return normalisedOtmCall(thetaX, s);
}

/**
 * b_max - b(x, s) for the out-of-the-money call (x <= 0), b_max = e^{x/2}: the distance to the upper price bound,
 * computed from the complementary terms e^{x/2} Phi(-(h+t)) + e^{-x/2} Phi(h-t) so it keeps its relative accuracy
 * as s grows large.
 */
export function normalisedOtmCallComplement(x: number, s: number): number {
  if (!(s > 0)) return s === 0 ? Math.exp(0.5 * x) : NaN;
  if (s === Infinity) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return Math.exp(0.5 * x) * normCdf(-(h + t)) + Math.exp(-0.5 * x) * normCdf(h - t);
}
