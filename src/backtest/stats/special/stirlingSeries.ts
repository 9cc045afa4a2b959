/**
 * The asymptotic (Stirling) series of stirlerr(a) = ln Gamma(a + 1) - [(a + 1/2) ln a - a + ln sqrt(2 pi)] for
 * a > 15: 1/(12a) - 1/(360a^3) + 1/(1260a^5) - 1/(1680a^7) + 1/(1188a^9), truncated by size of a as in R's
 * nmath/stirlerr.c; the truncation error is below 2e-16 absolute for every a > 15. Do not use for a <= 15.
 */
const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

/** stirlerr(a) from its asymptotic series, for a > 15 (see the module note). */
export function stirlingSeries(a: number): number {
  const aa = a * a;
  if (a > 500) return (S0 - S1 / aa) / a;
  if (a > 80) return (S0 - (S1 - S2 / aa) / aa) / a;
  if (a > 35) return (S0 - (S1 - (S2 - S3 / aa) / aa) / aa) / a;
  return (S0 - (S1 - (S2 - (S3 - S4 / aa) / aa) / aa) / aa) / a;
}
