/**
 * Volatility haircut of one collateral asset (pure; methods.md §5.5, EMIR Art. 41):
 *
 *   haircut = min(cap, max(floor, z_q sigma_daily sqrt(mpor_days)))
 *
 * z_q = normInv(confidence) (2.3263 at 99 %), sigma_daily the post-incident daily volatility of the asset's USD
 * price (decimal; e.g. the EWMA forecast, `postIncidentDailyVolatility`), floor and cap from the schedule (the
 * asset's entry, else `default`). An asset given no volatility gets its cap (the conservative end of the schedule).
 */
import { normInv } from '../../math/index.ts';
import { ewmaVolatility } from '../../correlation/index.ts';
import { MarginInputError } from '../measures/index.ts';
import type { HaircutBounds, HaircutSchedule } from './haircutSchedule.ts';

/** Which term set the haircut. */
export type HaircutBinding = 'volatility' | 'floor' | 'cap' | 'no-volatility';

/** One asset's haircut. */
export interface Haircut {
  readonly asset: string;
  /** The haircut applied (fraction of the USD value). */
  readonly haircut: number;
  /** z_q sigma sqrt(MPOR), NaN without a volatility. */
  readonly volatilityHaircut: number;
  readonly floor: number;
  readonly cap: number;
  readonly binding: HaircutBinding;
}

/** The schedule's bounds for `asset` (its entry, else the default). */
export function haircutBounds(schedule: HaircutSchedule, asset: string): HaircutBounds {
  return schedule.assets[asset] ?? schedule.default;
}

/** The haircut of `asset` with post-incident daily vol `sigmaDaily` (undefined = none known); see the module comment. */
export function haircutFor(schedule: HaircutSchedule, asset: string, sigmaDaily: number | undefined): Haircut {
  const { floor, cap } = haircutBounds(schedule, asset);
  if (sigmaDaily === undefined) return Object.freeze({ asset, haircut: cap, volatilityHaircut: Number.NaN, floor, cap, binding: 'no-volatility' as const });
  if (typeof sigmaDaily !== 'number' || !(sigmaDaily >= 0) || !Number.isFinite(sigmaDaily)) {
    throw new MarginInputError(`volatilityDaily.${asset}`, sigmaDaily, 'expected a daily volatility >= 0 (decimal)');
  }
  const raw = normInv(schedule.confidence) * sigmaDaily * Math.sqrt(schedule.mpor_days);
  const haircut = Math.min(cap, Math.max(floor, raw));
  const binding: HaircutBinding = raw > cap ? 'cap' : raw < floor ? 'floor' : 'volatility';
  return Object.freeze({ asset, haircut, volatilityHaircut: raw, floor, cap, binding });
}

/**
 * Post-incident daily volatility of an asset from its daily log returns (oldest first, the incident included):
 * the RiskMetrics EWMA one-day-ahead forecast sqrt(sigma^2_{T+1|T}) (src/correlation `ewmaVolatility`, lambda 0.94
 * by default, seeded with the mean square of all returns).
 */
export function postIncidentDailyVolatility(returns: ArrayLike<number>, options: { readonly lambda?: number } = {}): number {
  return ewmaVolatility(returns, { lambda: options.lambda ?? 0.94, init: 'sample' }).nextVolatility;
}
