import { SurfaceDomainError } from './errors.ts';
import type { EssviSliceParams, SsviParams, SviRawParams } from './types.ts';

/**
 * Validates SSVI parameters: |rho| < 1; power-law families need finite eta > 0 and finite gamma
 * (gamma in [0, 1] is required for absence of calendar arbitrage but is not enforced here, so that arbitrage
 * checks can be run on any parameter set); Heston-like needs finite lambda > 0. Throws SurfaceDomainError.
 */
export function validateSsviParams(params: SsviParams, prefix = 'params'): SsviParams {
  if (params === null || typeof params !== 'object') throw new SurfaceDomainError(prefix, params, 'SSVI parameters must be an object');
  if (!(Math.abs(params.rho) < 1)) throw new SurfaceDomainError(`${prefix}.rho`, params.rho, 'must satisfy |rho| < 1');
  if (params.phi === 'heston-like') {
    if (!(params.lambda > 0) || !Number.isFinite(params.lambda)) {
      throw new SurfaceDomainError(`${prefix}.lambda`, params.lambda, 'must be finite and > 0');
    }
    return params;
  }
  if (params.phi !== undefined && params.phi !== 'power-law' && params.phi !== 'power-law-gj') {
    throw new SurfaceDomainError(`${prefix}.phi`, params.phi, "must be 'power-law', 'power-law-gj' or 'heston-like'");
  }
  if (!(params.eta > 0) || !Number.isFinite(params.eta)) throw new SurfaceDomainError(`${prefix}.eta`, params.eta, 'must be finite and > 0');
  if (!Number.isFinite(params.gamma)) throw new SurfaceDomainError(`${prefix}.gamma`, params.gamma, 'must be finite');
  return params;
}

function validateTheta(theta: number, field = 'theta'): void {
  if (!(theta > 0) || !Number.isFinite(theta)) throw new SurfaceDomainError(field, theta, 'ATM total variance must be finite and > 0');
}

/**
 * SSVI curvature phi(theta) (Gatheral & Jacquier 2014 §4; reference/methods.md §3.5), theta = ATM total variance:
 * power-law eta theta^-gamma; power-law-gj eta/(theta^gamma (1+theta)^(1-gamma));
 * heston-like 1/(lambda theta) (1 - (1 - e^(-lambda theta))/(lambda theta)). Parameters are not validated.
 */
export function ssviPhi(params: SsviParams, theta: number): number {
  if (params.phi === 'heston-like') {
    const x = params.lambda * theta;
    // 1 - (1 - e^-x)/x = (x - 1 + e^-x)/x, evaluated with expm1 for small x
    const inner = x < 1e-4 ? x / 2 - (x * x) / 6 + (x * x * x) / 24 : (x + Math.expm1(-x)) / x;
    return inner / x;
  }
  if (params.phi === 'power-law-gj') return params.eta / (Math.pow(theta, params.gamma) * Math.pow(1 + theta, 1 - params.gamma));
  return params.eta * Math.pow(theta, -params.gamma);
}

/**
 * Derivative d(theta phi(theta))/dtheta used in the calendar condition of Gatheral & Jacquier (2014, Thm 4.1):
 * power-law (1 - gamma) phi; power-law-gj (1 - gamma) phi/(1 + theta);
 * heston-like (1 - e^(-x) - x e^(-x))/x^2 with x = lambda theta.
 * Parameters are not validated.
 */
export function ssviThetaPhiDerivative(params: SsviParams, theta: number): number {
  if (params.phi === 'heston-like') {
    // theta phi = (1/lambda)(1 - (1 - e^-x)/x), x = lambda theta; d/dtheta = (1 - e^-x - x e^-x)/x^2
    const x = params.lambda * theta;
    if (x < 1e-4) return 0.5 - x / 3 + (x * x) / 8;
    const e = Math.exp(-x);
    return (-Math.expm1(-x) - x * e) / (x * x);
  }
  const phi = ssviPhi(params, theta);
  if (params.phi === 'power-law-gj') return ((1 - params.gamma) * phi) / (1 + theta);
  return (1 - params.gamma) * phi;
}

