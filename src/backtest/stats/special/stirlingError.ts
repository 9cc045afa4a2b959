/**
 * The error of Stirling's formula, stirlerr(a) = ln Gamma(a + 1) - [(a + 1/2) ln a - a + ln sqrt(2 pi)], the
 * building block of C. Loader's saddle-point binomial and Poisson densities ("Fast and accurate computation of
 * binomial probabilities", 2000; R's nmath/stirlerr.c), which are accurate to a few ulps where the textbook
 * `exp(lnC(n,k) + k ln p + ...)` loses digits to cancellation.
 */
import { logGamma } from './logGamma.ts';
import { stirlingSeries } from './stirlingSeries.ts';

/**
 * stirlerr(k/2) for k = 1..30, i.e. a = 0.5, 1, ..., 15: computed with mpmath 1.2.1 at 40 digits
 * (loggamma(a+1) - (a+1/2) log(a) + a - log(2 pi)/2) and rounded to the nearest double. The same values as
 * R's `sferr_halves` table.
 */
const STIRLERR_HALVES: readonly number[] = [
  0.15342640972002736, 0.08106146679532726, 0.05481412105191765, 0.0413406959554093, 0.03316287351993629,
  0.02767792568499834, 0.023746163656297496, 0.020790672103765093, 0.018488450532673187, 0.016644691189821193,
  0.015134973221917378, 0.013876128823070748, 0.012810465242920227, 0.01189670994589177, 0.011104559758206917,
  0.010411265261972096, 0.009799416126158804, 0.009255462182712733, 0.008768700134139386, 0.00833056343336287,
  0.00793411456431402, 0.007573675487951841, 0.007244554301320383, 0.00694284010720953, 0.006665247032707682,
  0.006408994188004207, 0.006171712263039458, 0.0059513701127588475, 0.0057462165130101155, 0.005554733551962801,
];

const LN_SQRT_2PI = 0.91893853320467274178;

/**
 * stirlerr(a) for a > 0 (NaN otherwise; Infinity gives 0). Half-integers up to 15 come from an exact table;
 * a > 15 from the asymptotic series (`stirlingSeries`); other a <= 15 from `logGamma` (absolute error a few 1e-16).
 */
export function stirlingError(a: number): number {
  if (!(a > 0)) return Number.NaN;
  if (a <= 15) {
    const twice = 2 * a;
    if (twice === Math.floor(twice)) return STIRLERR_HALVES[twice - 1] as number;
    return logGamma(a + 1) - (a + 0.5) * Math.log(a) + a - LN_SQRT_2PI;
  }
  return stirlingSeries(a);
}
