import type { SviRawParams } from './types.ts';

/**
 * Durrleman's function (reference/methods.md §3.2; Gatheral & Jacquier 2014, eq. 2.1):
 * g(k) = (1 - k w'/(2w))^2 - (w'^2/4)(1/w + 1/4) + w''/2, from the total variance w > 0 and its first
 * and second derivatives in log-moneyness k. A slice is free of butterfly arbitrage iff g >= 0 everywhere
 * (together with w > 0 and the large-moneyness limits). Note the last term is w''/2, not w''^2/2.
 * Returns NaN when w <= 0 (g undefined) or any input is NaN.
 */
export function durrlemanGFromDerivatives(k: number, w: number, w1: number, w2: number): number {
  if (!(w > 0)) return Number.NaN;
  const t = 1 - (k * w1) / (2 * w);
  return t * t - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/**
 * Durrleman's g(k) for a raw SVI slice (parameters not validated), using the closed-form derivatives
 * w' = b(rho + (k-m)/R) and w'' = b sigma^2/R^3, R = sqrt((k-m)^2 + sigma^2).
 */
export function sviDurrlemanG(params: SviRawParams, k: number): number {
  const { a, b, rho, m, sigma } = params;
  const x = k - m;
  const s2 = sigma * sigma;
  const r = Math.sqrt(x * x + s2);
  const w = a + b * (rho * x + r);
  const w1 = b * (rho + x / r);
  const w2 = (b * s2) / (r * r * r);
  return durrlemanGFromDerivatives(k, w, w1, w2);
}

/**
 * Risk-neutral density of the log-moneyness x = ln(S_T/F) at x = k implied by a total-variance smile
 * (reference/methods.md §3.2): p(k) = g(k)/sqrt(2 pi w) * exp(-d_minus^2/2), d_minus = -k/sqrt(w) - sqrt(w)/2.
 * The density of S_T at strike K = F e^k is p(k)/K (= d2C/dK2 for undiscounted calls).
 */
export function densityFromDurrleman(k: number, w: number, g: number): number {
  const sw = Math.sqrt(w);
  const dMinus = -k / sw - sw / 2;
  return (g / Math.sqrt(2 * Math.PI * w)) * Math.exp(-0.5 * dMinus * dMinus);
}

/** Risk-neutral log-moneyness density p(k) of a raw SVI slice (see densityFromDurrleman); NaN where w <= 0. */
export function sviLogMoneynessDensity(params: SviRawParams, k: number): number {
  const x = k - params.m;
  const w = params.a + params.b * (params.rho * x + Math.sqrt(x * x + params.sigma * params.sigma));
  return densityFromDurrleman(k, w, sviDurrlemanG(params, k));
}
