/**
 * Domain types of the market-data layer: option quotes, price points, futures marks and parse results.
 *
 * Conventions (DESIGN.md §3): times are UTC epoch milliseconds (`...Ms`) or years ACT/365 (`expiry`);
 * prices are in the quote's `currency` (coin for Deribit inverse options, USD for canonical data);
 * vols are annualised decimals; rates are continuously compounded decimals. All objects are frozen.
 */

/** Option right. */
export type OptionType = 'call' | 'put';

/**
 * Settlement convention of a derivative.
 * - `inverse`: coin-settled, priced in coin (Deribit BTC/ETH): `price_coin = Black76_undiscounted(F, K, σ, T) / F`.
 * - `linear`: priced and settled in a USD-like currency (canonical data, Deribit `_USDC` instruments).
 */
export type Settlement = 'inverse' | 'linear';

/** Where an option quote's forward came from. */
export type ForwardSource = 'venue' | 'input' | 'put-call-parity';

/** Fields shared by resolved and unresolved option quotes. */
export interface OptionQuoteFields {
  /** Underlying asset code, e.g. `BTC`, `ETH`, `SPX`. */
  readonly underlying: string;
  /** Instrument name, e.g. `BTC-27MAR26-90000-C` (Deribit) or a generated `SPX-2011-04-16-1300-C`. */
  readonly instrument: string;
  /** Expiry instant, UTC epoch milliseconds (Deribit: 08:00 UTC of the expiry day). */
  readonly expiryTimestampMs: number;
  /** Time to expiry in years, ACT/365: `(expiryTimestampMs - asOfMs) / (365 × 86 400 000)`. */
  readonly expiry: number;
  /** The valuation instant `expiry` is measured from, UTC epoch milliseconds. */
  readonly asOfMs: number;
  /** Strike in USD (positive). */
  readonly strike: number;
  /** Call or put. */
  readonly type: OptionType;
  /** Best bid in `currency`; `null` when the side is absent. A present bid may be 0 (venue's "no bid"). */
  readonly bid: number | null;
  /** Best ask in `currency`; `null` when the side is absent. */
  readonly ask: number | null;
  /** Venue mark price in `currency`, when the source has one. */
  readonly mark?: number;
  /** Spot index (USD) seen with the quote, when the source has one. */
  readonly index?: number;
  /** Settlement convention; decides the unit of `bid`/`ask`/`mark` and the no-arbitrage bounds. */
  readonly settlement: Settlement;
  /** Currency of `bid`, `ask`, `mark`: the coin (`BTC`, `ETH`) for inverse options, `USD` otherwise. */
  readonly currency: string;
  /** Time the quote was observed, UTC epoch milliseconds. */
  readonly quoteTimestampMs: number;
  /** Venue's mark implied vol (annualised decimal), when the source has one. */
  readonly venueMarkIv?: number;
  /** Venue's bid implied vol (annualised decimal), when the source has one. */
  readonly venueBidIv?: number;
  /** Venue's ask implied vol (annualised decimal), when the source has one. */
  readonly venueAskIv?: number;
  /** Open interest in contracts, when the source has it. */
  readonly openInterest?: number;
  /** Name of the venue's forward instrument for this expiry (e.g. `BTC-27MAR26`, `SYN.BTC-6FEB26`). */
  readonly forwardInstrument?: string;
}

/**
 * An option quote whose forward and discount rate are known: the input of cleaning, implied vols and surfaces.
 */
export interface OptionQuote extends OptionQuoteFields {
  /** Forward price of the underlying for this expiry, USD. */
  readonly forward: number;
  /** Continuously compounded rate discounting the premium over `expiry` (0 for Deribit coin quotes). */
  readonly rate: number;
  /** Where `forward` came from. */
  readonly forwardSource: ForwardSource;
}

/** An option quote before forward resolution: `forward`/`rate` are `null` when the source does not give them. */
export interface UnresolvedOptionQuote extends OptionQuoteFields {
  /** Forward (USD) if the source gives it, else `null` (then estimated by put-call parity). */
  readonly forward: number | null;
  /** Premium discount rate if known, else `null`. */
  readonly rate: number | null;
}

/** One daily close. */
export interface PricePoint {
  /** UTC calendar day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Asset code, e.g. `BTC` (the base asset of a `BTCUSDT` pair). */
  readonly asset: string;
  /** Closing price in `currency` (positive). */
  readonly close: number;
  /** Quote currency of `close` when known, e.g. `USDT`, `USD`. */
  readonly currency?: string;
}

/** A perpetual or dated-future price observation. */
export interface FuturesMark {
  /** Venue instrument name, e.g. `BTC-PERPETUAL`, `BTC-27MAR26`. */
  readonly instrument: string;
  /** Underlying coin, e.g. `BTC`. */
  readonly underlying: string;
  /** `perpetual` or dated `future`. */
  readonly kind: 'perpetual' | 'future';
  /** Expiry instant (UTC ms, 08:00 UTC on Deribit) for a dated future, `null` for a perpetual. */
  readonly expiryTimestampMs: number | null;
  /** Price used as the mark, USD. */
  readonly price: number;
  /** When the price was observed (candle time used), UTC epoch ms. */
  readonly priceTimestampMs: number;
  /** The snapshot this mark belongs to (its observation time), UTC epoch ms. */
  readonly snapshotTimestampMs: number;
  /** The option snapshot file this mark was matched to, when the source says so. */
  readonly snapshotFile?: string;
  /** For term futures: the mark seen inside the option rows of the snapshot (USD), when given. */
  readonly snapshotMark?: number;
}

/** Machine-readable reason of a parse failure. */
export type ParseFailureReason =
  | 'empty-file'
  | 'missing-column'
  | 'missing-field'
  | 'extra-field'
  | 'bad-quote'
  | 'empty-value'
  | 'not-a-number'
  | 'not-finite'
  | 'negative'
  | 'not-positive'
  | 'bad-date'
  | 'bad-timestamp'
  | 'unknown-option-type'
  | 'bad-instrument-name'
  | 'inconsistent'
  | 'duplicate-key'
  | 'bad-header';

/**
 * One rejected row (or, for file-level problems such as a missing column, the whole file).
 * `line` is the 1-based physical line where the row starts; `column` is the header name of the offending
 * field (`''` when the failure concerns the whole file or row).
 */
export interface ParseFailure {
  /** File name (loaders) or the label passed to the parser. */
  readonly file: string;
  /** 1-based physical line of the row (the header line for a missing column). */
  readonly line: number;
  /** Header name of the offending column, or `''`. */
  readonly column: string;
  /** Why the row was rejected. */
  readonly reason: ParseFailureReason;
  /** The offending raw text, when there is one. */
  readonly value?: string;
  /** Human-readable detail. */
  readonly detail?: string;
}

/** Good rows plus exactly one failure per bad row (one failure for the file when it cannot be read at all). */
export interface ParseResult<T> {
  readonly rows: readonly T[];
  readonly failures: readonly ParseFailure[];
  /**
   * Bad rows beyond the parser's `maxFailures` that were counted but not kept (absent when every failure is kept):
   * the file had `failures.length + omittedFailures` bad rows.
   */
  readonly omittedFailures?: number;
}
