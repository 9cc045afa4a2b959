/**
 * Inputs and outputs of revaluation (src/risk/revaluation). Conventions (DESIGN.md §3):
 * - prices and P&L in USD unless named `...Settlement` (the row's settlement asset: coin for inverse rows, the
 *   stablecoin for `_USDC`/`_USDT` rows, the asset itself for spot rows) or `...Coin`;
 * - P&L is per unit of quantity (types.ts of the portfolio: one coin), positive for a gain to the holder;
 * - expiries in years ACT/365, vols annualised decimals, rates continuously compounded decimals;
 * - scenario spot moves are simple returns, S' = S (1 + r).
 */
import type { VolSurface } from '../../surface/index.ts';

/** Base market of one asset (underlying or stablecoin). */
export interface UnderlyingMarket {
  /** Index (spot) price in USD, finite and > 0. */
  readonly spot: number;
  /** USD rate discounting linear option premiums (continuously compounded); default 0. Inverse options use r = 0. */
  readonly rate?: number;
  /** Yield q for forwards of expiries without a quoted forward: F = spot e^{(rate - carry) T}; default 0. */
  readonly carry?: number;
  /**
   * Forward (USD) per expiry instant (UTC epoch ms, 08:00 UTC on Deribit): the venue's futures price or the option
   * chain's `underlying`. Expiries not listed use the surface's forward when `vol` is a surface, else spot e^{(r-q)T}.
   */
  readonly forwards?: readonly { readonly expiryTimestampMs: number; readonly forward: number }[];
  /** Perpetual mark (USD); default `spot`. */
  readonly perpetual?: number;
  /**
   * Implied vol: a flat vol (annualised decimal) for every strike and expiry, or a VolSurface (vol at k = ln(K/F)
   * with F the forward of this market). Optional for an asset without options.
   */
  readonly vol?: number | VolSurface;
}

/** Base market by asset code. Stablecoins (STABLECOINS) without an entry have spot 1 and no vol. */
export type BaseMarket = Readonly<Record<string, UnderlyingMarket>>;

/**
 * How an option's vol follows the scenario's spot move:
 * - `sticky-strike`: the option keeps the vol of its strike, sigma = vol(T, K) at the base forward;
 * - `sticky-moneyness`: the smile moves with the forward, sigma = vol(T, k') at k' = ln(K / F') with F' the
 *   scenario forward (the same K/F reads the same vol).
 * The scenario's vol-shift rule is then applied to that vol (`applyVolShift(rule, sigma, T')`).
 */
export type VolStickiness = 'sticky-strike' | 'sticky-moneyness';

/** Options of revaluation. */
export interface RevaluationOptions {
  /** Default `sticky-strike`. */
  readonly stickiness?: VolStickiness;
  /**
   * What happens to an asset that is not a column of the scenario set: `fail` (default) marks every cell of the rows
   * that depend on it as `no-scenario`; `hold-flat` keeps its price and vol unchanged. Stablecoins are always held flat
   * when absent (they move only in the scenarios that list them, e.g. a depeg).
   */
  readonly missingAsset?: 'fail' | 'hold-flat';
}

/** Stablecoins priced at 1 USD unless the base market or the scenario set says otherwise. */
export const STABLECOINS: ReadonlySet<string> = new Set(['USDC', 'USDT', 'DAI', 'FDUSD', 'USDE', 'PYUSD', 'TUSD']);

/** Cell status codes of the instrument x scenario matrix (Uint8Array). */
export const CELL_STATUS = Object.freeze({
  /** Priced; the P&L is finite. */
  ok: 0,
  /** The scenario price came out NaN or infinite (e.g. a vol rule that produced NaN). */
  nonFinite: 1,
  /** The row's underlying or settlement asset has no base market (no spot). */
  noMarket: 2,
  /** The row's asset is not a column of the scenario set and `missingAsset` is `fail`. */
  noScenario: 3,
  /** The base price or vol of the row is not usable (e.g. an option without a vol, a bad forward). */
  badBase: 4,
} as const);

/** Names of the cell status codes, by code. */
export const CELL_STATUS_NAMES: readonly string[] = Object.freeze(['ok', 'non-finite', 'no-market', 'no-scenario', 'bad-base']);
