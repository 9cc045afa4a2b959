/**
 * Typed error raised by the surface layer when a caller passes a value outside the mathematical
 * domain of a function (for example an SVI parameter set with |rho| >= 1). It names the offending
 * field and carries the value so that callers and logs can report it precisely.
 *
 * Data problems met during a fit (too few quotes, non-finite total variances, a failed optimiser)
 * are never thrown: the fit functions return a result with a `status` and a `reason` instead.
 */
export class SurfaceDomainError extends RangeError {
  /** Name of the offending field, e.g. `'rho'` or `'slices[2].expiry'`. */
  readonly field: string;
  /** The offending value as received. */
  readonly value: unknown;

  constructor(field: string, value: unknown, message: string) {
    super(`${field} = ${formatValue(value)}: ${message}`);
    this.name = 'SurfaceDomainError';
    this.field = field;
    this.value = value;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}
