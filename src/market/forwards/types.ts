/** Forward estimates per (underlying, expiry). */

/** How a forward was obtained. */
export type ForwardMethod =
  /** Summary of the venue's own per-quote forwards (Deribit `underlying`). */
  | 'venue'
  /** Forwards given in the input file (canonical `forward` column). */
  | 'input'
  /** OLS of C − P on K over near-ATM strikes: C − P = DF (F − K) (USD) or DF (1 − K/F) (coin). */
  | 'parity-regression'
  /** Put-call parity with a fixed rate, used when the regression is impossible (one pair) or implausible. */
  | 'parity-fixed-rate';

/** Forward of one (underlying, expiry). */
export interface ForwardEstimate {
  readonly underlying: string;
  /** Expiry instant, UTC epoch ms. */
  readonly expiryTimestampMs: number;
  /** Years to expiry, ACT/365, from the quotes' as-of. */
  readonly expiry: number;
  /** Forward, USD (for `venue`/`input`: the median of the quotes' forwards). */
  readonly forward: number;
  /** Discount factor of the premium: `exp(-rate × expiry)`. */
  readonly discountFactor: number;
  /** Continuously compounded premium discount rate. */
  readonly rate: number;
  readonly method: ForwardMethod;
  /** Why the fixed-rate fallback was used (`parity-fixed-rate` only). */
  readonly fallbackReason?: 'one-pair' | 'implausible-discount-factor';
  /** Number of quotes (venue/input) or call-put pairs (parity) behind the estimate. */
  readonly count: number;
  /** Strikes of the call-put pairs used (parity only), ascending. */
  readonly strikesUsed?: readonly number[];
  /** Parity fit: root-mean-square residual of C − P, in the quotes' price unit (USD or coin). 0 with 2 pairs. */
  readonly residualRms?: number;
  /** Parity fit: largest absolute residual of C − P, in the quotes' price unit. */
  readonly residualMaxAbs?: number;
  /** Venue/input: smallest and largest per-quote forward (the venue's forward moves while a snapshot is taken). */
  readonly forwardMin?: number;
  readonly forwardMax?: number;
}

/** An (underlying, expiry) whose forward could not be estimated. */
export interface ForwardFailure {
  readonly underlying: string;
  readonly expiryTimestampMs: number;
  readonly reason: 'no-parity-pairs' | 'expired' | 'implausible-discount-factor';
  /** Quotes of that expiry that were dropped because they have no forward. */
  readonly droppedQuotes: number;
  readonly detail?: string;
}
