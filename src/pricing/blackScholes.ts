/** Black-Scholes with continuous yield (`carry` = q), price and Greeks: the public scalar functions of DESIGN.md §6. */
import { allocateGreeksBuffers, bsGreeksKernel, bsPriceKernel } from './kernels.ts';
import type { BsGreeks, BsInput } from './types.ts';
import { optionSign, requireFinite, requireNonNegative, requirePositive } from './validate.ts';

const scratch = allocateGreeksBuffers(1);

function checked(input: BsInput): [number, number, number, number, number, number, 1 | -1] {
  return [
    requirePositive('spot', input.spot), requirePositive('strike', input.strike),
    requireNonNegative('expiry', input.expiry), requireFinite('rate', input.rate),
    requireFinite('carry', input.carry ?? 0), requireNonNegative('vol', input.vol), optionSign(input.type),
  ];
}

/**
 * Black-Scholes price: e^{-rT} [theta (F Phi(theta d1) - K Phi(theta d2))], F = S e^{(r-q)T}. expiry = 0 or vol = 0
 * gives the discounted intrinsic value of the forward. Throws PricingInputError on a bad domain.
 */
export function bsPrice(input: BsInput): number {
  const [S, K, T, r, q, sigma, theta] = checked(input);
  return bsPriceKernel(S, K, T, r, q, sigma, theta);
}

/** Black-Scholes price and Greeks in DESIGN.md §3 units (vega per 1.00 vol, theta per year, rho per 1.00 rate). */
export function bsGreeks(input: BsInput): BsGreeks {
  const [S, K, T, r, q, sigma, theta] = checked(input);
  bsGreeksKernel(S, K, T, r, q, sigma, theta, scratch, 0);
  return Object.freeze({
    price: scratch.price[0]!, delta: scratch.delta[0]!, gamma: scratch.gamma[0]!, vega: scratch.vega[0]!,
    theta: scratch.theta[0]!, rho: scratch.rho[0]!, dividendRho: scratch.dividendRho[0]!,
    vanna: scratch.vanna[0]!, volga: scratch.volga[0]!,
  });
}
