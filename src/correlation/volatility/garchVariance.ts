/**
 * GARCH(1,1) (Bollerslev 1986) conditional variance filter and Gaussian log-likelihood.
 *
 *   r_t = mu + eps_t,   h_t = omega + alpha eps_{t-1}^2 + beta h_{t-1},   t = 2..T,
 *   h_1 = initial variance: 'sample' (default) = mean(eps_t^2) over the series (eps = r - mu);
 *         'unconditional' = omega / (1 - alpha - beta); or a given positive number,
 *   log L = -1/2 sum_{t=1..T} [ ln(2 pi) + ln h_t + eps_t^2 / h_t ],
 *   nextVariance = h_{T+1} = omega + alpha eps_T^2 + beta h_T.
 * Units: returns per period (daily returns give daily variances). h_t uses information up to t - 1.
 */
import { CorrelationInputError } from '../errors.ts';
import { readSeries, type ConditionalVolatility } from './ewmaVolatility.ts';

/** GARCH(1,1) parameters (mu defaults to 0). */
export interface GarchParams {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  readonly mu?: number;
}

/** How h_1 is chosen; see the module comment. */
export type GarchInitialVariance = 'sample' | 'unconditional' | number;

const LN_2PI = Math.log(2 * Math.PI);

/**
 * Flat kernel: fill `h` (length T) with h_1..h_T and return { logLikelihood, nextVariance }.
 * Non-positive or non-finite variances give logLikelihood = -Infinity (an infeasible point).
 */
export function garchFilterKernel(
  r: Float64Array,
  omega: number,
  alpha: number,
  beta: number,
  mu: number,
  initial: GarchInitialVariance,
  h: Float64Array,
  perObservation?: Float64Array,
): { logLikelihood: number; nextVariance: number } {
  const T = r.length;
  let h0: number;
  if (initial === 'sample') {
    h0 = 0;
    for (let t = 0; t < T; t++) {
      const e = r[t]! - mu;
      h0 += e * e;
    }
    h0 /= T;
  } else if (initial === 'unconditional') {
    h0 = omega / (1 - alpha - beta);
  } else {
    h0 = initial;
  }
  let ll = 0;
  let ht = h0;
  let ePrev = 0;
  for (let t = 0; t < T; t++) {
    if (t > 0) ht = omega + alpha * ePrev * ePrev + beta * ht;
    if (!(ht > 0) || !Number.isFinite(ht)) return { logLikelihood: Number.NEGATIVE_INFINITY, nextVariance: Number.NaN };
    h[t] = ht;
    const e = r[t]! - mu;
    const lt = -0.5 * (LN_2PI + Math.log(ht) + (e * e) / ht);
    if (perObservation !== undefined) perObservation[t] = lt;
    ll += lt;
    ePrev = e;
  }
  return { logLikelihood: ll, nextVariance: omega + alpha * ePrev * ePrev + beta * ht };
}

/** Validate GARCH parameters (omega > 0, alpha >= 0, beta >= 0; alpha + beta < 1 for 'unconditional'). */
export function readGarchParams(params: GarchParams, initial: GarchInitialVariance): { omega: number; alpha: number; beta: number; mu: number } {
  if (params === null || typeof params !== 'object') throw new CorrelationInputError('BAD_OPTION', 'params', params, 'expected { omega, alpha, beta, mu? }');
  const { omega, alpha, beta } = params;
  const mu = params.mu ?? 0;
  if (typeof omega !== 'number' || !(omega > 0) || !Number.isFinite(omega)) throw new CorrelationInputError('BAD_OPTION', 'params.omega', omega, 'must be positive and finite');
  if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw new CorrelationInputError('BAD_OPTION', 'params.alpha', alpha, 'must be >= 0');
  if (typeof beta !== 'number' || !(beta >= 0) || !Number.isFinite(beta)) throw new CorrelationInputError('BAD_OPTION', 'params.beta', beta, 'must be >= 0');
  if (typeof mu !== 'number' || !Number.isFinite(mu)) throw new CorrelationInputError('BAD_OPTION', 'params.mu', mu, 'must be finite');
  if (initial === 'unconditional' && !(alpha + beta < 1)) {
    throw new CorrelationInputError('BAD_OPTION', 'params.beta', beta, 'alpha + beta must be < 1 for an unconditional initial variance');
  }
  if (typeof initial === 'number' && !(initial > 0 && Number.isFinite(initial))) {
    throw new CorrelationInputError('BAD_OPTION', 'options.initialVariance', initial, 'must be positive and finite');
  }
  if (initial !== 'sample' && initial !== 'unconditional' && typeof initial !== 'number') {
    throw new CorrelationInputError('BAD_OPTION', 'options.initialVariance', initial, "expected 'sample', 'unconditional' or a positive number");
  }
  return { omega, alpha, beta, mu };
}

/**
 * GARCH(1,1) conditional variance series of one asset's returns (oldest first) for given parameters,
 * with standardised residuals (r_t - mu)/sqrt(h_t) and the Gaussian log-likelihood.
 */
export function garchVolatility(
  returns: ArrayLike<number>,
  params: GarchParams,
  options: { readonly initialVariance?: GarchInitialVariance } = {},
): ConditionalVolatility & { readonly logLikelihood: number } {
  const initial = options.initialVariance ?? 'sample';
  const p = readGarchParams(params, initial);
  const r = readSeries(returns, 'returns', 1);
  return conditionalFromFilter(r, p.omega, p.alpha, p.beta, p.mu, initial);
}

/** Run the filter and package the series (shared with fitGarch). */
export function conditionalFromFilter(
  r: Float64Array,
  omega: number,
  alpha: number,
  beta: number,
  mu: number,
  initial: GarchInitialVariance,
): ConditionalVolatility & { readonly logLikelihood: number } {
  const T = r.length;
  const variance = new Float64Array(T);
  const { logLikelihood, nextVariance } = garchFilterKernel(r, omega, alpha, beta, mu, initial, variance);
  const volatility = new Float64Array(T);
  const z = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const s = Math.sqrt(variance[t]!);
    volatility[t] = s;
    z[t] = (r[t]! - mu) / s;
  }
  return Object.freeze({ variance, volatility, standardizedResiduals: z, nextVariance, nextVolatility: Math.sqrt(nextVariance), logLikelihood });
}
