/**
 * ln Gamma(x) for x > 0 (NaN for x <= 0 or NaN; Infinity for Infinity). Lanczos approximation with g = 671/128
 * and the 14 coefficients of Numerical Recipes, 3rd ed. (Press et al. 2007, §6.1 `gammln`), whose relative
 * error on Gamma is below 1e-15 over x > 0; for x > 15 the Stirling series (`stirlingSeries`), which is
 * accurate to a few ulps of ln Gamma there. Absolute error a few 1e-16 near the zeros at x = 1 and 2.
 */
import { stirlingSeries } from './stirlingSeries.ts';

const COEFFICIENTS: readonly number[] = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
];
const LN_SQRT_2PI = 0.91893853320467274178;

/** ln Gamma(x), x > 0 (see the module note for accuracy). */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x > 15) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingSeries(x);
  let y = x;
  let series = 0.999999999999997092;
  for (const c of COEFFICIENTS) {
    y += 1;
    series += c / y;
  }
  const t = x + 5.2421875;
  return (x + 0.5) * Math.log(t) - t + Math.log((2.5066282746310005 * series) / x);
}
