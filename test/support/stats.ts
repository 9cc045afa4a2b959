/**
 * Goodness-of-fit helpers for testing random streams: Pearson's chi-square with its p-value from jstat, the
 * Kolmogorov-Smirnov statistic with the asymptotic Kolmogorov p-value, and sample moments.
 */
import jStat from 'jstat';

/** Pearson's chi-square statistic of observed counts against expected counts, and its upper-tail p-value. */
export function chiSquareTest(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
): { readonly statistic: number; readonly dof: number; readonly pValue: number } {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i] as number;
    const d = (observed[i] as number) - e;
    statistic += (d * d) / e;
  }
  const dof = observed.length - 1;
  return { statistic, dof, pValue: 1 - jStat.chisquare.cdf(statistic, dof) };
}

/** Chi-square test that `draws` values in [0, 1) fall uniformly into `bins` equal bins. */
export function uniformBinsTest(
  draw: () => number,
  draws: number,
  bins: number,
): { readonly statistic: number; readonly dof: number; readonly pValue: number } {
  const counts = new Float64Array(bins);
  for (let i = 0; i < draws; i++) {
    const u = draw();
    const k = Math.floor(u * bins);
    if (!(k >= 0 && k < bins)) throw new RangeError(`draw outside [0, 1): ${u}`);
    counts[k] = (counts[k] as number) + 1;
  }
  return chiSquareTest(counts, new Float64Array(bins).fill(draws / bins));
}

/**
 * P(K > x) for the Kolmogorov distribution: 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2).
 */
export function kolmogorovTail(x: number): number {
  if (x <= 0) return 1;
  if (x < 0.2) return 1; // the series converges slowly there, and 1 - P(K > 0.2) < 1e-12
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * One-sample Kolmogorov-Smirnov test of `sample` against the continuous CDF `cdf`; p-value from the asymptotic
 * distribution with Stephens' small-sample correction sqrt(n) + 0.12 + 0.11 / sqrt(n) (Numerical Recipes 14.3).
 */
export function ksTest(
  sample: Float64Array,
  cdf: (x: number) => number,
): { readonly statistic: number; readonly pValue: number } {
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sqrtN = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovTail(d * (sqrtN + 0.12 + 0.11 / sqrtN)) };
}

/** Sample mean, variance (n - 1 denominator), skewness and excess kurtosis (moment estimators, m3/m2^1.5, m4/m2^2 - 3). */
export function sampleMoments(x: Float64Array): {
  readonly mean: number;
  readonly variance: number;
  readonly skewness: number;
  readonly excessKurtosis: number;
} {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] as number;
  const mean = s / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean, variance: (m2 * n) / (n - 1), skewness: m3 / m2 ** 1.5, excessKurtosis: m4 / (m2 * m2) - 3 };
}
