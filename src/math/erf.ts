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
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
] as const;
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
] as const;
// erfcx on |x| > 4: (1/sqrt(pi) - R(1/x^2)/x^2) / x
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
] as const;
const Q = [
  2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185,
] as const;

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
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  if (y >= ERFCX_ASYMPTOTIC_ABOVE) return ONE_OVER_SQRT_PI / y;
  const ysq = 1 / (y * y);
  let num = P[5] * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * ysq;
    den = (den + Q[i]!) * ysq;
  }
  const r = (ysq * (num + P[4])) / (den + Q[4]);
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
