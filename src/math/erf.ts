/**
 * The error function family after W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631-638, in the form of his netlib SPECFUN routine CALERF (1990). The coefficients are
 * Cody's; the rational functions approximate erf and erfc to at least 18 significant digits in exact arithmetic,
 * so in IEEE doubles the results are within a few ulps, relative, over the whole range, including erfc in the
 * far tail where 1 - erf(x) would cancel completely.
 *
 * - `erf(x)`   = 2/sqrt(pi) * integral_0^x exp(-t^2) dt
 * - `erfc(x)`  = 1 - erf(x), without the cancellation
 * - `erfcx(x)` = exp(x^2) * erfc(x), the scaled complement, finite and smooth for large positive x
 *
 * NaN in gives NaN out.
 */

// erf on |x| <= 0.46875: x * P(x^2) / Q(x^2)
const A0 = 3.1611237438705656, A1 = 113.864154151050156, A2 = 377.485237685302021, A3 = 3209.37758913846947;
const A4 = 0.185777706184603153;
const B0 = 23.6012909523441209, B1 = 244.024637934444173, B2 = 1282.61652607737228, B3 = 2844.23683343917062;
// erfcx on 0.46875 < |x| <= 4
const C0 = 0.564188496988670089, C1 = 8.88314979438837594, C2 = 66.1191906371416295, C3 = 298.635138197400131;
const C4 = 881.95222124176909, C5 = 1712.04761263407058, C6 = 2051.07837782607147, C7 = 1230.33935479799725;
const C8 = 2.15311535474403846e-8;
const D0 = 15.7449261107098347, D1 = 117.693950891312499, D2 = 537.181101862009858, D3 = 1621.38957456669019;
const D4 = 3290.79923573345963, D5 = 4362.61909014324716, D6 = 3439.36767414372164, D7 = 1230.33935480374942;
// erfcx on |x| > 4: (1/sqrt(pi) - R(1/x^2)/x^2) / x
const P0 = 0.305326634961232344, P1 = 0.360344899949804439, P2 = 0.125781726111229246, P3 = 0.0160837851487422766;
const P4 = 6.58749161529837803e-4, P5 = 0.0163153871373020978;
const Q0 = 2.56852019228982242, Q1 = 1.87295284992346047, Q2 = 0.527905102951428412, Q3 = 0.0605183413124413191;
const Q4 = 0.00233520497626869185;

const ONE_OVER_SQRT_PI = 0.56418958354775628695;
const THRESHOLD = 0.46875;
/** Above this, erfc(x) underflows to 0 (Cody's XBIG for IEEE doubles). */
const ERFC_ZERO_ABOVE = 26.543;
/** Above this, erfcx(x) = 1/(sqrt(pi) x) to machine precision (Cody's XHUGE). */
const ERFCX_ASYMPTOTIC_ABOVE = 6.71e7;
/** Below this, erfcx(x) = 2 exp(x^2) overflows (Cody's XNEG). */
const ERFCX_OVERFLOW_BELOW = -26.628;

/** erf on |x| <= 0.46875. */
function erfSmall(x: number): number {
  const y = Math.abs(x);
  const ysq = y > 1.11e-16 ? y * y : 0;
  const num = (((A4 * ysq + A0) * ysq + A1) * ysq + A2) * ysq + A3;
  const den = (((ysq + B0) * ysq + B1) * ysq + B2) * ysq + B3;
  return (x * num) / den;
}

/** erfcx(y) for 0.46875 < y, y not NaN. */
function erfcxPositiveTail(y: number): number {
  // Horner's scheme written out (the same operations in the same order as a loop over C, D, P, Q, so the same
  // bits; V8 keeps the unrolled form in registers, without the array loads and bounds checks)
  if (y <= 4) {
    const num = ((((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y) + C7;
    const den = ((((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y) + D7;
    return num / den;
  }
  if (y >= ERFCX_ASYMPTOTIC_ABOVE) return ONE_OVER_SQRT_PI / y;
  const ysq = 1 / (y * y);
  const num = (((((P5 * ysq + P0) * ysq + P1) * ysq + P2) * ysq + P3) * ysq) + P4;
  const den = (((((ysq + Q0) * ysq + Q1) * ysq + Q2) * ysq + Q3) * ysq) + Q4;
  const r = (ysq * num) / den;
  return (ONE_OVER_SQRT_PI - r) / y;
}

/**
 * exp(-y^2) for y >= 0 without the error of rounding y^2: y = yh + (y - yh) with yh = trunc(16 y)/16, so
 * yh^2 is exact and the small remainder (y-yh)(y+yh) carries the rest (Cody's device).
 */
export function expNegSquare(y: number): number {
  const yh = Math.trunc(y * 16) / 16;
  const del = (y - yh) * (y + yh);
  return Math.exp(-yh * yh) * Math.exp(-del);
}

/** exp(+y^2) with the same splitting as `expNegSquare`. */
function expSquare(y: number): number {
  const yh = Math.trunc(y * 16) / 16;
  const del = (y - yh) * (y + yh);
  return Math.exp(yh * yh) * Math.exp(del);
}

/** The error function erf(x). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return erfSmall(x);
  if (!(y === y)) return NaN;
  const c = y >= ERFC_ZERO_ABOVE ? 0 : expNegSquare(y) * erfcxPositiveTail(y);
  const r = 0.5 - c + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in relative terms for large positive x. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - erfSmall(x);
  if (!(y === y)) return NaN;
  const c = y >= ERFC_ZERO_ABOVE ? 0 : expNegSquare(y) * erfcxPositiveTail(y);
  return x < 0 ? 2 - c : c;
}

/**
 * The scaled complementary error function erfcx(x) = exp(x^2) erfc(x). For x > 0.46875 it is evaluated without any
 * exponential; for x < -26.628 the true value overflows and +Infinity is returned.
 */
export function erfcx(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) {
    const ysq = y * y;
    return Math.exp(ysq) * (1 - erfSmall(x));
  }
  if (!(y === y)) return NaN;
  const r = erfcxPositiveTail(y);
  if (x > 0) return r;
  if (x < ERFCX_OVERFLOW_BELOW) return Infinity;
  return 2 * expSquare(y) - r;
}
