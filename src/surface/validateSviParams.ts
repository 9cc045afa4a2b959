import { SurfaceDomainError } from './errors.ts';
import type { SviRawParams } from './types.ts';

/** A reason why a raw SVI parameter set is outside the domain, naming the field. */
export interface SviParamsProblem {
  readonly field: 'a' | 'b' | 'rho' | 'm' | 'sigma';
  readonly value: number;
  readonly message: string;
}

/**
 * Relative tolerance on the condition a + b sigma sqrt(1 - rho^2) >= 0: the minimum total variance may
 * be negative by at most 1e-12 * (|a| + b sigma) to absorb rounding in parameter conversions.
 */
export const SVI_MIN_VARIANCE_RELATIVE_TOLERANCE = 1e-12;

/**
 * Checks a raw SVI parameter set against the domain of reference/methods.md §3.1:
 * all finite, b >= 0, |rho| < 1, sigma > 0, a + b sigma sqrt(1 - rho^2) >= 0 (min total variance
 * non-negative, with the relative tolerance SVI_MIN_VARIANCE_RELATIVE_TOLERANCE).
 * Returns the first problem found, or null when the parameters are valid. Never throws.
 */
export function checkSviRawParams(params: SviRawParams): SviParamsProblem | null {
  const { a, b, rho, m, sigma } = params;
  if (!Number.isFinite(a)) return { field: 'a', value: a, message: 'must be a finite number' };
  if (!Number.isFinite(b)) return { field: 'b', value: b, message: 'must be a finite number' };
  if (!Number.isFinite(rho)) return { field: 'rho', value: rho, message: 'must be a finite number' };
  if (!Number.isFinite(m)) return { field: 'm', value: m, message: 'must be a finite number' };
  if (!Number.isFinite(sigma)) return { field: 'sigma', value: sigma, message: 'must be a finite number' };
  if (b < 0) return { field: 'b', value: b, message: 'must be >= 0' };
  if (!(Math.abs(rho) < 1)) return { field: 'rho', value: rho, message: 'must satisfy |rho| < 1' };
  if (!(sigma > 0)) return { field: 'sigma', value: sigma, message: 'must be > 0' };
  const minW = a + b * sigma * Math.sqrt(1 - rho * rho);
  if (minW < -SVI_MIN_VARIANCE_RELATIVE_TOLERANCE * (Math.abs(a) + b * sigma)) {
    return {
      field: 'a',
      value: a,
      message: `minimum total variance a + b*sigma*sqrt(1-rho^2) = ${minW} must be >= 0`,
    };
  }
  return null;
}

/**
 * Throws SurfaceDomainError (field `${prefix}.${name}`) when the raw SVI parameters are outside the
 * domain described in checkSviRawParams; returns the parameters unchanged otherwise.
 */
export function validateSviRawParams(params: SviRawParams, prefix = 'params'): SviRawParams {
  if (params === null || typeof params !== 'object') {
    throw new SurfaceDomainError(prefix, params, 'SVI parameters must be an object { a, b, rho, m, sigma }');
  }
  const problem = checkSviRawParams(params);
  if (problem !== null) throw new SurfaceDomainError(`${prefix}.${problem.field}`, problem.value, problem.message);
  return params;
}
