/** Small validators of the builder's input; each throws {@link ReportInputError} naming the field. */
import { ReportInputError } from './errors.ts';

/** `value` if it is a finite number. */
export function finite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ReportInputError(field, value, 'must be a finite number');
  return value;
}

/** `value` if it is a finite number >= 0. */
export function nonNegative(field: string, value: unknown): number {
  const v = finite(field, value);
  if (v < 0) throw new ReportInputError(field, value, 'must be >= 0');
  return v;
}

/** `value` if it is a finite number, null if it is null/undefined/NaN (a statistic that is undefined). */
export function finiteOrNull(field: string, value: unknown): number | null {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return null;
  return finite(field, value);
}

/** `value` if it is a string (any content: renderers escape it). */
export function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ReportInputError(field, value, 'must be a string');
  return value;
}

/** Code-point order of two strings (locale-independent, so output does not depend on the machine). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