/**
 * SSVI total implied variance (Gatheral & Jacquier 2014, eq. 4.1; reference/methods.md §3.5):
 * w(k, theta) = theta/2 (1 + rho phi(theta) k + sqrt((phi(theta) k + rho)^2 + 1 - rho^2)),
 * k = ln(K/F_T), theta = ATM total variance of the expiry (> 0). Validates parameters and theta
 * (SurfaceDomainError); returns NaN when k is NaN.
 */
export function ssviTotalVariance(params: SsviParams, k: number, theta: number): number {
  validateSsviParams(params);
  validateTheta(theta);
  const phi = ssviPhi(params, theta);
  const rho = params.rho;
  const pk = phi * k;
  return (theta / 2) * (1 + rho * pk + Math.sqrt((pk + rho) * (pk + rho) + 1 - rho * rho));
}

/**
 * The raw SVI slice of an SSVI surface at ATM total variance theta (reference/methods.md §3.5):
 * a = theta(1 - rho^2)/2, b = theta phi/2, rho, m = -rho/phi, sigma = sqrt(1 - rho^2)/phi.
 */
export function ssviToRawSvi(params: SsviParams, theta: number): SviRawParams {
  validateSsviParams(params);
  validateTheta(theta);
  return essviToRawSvi({ theta, rho: params.rho, psi: theta * ssviPhi(params, theta) });
}

/** Validates an eSSVI slice: theta > 0, |rho| < 1, psi >= 0, all finite (SurfaceDomainError). */
export function validateEssviSlice(slice: EssviSliceParams, prefix = 'slice'): EssviSliceParams {
  validateTheta(slice.theta, `${prefix}.theta`);
  if (!(Math.abs(slice.rho) < 1)) throw new SurfaceDomainError(`${prefix}.rho`, slice.rho, 'must satisfy |rho| < 1');
  if (!(slice.psi >= 0) || !Number.isFinite(slice.psi)) throw new SurfaceDomainError(`${prefix}.psi`, slice.psi, 'must be finite and >= 0');
  return slice;
}

/**
 * eSSVI slice total variance (Hendriks & Martini 2019; reference/methods.md §3.6), psi = theta phi:
 * w(k) = 1/2 (theta + rho psi k + sqrt((psi k + rho theta)^2 + (1 - rho^2) theta^2)). Validates the slice.
 */
export function essviTotalVariance(slice: EssviSliceParams, k: number): number {
  validateEssviSlice(slice);
  return essviTotalVarianceUnchecked(slice.theta, slice.rho, slice.psi, k);
}

/** eSSVI slice total variance without validation (hot loops). */
export function essviTotalVarianceUnchecked(theta: number, rho: number, psi: number, k: number): number {
  const u = psi * k + rho * theta;
  return 0.5 * (theta + rho * psi * k + Math.sqrt(u * u + (1 - rho * rho) * theta * theta));
}

/**
 * The raw SVI form of an eSSVI slice: a = theta(1 - rho^2)/2, b = psi/2, m = -rho theta/psi,
 * sigma = theta sqrt(1 - rho^2)/psi; a flat slice (a = theta, b = 0, m = 0, sigma = 1) when psi = 0.
 */
export function essviToRawSvi(slice: EssviSliceParams): SviRawParams {
  validateEssviSlice(slice);
  const { theta, rho, psi } = slice;
  if (psi === 0) return Object.freeze({ a: theta, b: 0, rho: 0, m: 0, sigma: 1 });
  const phi = psi / theta;
  return Object.freeze({
    a: (theta * (1 - rho * rho)) / 2,
    b: psi / 2,
    rho,
    m: -rho / phi,
    sigma: Math.sqrt(1 - rho * rho) / phi,
  });
}
