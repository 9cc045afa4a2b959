/**
 * The typed error of the margin, collateral and risk-measure functions: bad domain input names the field and the
 * value (DESIGN.md §3). Model files are validated separately (path + reason for every issue, `Validated<T>`).
 */

/** Bad domain input to a margin, collateral or risk-measure function: names the field and the value. */
export class MarginInputError extends Error {
  override readonly name = 'MarginInputError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${describe(value)})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}
