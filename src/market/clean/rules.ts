/** Names, order and defaults of the quote-cleaning rules. */

/**
 * Cleaning rules, in the order they are applied; a rejected quote is reported under the first rule it fails.
 * - `too-close-to-expiry`: less than `minHoursToExpiry` hours to expiry (or already expired).
 * - `stale`: quote older than `maxQuoteAgeSeconds` at the as-of instant.
 * - `quote-after-as-of`: quote time later than the as-of instant (look-ahead).
 * - `one-sided`: bid or ask absent, or ask = 0.
 * - `zero-bid`: bid = 0 with a positive ask (the venue's "no bid").
 * - `crossed`: bid > ask.
 * - `outside-bounds`: mid below the intrinsic value or above the upper bound (see `noArbitrageBounds`), with an
 *   absolute tolerance `boundsTolerance` in the quote's currency; for one-sided quotes kept as fallback, the
 *   present side is checked instead.
 * - `spread-too-wide`: (ask − bid) / mid > `maxRelativeSpread`.
 * - `in-the-money`: only with `otmOnly`: a call with K < F or a put with K > F (the side that is not inverted
 *   for implied vols; deep ITM mids are mostly intrinsic value and give meaningless vols).
 */
export const CLEANING_RULES = Object.freeze([
  'too-close-to-expiry',
  'stale',
  'quote-after-as-of',
  'one-sided',
  'zero-bid',
  'crossed',
  'outside-bounds',
  'spread-too-wide',
  'in-the-money',
] as const);

/** A cleaning rule name. */
export type CleaningRule = (typeof CLEANING_RULES)[number];

/** Options of `cleanQuotes` (all optional; see `DEFAULT_CLEANING_OPTIONS`). */
export interface CleaningOptions {
  /** Minimum time to expiry, hours. */
  readonly minHoursToExpiry?: number;
  /** Maximum quote age at the as-of instant, seconds. */
  readonly maxQuoteAgeSeconds?: number;
  /** Maximum relative spread (ask − bid) / mid (a decimal: 0.5 = 50 %). */
  readonly maxRelativeSpread?: number;
  /** Absolute tolerance of the no-arbitrage bounds check, in the quote's currency. */
  readonly boundsTolerance?: number;
  /** Keep one-sided and zero-bid quotes in `fallback` (for uses that can work from one side) instead of rejecting. */
  readonly keepOneSided?: boolean;
  /** Reject in-the-money quotes (rule `in-the-money`); at-the-money (K = F) quotes of both types are kept. */
  readonly otmOnly?: boolean;
}

/**
 * Defaults, with their reasons:
 * - `minHoursToExpiry` 24: the filter of the published calibration on the Deribit fixture (T ≥ 1/365,
 *   SOURCES.md §1); inside a day, vega is tiny and quotes are dominated by tick size and settlement effects.
 * - `maxQuoteAgeSeconds` 3600: a snapshot is taken over minutes (SOURCES.md: 1,300–1,800 tickers fetched one
 *   after another); an hour-old quote is not the market of the as-of instant in a crypto crash.
 * - `maxRelativeSpread` 1.0: ask up to 3 × bid; wider quotes carry almost no price information. Deribit's
 *   0.0001-coin ticks make cheap wings look wide, which is why this is looser than the published calibration's
 *   0.5.
 * - `boundsTolerance` 0; `keepOneSided` false; `otmOnly` false (the surface layer chooses its side).
 */
export const DEFAULT_CLEANING_OPTIONS: Readonly<Required<CleaningOptions>> = Object.freeze({
  minHoursToExpiry: 24,
  maxQuoteAgeSeconds: 3600,
  maxRelativeSpread: 1.0,
  boundsTolerance: 0,
  keepOneSided: false,
  otmOnly: false,
});
