/**
 * Rational cubic interpolation of Delbourgo & Gregory (IMA J. Numer. Anal. 3, 1983), as used for the initial guess
 * of "Let's Be Rational" (Jäckel 2015, §5): on [xl, xr] with values yl, yr and slopes dl, dr, and a control parameter
 * r >= -1 + sqrt(eps); r = 3 is the cubic Hermite interpolant, r -> infinity linear interpolation. The control
 * parameter can be chosen to match a second derivative at one end, and is then raised to the smallest value that
 * keeps the interpolant monotone and convex/concave where the data are (shape preservation).
 */

const MAXIMUM_CONTROL = 2 / (Number.EPSILON * Number.EPSILON);
const MINIMUM_CONTROL = -(1 - Math.sqrt(Number.EPSILON));

/** The rational cubic interpolant at x. */
export function rationalCubicInterpolation(
  x: number, xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, r: number,
): number {
  const h = xr - xl;
  if (Math.abs(h) <= 0) return 0.5 * (yl + yr);
  const t = (x - xl) / h;
  if (!(r < MAXIMUM_CONTROL)) return yr * t + yl * (1 - t);
  const omt = 1 - t;
  const t2 = t * t;
  const omt2 = omt * omt;
  return (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt) /
    (1 + (r - 3) * t * omt);
}

/** The smallest control parameter keeping the interpolant monotone and convex or concave as the data allow. */
function minimumShapePreservingControl(dl: number, dr: number, slope: number): number {
  const monotonic = dl * slope >= 0 && dr * slope >= 0;
  const convex = dl <= slope && slope <= dr;
  const concave = dl >= slope && slope >= dr;
  if (!monotonic && !convex && !concave) return MINIMUM_CONTROL;
  let r1 = -Infinity;
  let r2 = -Infinity;
  if (monotonic) r1 = slope !== 0 ? (dr + dl) / slope : MAXIMUM_CONTROL;
  if (convex || concave) {
    const sMinusDl = slope - dl;
    const drMinusS = dr - slope;
    const drMinusDl = dr - dl;
    r2 = sMinusDl !== 0 && drMinusS !== 0
      ? Math.max(Math.abs(drMinusDl / drMinusS), Math.abs(drMinusDl / sMinusDl))
      : MAXIMUM_CONTROL;
  } else if (monotonic) {
    r2 = MAXIMUM_CONTROL;
  }
  return Math.max(MINIMUM_CONTROL, r1, r2);
}

function clampControl(r: number, dl: number, dr: number, slope: number): number {
  const rMin = minimumShapePreservingControl(dl, dr, slope);
  const rr = Number.isNaN(r) ? rMin : r;
  return Math.min(Math.max(rr, rMin), MAXIMUM_CONTROL);
}

/** Control parameter matching the second derivative `d2l` at the left end, then made shape preserving. */
export function controlForLeftSecondDerivative(
  xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, d2l: number,
): number {
  const h = xr - xl;
  const numerator = 0.5 * h * d2l + (dr - dl);
  const slope = (yr - yl) / h;
  const denominator = slope - dl;
  let r: number;
  if (numerator === 0) r = 0;
  else if (denominator === 0) r = numerator > 0 ? MAXIMUM_CONTROL : MINIMUM_CONTROL;
  else r = numerator / denominator;
  return clampControl(r, dl, dr, slope);
}

/** Control parameter matching the second derivative `d2r` at the right end, then made shape preserving. */
export function controlForRightSecondDerivative(
  xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, d2r: number,
): number {
  const h = xr - xl;
  const numerator = 0.5 * h * d2r + (dr - dl);
  const slope = (yr - yl) / h;
  const denominator = dr - slope;
  let r: number;
  if (numerator === 0) r = 0;
  else if (denominator === 0) r = numerator > 0 ? MAXIMUM_CONTROL : MINIMUM_CONTROL;
  else r = numerator / denominator;
  return clampControl(r, dl, dr, slope);
}
