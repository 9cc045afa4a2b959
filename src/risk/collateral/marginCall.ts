/**
 * Excess, deficit and the margin call (pure, USD):
 *
 *   excess = collateral after haircuts - IM          (negative = a deficit against IM)
 *   call   = when collateral after haircuts < MM: the amount that restores IM, IM - collateral after haircuts;
 *            none otherwise (between MM and IM the account is in deficit but not called)
 *
 * `status`: 'excess' (collateral >= IM), 'below-initial' (MM <= collateral < IM), 'margin-call' (collateral < MM).
 */
import { MarginInputError } from '../measures/index.ts';

/** Input of {@link marginCall}. */
export interface MarginCallInput {
  readonly collateralAfterHaircutsUsd: number;
  readonly initialMarginUsd: number;
  /** Default: the initial margin (models with a single requirement). */
  readonly maintenanceMarginUsd?: number;
}

/** Result of {@link marginCall}. */
export interface MarginCallResult {
  readonly status: 'excess' | 'below-initial' | 'margin-call';
  /** Collateral after haircuts - IM. */
  readonly excessUsd: number;
  /** max(0, IM - collateral after haircuts). */
  readonly deficitUsd: number;
  readonly callRequired: boolean;
  /** IM - collateral after haircuts when called, else 0. */
  readonly callAmountUsd: number;
}

function finite(value: number, field: string, nonNegative: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (nonNegative && value < 0)) {
    throw new MarginInputError(field, value, nonNegative ? 'expected a finite amount >= 0 (USD)' : 'expected a finite amount (USD)');
  }
  return value;
}

/** Excess/deficit and the call; see the module comment. */
export function marginCall(input: MarginCallInput): MarginCallResult {
  const c = finite(input.collateralAfterHaircutsUsd, 'collateralAfterHaircutsUsd', false);
  const im = finite(input.initialMarginUsd, 'initialMarginUsd', true);
  const mm = input.maintenanceMarginUsd === undefined ? im : finite(input.maintenanceMarginUsd, 'maintenanceMarginUsd', true);
  if (mm > im) throw new MarginInputError('maintenanceMarginUsd', mm, `must not exceed the initial margin (${im})`);
  const callRequired = c < mm;
  return Object.freeze({
    status: c >= im ? 'excess' as const : callRequired ? 'margin-call' as const : 'below-initial' as const,
    excessUsd: c - im,
    deficitUsd: Math.max(0, im - c),
    callRequired,
    callAmountUsd: callRequired ? im - c : 0,
  });
}
