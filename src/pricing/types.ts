/** Input and output shapes of the public pricing functions (DESIGN.md §6). Units: DESIGN.md §3. */

/** 'call' or 'put'. */
export type OptionType = 'call' | 'put';

/** Black-Scholes inputs. `carry` is the continuous yield q (dividend, foreign rate, borrow): F = S e^{(r-q)T}. */
export interface BsInput {
  readonly spot: number;
  readonly strike: number;
  /** Years to expiry, ACT/365. */
  readonly expiry: number;
  /** Continuously compounded rate. */
  readonly rate: number;
  /** Continuous yield q; 0 when absent. */
  readonly carry?: number;
  /** Annualised volatility. */
  readonly vol: number;
  readonly type: OptionType;
}

/** Black-76 inputs on a forward; the price is discounted by e^{-rate * expiry}. */
export interface Black76Input {
  readonly forward: number;
  readonly strike: number;
  readonly expiry: number;
  readonly rate: number;
  readonly vol: number;
  readonly type: OptionType;
}

/** Coin-settled (inverse) option inputs in the Deribit convention (r = 0; F the forward of the expiry). */
export interface InverseOptionInput {
  readonly forward: number;
  readonly strike: number;
  readonly expiry: number;
  readonly vol: number;
  readonly type: OptionType;
}

/** Black-Scholes price and Greeks (vega per 1.00 vol, theta per year, rho and dividendRho per 1.00 rate). */
export interface BsGreeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly rho: number;
  readonly dividendRho: number;
  readonly vanna: number;
  readonly volga: number;
}

/** Black-76 price and Greeks: delta and gamma with respect to the forward; theta and rho with the forward fixed. */
export interface Black76Greeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly rho: number;
}

/**
 * Inverse option price and Greeks in coin: `price` in coin; `delta` = theta Phi(theta d1) - price, Deribit's
 * price-adjusted delta (coin per coin of notional); `gamma` = d2 price / dF2; `vega` per 1.00 vol; `theta` per year.
 */
export interface InverseOptionGreeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
}

/** Implied-vol inputs for Black-Scholes with yield `carry`; `price` is the discounted premium. */
export interface BsImpliedVolInput {
  readonly price: number;
  readonly spot: number;
  readonly strike: number;
  readonly expiry: number;
  readonly rate: number;
  readonly carry?: number;
  readonly type: OptionType;
}

/** Implied-vol inputs for Black-76; `price` is the discounted premium. */
export interface Black76ImpliedVolInput {
  readonly price: number;
  readonly forward: number;
  readonly strike: number;
  readonly expiry: number;
  readonly rate: number;
  readonly type: OptionType;
}

/** Implied-vol inputs for a coin-settled option: `priceCoin` in coin. */
export interface InverseImpliedVolInput {
  readonly priceCoin: number;
  readonly forward: number;
  readonly strike: number;
  readonly expiry: number;
  readonly type: OptionType;
}
