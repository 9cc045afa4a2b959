/**
 * Simulate a Gaussian GARCH(1,1) path (model of garchVariance.ts): h_1 = omega / (1 - alpha - beta)
 * for the first burn-in step, r_t = mu + sqrt(h_t) z_t with z_t = rng.nextNormal(), then the recursion;
 * the first `burnIn` draws are discarded. Pure: randomness comes from the supplied generator.
 */
import { CorrelationInputError } from '../errors.ts';
import { readGarchParams, type GarchParams } from './garchVariance.ts';

/** Anything that draws standard normal deviates (e.g. createRng(seed) from src/math). */
export interface NormalSource {
  nextNormal(): number;
}

/** Simulated path: returns and the conditional variances h_t that generated them. */
export interface GarchPath {
  readonly returns: Float64Array;
  readonly variance: Float64Array;
}

/** Simulate `length` GARCH(1,1) returns after `burnIn` discarded steps (default 500). */
export function simulateGarch(params: GarchParams, options: { readonly length: number; readonly rng: NormalSource; readonly burnIn?: number }): GarchPath {
  const p = readGarchParams(params, 'unconditional');
  const { length, rng } = options;
  const burnIn = options.burnIn ?? 500;
  if (!Number.isInteger(length) || length < 1) throw new CorrelationInputError('BAD_OPTION', 'options.length', length, 'must be a positive integer');
  if (!Number.isInteger(burnIn) || burnIn < 0) throw new CorrelationInputError('BAD_OPTION', 'options.burnIn', burnIn, 'must be a non-negative integer');
  const returns = new Float64Array(length);
  const variance = new Float64Array(length);
  let h = p.omega / (1 - p.alpha - p.beta);
  for (let t = 0; t < burnIn + length; t++) {
    const e = Math.sqrt(h) * rng.nextNormal();
    if (t >= burnIn) {
      returns[t - burnIn] = p.mu + e;
      variance[t - burnIn] = h;
    }
    h = p.omega + p.alpha * e * e + p.beta * h;
  }
  return Object.freeze({ returns, variance });
}
