/** Domain checks of the public pricing functions: each failure is a PricingInputError naming the field and value. */
import { PricingInputError } from './errors.ts';
import type { OptionType } from './types.ts';

/** +1 for a call, -1 for a put; anything else is rejected. */
export function optionSign(type: OptionType): 1 | -1 {
  if (type === 'call') return 1;
  if (type === 'put') return -1;
  throw new PricingInputError('type', type, "must be 'call' or 'put'");
}

export function requirePositive(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new PricingInputError(field, value, 'must be a finite number > 0');
  }
  return value;
}

export function requireNonNegative(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value >= 0)) {
    throw new PricingInputError(field, value, 'must be a finite number >= 0');
  }
  return value;
}

export function requireFinite(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PricingInputError(field, value, 'must be a finite number');
  }
  return value;
}
