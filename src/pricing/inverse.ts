/**
 * Coin-settled (inverse) options in the Deribit convention (methods.md §2.3): the payoff max(S_T - K, 0)/S_T is paid in
 * coin, so price_coin = Black76_undiscounted(F, K, sigma, T) / F with r = 0 and F the forward of the expiry (Deribit's
 * `underlying_price`). The USD value is price_coin x index.
 */
import { allocateGreeksBuffers, inverseGreeksKernel, inversePriceKernel } from './kernels.ts';
import type { InverseOptionGreeks, InverseOptionInput } from './types.ts';
import { optionSign, requireNonNegative, requirePositive } from './validate.ts';

const scratch = allocateGreeksBuffers(1);

function checked(input: InverseOptionInput): [number, number, number, number, 1 | -1] {
  return [
    requirePositive('forward', input.forward), requirePositive('strike', input.strike),
    requireNonNegative('expiry', input.expiry), requireNonNegative('vol', input.vol), optionSign(input.type),
  ];
}

/** Inverse option price in coin. */
export function inverseOptionPrice(input: InverseOptionInput): number {
  const [F, K, T, sigma, theta] = checked(input);
  return inversePriceKernel(F, K, T, sigma, theta);
}

/** Inverse option price and Greeks in coin (see InverseOptionGreeks for units). */
export function inverseOptionGreeks(input: InverseOptionInput): InverseOptionGreeks {
  const [F, K, T, sigma, theta] = checked(input);
  inverseGreeksKernel(F, K, T, sigma, theta, scratch, 0);
  return Object.freeze({
    price: scratch.price[0]!, delta: scratch.delta[0]!, gamma: scratch.gamma[0]!, vega: scratch.vega[0]!,
    theta: scratch.theta[0]!,
  });
}
