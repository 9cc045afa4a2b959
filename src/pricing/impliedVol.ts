/**
 * Implied volatility, public functions of DESIGN.md §6. Every one reduces to the undiscounted Black problem on the
 * forward and solves it with the "Let's Be Rational" iteration (impliedVolNormalised.ts): full double precision in at
 * most two Householder steps. Impossible inputs raise ImpliedVolError with a code; a price exactly at the intrinsic
 * value gives 0.
 */
import { ImpliedVolError, IMPLIED_VOL_STATUS, impliedVolCodeOfStatus } from './errors.ts';
import type { ImpliedVolDiagnostics } from './impliedVolNormalised.ts';
import { forwardMinusStrike, impliedVolKernelStatus, impliedVolUndiscountedKernel, logRatio } from './kernels.ts';
import type { Black76ImpliedVolInput, BsImpliedVolInput, InverseImpliedVolInput, OptionType } from './types.ts';

/** An implied vol with the solver's account of how it got there. */
export interface ImpliedVolResult {
  /** Annualised implied volatility. */
  readonly vol: number;
  /** Householder steps taken (at most 2). */
  readonly iterations: number;
  /** Why the iteration stopped: 'converged', 'iteration-limit' (the designed two steps) or 'zero-time-value'. */
  readonly stopReason: ImpliedVolDiagnostics['stopReason'];
  /** Branch of the rational initial guess. */
  readonly branch: ImpliedVolDiagnostics['branch'];
}

function sign(type: OptionType, value: unknown): 1 | -1 {
  if (type === 'call') return 1;
  if (type === 'put') return -1;
  throw new ImpliedVolError('INVALID_TYPE', 'type', NaN, `type ${String(value)} is not 'call' or 'put'`);
}

function requireNumber(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ImpliedVolError('INVALID_NUMBER', field, value, 'must be a finite number');
  }
  return value;
}

const FIELD_BY_CODE: Partial<Record<string, string>> = {
  NON_POSITIVE_EXPIRY: 'expiry', NON_POSITIVE_UNDERLYING: 'forward', NON_POSITIVE_STRIKE: 'strike',
  NEGATIVE_PRICE: 'price', BELOW_INTRINSIC: 'price', ABOVE_MAXIMUM: 'price',
};

function solve(
  priceUndiscounted: number, forward: number, strike: number, expiry: number, theta: 1 | -1, reportedPrice: number,
  diagnostics?: ImpliedVolDiagnostics, exact?: { fMinusK: number; lnFOverK: number },
): number {
  const vol = exact
    ? impliedVolUndiscountedKernel(priceUndiscounted, forward, strike, expiry, theta, diagnostics, exact.fMinusK, exact.lnFOverK)
    : impliedVolUndiscountedKernel(priceUndiscounted, forward, strike, expiry, theta, diagnostics);
  if (impliedVolKernelStatus !== IMPLIED_VOL_STATUS.OK) {
    const code = impliedVolCodeOfStatus(impliedVolKernelStatus);
    const field = FIELD_BY_CODE[code] ?? 'price';
    const value = field === 'price' ? reportedPrice : field === 'expiry' ? expiry : field === 'strike' ? strike : forward;
    throw new ImpliedVolError(code, field, value, describe(code, forward, strike, theta));
  }
  return vol;
}

function describe(code: string, F: number, K: number, theta: 1 | -1): string {
  switch (code) {
    case 'BELOW_INTRINSIC': return `below the intrinsic value ${Math.max(theta * (F - K), 0)} (undiscounted, forward ${F})`;
    case 'ABOVE_MAXIMUM': return `at or above the upper bound ${theta > 0 ? F : K} (undiscounted ${theta > 0 ? 'forward' : 'strike'})`;
    case 'NON_POSITIVE_EXPIRY': return 'expiry must be > 0 to imply a volatility';
    case 'NEGATIVE_PRICE': return 'price must be >= 0';
    default: return 'must be > 0';
  }
}

/** Black-Scholes implied vol with yield `carry`: inverts the discounted premium on F = S e^{(r-q)T}. */
export function impliedVol(input: BsImpliedVolInput): number {
  return impliedVolBsWith(input);
}

function impliedVolBsWith(input: BsImpliedVolInput, diagnostics?: ImpliedVolDiagnostics): number {
  const price = requireNumber('price', input.price);
  const spot = requireNumber('spot', input.spot);
  const strike = requireNumber('strike', input.strike);
  const expiry = requireNumber('expiry', input.expiry);
  const rate = requireNumber('rate', input.rate);
  const carry = requireNumber('carry', input.carry ?? 0);
  const theta = sign(input.type, input.type);
  if (!(spot > 0)) throw new ImpliedVolError('NON_POSITIVE_UNDERLYING', 'spot', spot, 'must be > 0');
  const mu = (rate - carry) * expiry;
  const forward = spot * Math.exp(mu);
  const exact = strike > 0 ? { fMinusK: forwardMinusStrike(spot, strike, mu), lnFOverK: logRatio(spot, strike) + mu } : undefined;
  return solve(price * Math.exp(rate * expiry), forward, strike, expiry, theta, price, diagnostics, exact);
}

/** Black-76 implied vol of a premium discounted at `rate`. */
export function impliedVolBlack76(input: Black76ImpliedVolInput): number {
  return impliedVolBlack76With(input);
}

function impliedVolBlack76With(input: Black76ImpliedVolInput, diagnostics?: ImpliedVolDiagnostics): number {
  const price = requireNumber('price', input.price);
  const forward = requireNumber('forward', input.forward);
  const strike = requireNumber('strike', input.strike);
  const expiry = requireNumber('expiry', input.expiry);
  const rate = requireNumber('rate', input.rate);
  const theta = sign(input.type, input.type);
  return solve(price * Math.exp(rate * expiry), forward, strike, expiry, theta, price, diagnostics);
}

/**
 * Implied vol of a coin-settled option from its coin price (Deribit: the USD-equivalent undiscounted premium is
 * price_coin x F, compared with the USD intrinsic; methods.md §1.5 item 6).
 */
export function impliedVolInverse(input: InverseImpliedVolInput): number {
  const priceCoin = requireNumber('priceCoin', input.priceCoin);
  const forward = requireNumber('forward', input.forward);
  const strike = requireNumber('strike', input.strike);
  const expiry = requireNumber('expiry', input.expiry);
  const theta = sign(input.type, input.type);
  return solve(priceCoin * forward, forward, strike, expiry, theta, priceCoin);
}

/** Black-76 implied vol with the solver's diagnostics (iterations, stop reason, guess branch). */
export function impliedVolBlack76Detailed(input: Black76ImpliedVolInput): ImpliedVolResult {
  const d: ImpliedVolDiagnostics = { iterations: 0, stopReason: 'iteration-limit', branch: 'none', initialGuess: NaN };
  const vol = impliedVolBlack76With(input, d);
  return Object.freeze({ vol, iterations: d.iterations, stopReason: d.stopReason, branch: d.branch });
}

/** Black-Scholes implied vol with the solver's diagnostics. */
export function impliedVolDetailed(input: BsImpliedVolInput): ImpliedVolResult {
  const d: ImpliedVolDiagnostics = { iterations: 0, stopReason: 'iteration-limit', branch: 'none', initialGuess: NaN };
  const vol = impliedVolBsWith(input, d);
  return Object.freeze({ vol, iterations: d.iterations, stopReason: d.stopReason, branch: d.branch });
}
