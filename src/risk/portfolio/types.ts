/**
 * Portfolio domain types (DESIGN.md §4 "Portfolios"). Plain frozen data.
 *
 * Quantities are signed (positive = long) and in units of the underlying coin for every instrument: an inverse
 * option's quantity is its coin amount (Deribit contract size 1 coin), an inverse future's or perpetual's quantity is
 * its coin-equivalent notional at the base mark (USD notional / base mark, Deribit's `size_currency`), a linear
 * (`_USDC`) contract's quantity is in coin, a spot holding's quantity is in the asset. Collateral quantities are
 * amounts of the asset held (>= 0).
 */

/** One position: a Deribit instrument name and a signed quantity (see the module comment for units). */
export interface Position {
  /** `BTC-27MAR26-90000-C`, `BTC-PERPETUAL`, `ETH-27MAR26`, `BTC_USDC-PERPETUAL`, or a spot asset `BTC`. */
  readonly instrument: string;
  /** Signed quantity, coin units; finite. */
  readonly quantity: number;
}

/** One collateral holding. */
export interface CollateralHolding {
  /** Asset code, e.g. `BTC`, `ETH`, `USDC`, `USDT`, `USD`. */
  readonly asset: string;
  /** Amount held, in the asset; finite and >= 0. */
  readonly quantity: number;
}

/** An account: its desk, positions and collateral. */
export interface Account {
  /** Unique within a portfolio file. */
  readonly id: string;
  /** Desk the account belongs to (risk desks see only their own desk's accounts). */
  readonly desk: string;
  readonly positions: readonly Position[];
  readonly collateral: readonly CollateralHolding[];
}

/** Machine-readable reason of a portfolio failure. */
export type PortfolioFailureReason =
  | 'bad-json'
  | 'bad-document'
  | 'not-an-object'
  | 'missing-field'
  | 'bad-type'
  | 'empty-value'
  | 'not-finite'
  | 'negative'
  | 'duplicate-id'
  | 'extra-field'
  | 'unknown-instrument'
  | 'expired-instrument'
  | 'unknown-asset';

/**
 * One rejected account (or, with `accountIndex` -1, the whole document: not JSON, no `accounts` array). Exactly one
 * failure per bad account: the first problem found, with every unknown instrument of the account listed in
 * `instruments` when the reason is about instruments.
 */
export interface PortfolioFailure {
  /** File name or label passed to the parser. */
  readonly file: string;
  /** 0-based index of the account in the document's `accounts` array; -1 for a document-level failure. */
  readonly accountIndex: number;
  /** The account's id when it has a usable one, else null. */
  readonly accountId: string | null;
  /** Path of the offending field inside the account, e.g. `positions[2].quantity`; '' for the whole account. */
  readonly field: string;
  readonly reason: PortfolioFailureReason;
  /** The offending value (string, number, ...), when there is one. */
  readonly value?: unknown;
  /** Human-readable detail. */
  readonly detail: string;
  /** For instrument failures: every unknown or expired instrument name of the account, in position order. */
  readonly instruments?: readonly string[];
}

/** Good accounts plus one failure per bad account. */
export interface PortfolioParseResult {
  readonly accounts: readonly Account[];
  readonly failures: readonly PortfolioFailure[];
  /** Document metadata (`asOf`, `seed`, `description`, ...) other than `accounts`, as found. */
  readonly meta: Readonly<Record<string, unknown>>;
}
