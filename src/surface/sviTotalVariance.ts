import type { SviRawParams } from './types.ts';
import { validateSviRawParams } from './validateSviParams.ts';

/**
 * Raw SVI total implied variance w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2))
 * at log-forward moneyness k = ln(K/F) (reference/methods.md §3.1). Dimensionless (sigma_BS^2 * T).
 * Validates the parameters (SurfaceDomainError naming the field); returns NaN when k is NaN.
 */
export function sviTotalVariance(params: SviRawParams, k: number): number {
  validateSviRawParams(params);
  return sviTotalVarianceUnchecked(params, k);
}

/** Raw SVI total variance without parameter validation (for hot loops on already validated parameters). */
export function sviTotalVarianceUnchecked(params: SviRawParams, k: number): number {
  const x = k - params.m;
  return params.a + params.b * (params.rho * x + Math.sqrt(x * x + params.sigma * params.sigma));
}

/**
 * First derivative dw/dk = b (rho + (k - m)/R), R = sqrt((k - m)^2 + sigma^2), of raw SVI total
 * variance with respect to log-moneyness. Parameters are not validated.
 */
export function sviFirstDerivative(params: SviRawParams, k: number): number {
  const x = k - params.m;
  const r = Math.sqrt(x * x + params.sigma * params.sigma);
  return params.b * (params.rho + x / r);
}

/**
 * Second derivative d2w/dk2 = b sigma^2 / R^3 (R as in sviFirstDerivative) of raw SVI total variance
 * with respect to log-moneyness. Parameters are not validated.
 */
export function sviSecondDerivative(params: SviRawParams, k: number): number {
  const x = k - params.m;
  const s2 = params.sigma * params.sigma;
  const r = Math.sqrt(x * x + s2);
  return (params.b * s2) / (r * r * r);
}

/**
 * Batch raw SVI total variance over a Float64Array of log-moneyness values. Writes into `out` when
 * given (must have length >= n) and returns it; allocates otherwise. Parameters are validated once.
 */
export function sviTotalVarianceBatch(
  params: SviRawParams,
  k: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  validateSviRawParams(params);
  const n = k.length;
  const result = out ?? new Float64Array(n);
  const { a, b, rho, m, sigma } = params;
  const s2 = sigma * sigma;
  for (let i = 0; i < n; i++) {
    const x = (k[i] as number) - m;
    result[i] = a + b * (rho * x + Math.sqrt(x * x + s2));
  }
  return result;
}
