/** Black-76 on a forward, discounted at `rate`: the public scalar functions of DESIGN.md §6. */
import { allocateGreeksBuffers, black76GreeksKernel, black76PriceKernel } from './kernels.ts';
import type { Black76Greeks, Black76Input } from './types.ts';
import { optionSign, requireFinite, requireNonNegative, requirePositive } from './validate.ts';

const scratch = allocateGreeksBuffers(1);

function checked(input: Black76Input): [number, number, number, number, number, 1 | -1] {
  return [
    requirePositive('forward', input.forward), requirePositive('strike', input.strike),
    requireNonNegative('expiry', input.expiry), requireFinite('rate', input.rate),
    requireNonNegative('vol', input.vol), optionSign(input.type),
  ];
}

/** Black-76 price e^{-rT} [theta (F Phi(theta d1) - K Phi(theta d2))]. */
export function black76Price(input: Black76Input): number {
  const [F, K, T, r, sigma, theta] = checked(input);
  return black76PriceKernel(F, K, T, r, sigma, theta);
}

/** Black-76 price and Greeks: delta, gamma with respect to the forward; theta (per year) and rho with F fixed. */
export function black76Greeks(input: Black76Input): Black76Greeks {
  const [F, K, T, r, sigma, theta] = checked(input);
  black76GreeksKernel(F, K, T, r, sigma, theta, scratch, 0);
  return Object.freeze({
    price: scratch.price[0]!, delta: scratch.delta[0]!, gamma: scratch.gamma[0]!, vega: scratch.vega[0]!,
    theta: scratch.theta[0]!, rho: scratch.rho[0]!,
  });
}
