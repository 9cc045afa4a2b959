/**
 * Collateral valuation after haircuts (pure, USD): per holding, value = quantity x USD price; value after haircut =
 * value (1 - h) for a holding (value >= 0) and value (1 + h) for a negative balance (a debt is made larger, never
 * smaller). `USD` is priced 1 unless a price is given; other assets need a price.
 */
import { MarginInputError } from '../measures/index.ts';
import { haircutFor, type HaircutBinding } from './haircut.ts';
import type { HaircutSchedule } from './haircutSchedule.ts';

/** A collateral holding: asset code (`BTC`, `USDC`, `USD`) and signed quantity in that asset. */
export interface Holding {
  readonly asset: string;
  readonly quantity: number;
}

/** Input of {@link valueCollateral}. */
export interface CollateralInput {
  readonly holdings: readonly Holding[];
  /** USD price per asset (USD itself defaults to 1). */
  readonly pricesUsd: Readonly<Record<string, number>>;
  /** Post-incident daily volatility per asset (decimal); an asset without one gets its cap. */
  readonly volatilityDaily?: Readonly<Record<string, number>>;
  /** A validated haircut schedule. */
  readonly schedule: HaircutSchedule;
}

/** One valued holding (quantities of one asset summed). */
export interface ValuedHolding {
  readonly asset: string;
  readonly quantity: number;
  readonly priceUsd: number;
  readonly valueUsd: number;
  readonly haircut: number;
  readonly binding: HaircutBinding;
  /** |value| x haircut. */
  readonly haircutUsd: number;
  readonly valueAfterHaircutUsd: number;
}

/** Valued collateral of one account. */
export interface CollateralValue {
  readonly holdings: readonly ValuedHolding[];
  readonly valueUsd: number;
  readonly haircutUsd: number;
  readonly valueAfterHaircutUsd: number;
}

/** USD price of `asset` from the map (USD = 1 by default). */
export function priceOf(pricesUsd: Readonly<Record<string, number>>, asset: string): number {
  const p = pricesUsd[asset] ?? (asset === 'USD' ? 1 : undefined);
  if (typeof p !== 'number' || !(p >= 0) || !Number.isFinite(p)) throw new MarginInputError(`pricesUsd.${asset}`, p, 'expected a USD price >= 0');
  return p;
}

/** Values `holdings` after haircuts; see the module comment. */
export function valueCollateral(input: CollateralInput): CollateralValue {
  if (!Array.isArray(input.holdings)) throw new MarginInputError('holdings', input.holdings, 'expected an array of { asset, quantity }');
  const totals = new Map<string, number>();
  input.holdings.forEach((h, i) => {
    if (typeof h?.asset !== 'string' || !/^[A-Z0-9]+$/.test(h.asset)) throw new MarginInputError(`holdings[${i}].asset`, h?.asset, 'expected an upper-case asset code');
    if (typeof h.quantity !== 'number' || !Number.isFinite(h.quantity)) throw new MarginInputError(`holdings[${i}].quantity`, h.quantity, 'expected a finite quantity');
    totals.set(h.asset, (totals.get(h.asset) ?? 0) + h.quantity);
  });
  const valued: ValuedHolding[] = [];
  let value = 0;
  let cut = 0;
  let after = 0;
  for (const [asset, quantity] of totals) {
    const priceUsd = priceOf(input.pricesUsd, asset);
    const h = haircutFor(input.schedule, asset, input.volatilityDaily?.[asset]);
    const v = quantity * priceUsd;
    const haircutUsd = Math.abs(v) * h.haircut;
    const a = v - haircutUsd;
    valued.push(Object.freeze({ asset, quantity, priceUsd, valueUsd: v, haircut: h.haircut, binding: h.binding, haircutUsd, valueAfterHaircutUsd: a }));
    value += v;
    cut += haircutUsd;
    after += a;
  }
  return Object.freeze({ holdings: Object.freeze(valued), valueUsd: value, haircutUsd: cut, valueAfterHaircutUsd: after });
}
