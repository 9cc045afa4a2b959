/**
 * The regularized incomplete gamma functions P(a, x) = gamma(a, x) / Gamma(a) and Q(a, x) = 1 - P(a, x), each
 * computed directly (never as 1 minus a number near 1) where it is the small one, so the chi-square upper tail
 * keeps its relative accuracy down to the underflow threshold (jstat's 1 - cdf stops at about 1e-16).
 *
 * Method (Numerical Recipes 3rd ed. §6.2): the power series for P when x < a + 1, the Legendre continued fraction
 * for Q (modified Lentz) otherwise; the common factor x^a e^-x / Gamma(a + 1) is Loader's
 * exp(-bd0(a, x) - stirlerr(a)) / sqrt(2 pi a), exact in the exponent up to rounding even for large a and x.
 * Closed forms: Q(1/2, x) = erfc(sqrt x), Q(1, x) = e^-x (chi-square with 1 and 2 degrees of freedom).
 * Accuracy: see test/backtest/special.test.ts (against mpmath at 40 digits).
 */
import { erf, erfc } from '../../../math/index.ts';
import { bd0 } from './deviance.ts';
import { stirlingError } from './stirlingError.ts';

const TWO_PI = 2 * Math.PI;
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100000;

/** x^a e^-x / Gamma(a + 1), for a > 0, x > 0. */
function poissonFactor(a: number, x: number): number {
  return Math.exp(-bd0(a, x) - stirlingError(a)) / Math.sqrt(TWO_PI * a);
}

/** P(a, x) by its power series (use for x < a + 1). */
function seriesP(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < MAX_ITERATIONS; k++) {
    term *= x / (a + k);
    sum += term;
    if (term < sum * EPS) return poissonFactor(a, x) * sum;
  }
  return Number.NaN;
}

/** Q(a, x) by the continued fraction (use for x >= a + 1). */
function continuedFractionQ(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return a * poissonFactor(a, x) * h;
  }
  return Number.NaN;
}

function special(a: number, x: number): number | undefined {
  if (Number.isNaN(a) || Number.isNaN(x) || !(a > 0) || x < 0 || a === Number.POSITIVE_INFINITY) return Number.NaN;
  return undefined;
}

/**
 * Q(a, x) = Gamma(a, x) / Gamma(a), the upper tail, for a > 0 and x >= 0 (NaN otherwise). Q(a, 0) = 1,
 * Q(a, Infinity) = 0.
 */
export function regularizedGammaQ(a: number, x: number): number {
  const bad = special(a, x);
  if (bad !== undefined) return bad;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (a === 0.5) return erfc(Math.sqrt(x));
  if (a === 1) return Math.exp(-x);
  if (x < a + 1) return 1 - seriesP(a, x);
  return continuedFractionQ(a, x);
}

/** P(a, x) = gamma(a, x) / Gamma(a), the lower tail, for a > 0 and x >= 0 (NaN otherwise). */
export function regularizedGammaP(a: number, x: number): number {
  const bad = special(a, x);
  if (bad !== undefined) return bad;
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (a === 0.5) return erf(Math.sqrt(x));
  if (a === 1) return -Math.expm1(-x);
  if (x < a + 1) return seriesP(a, x);
  return 1 - continuedFractionQ(a, x);
}
