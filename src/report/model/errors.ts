/** Raised by the report builder for input it cannot represent; names the field (path) and the value. */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`${field} = ${describe(value)}: ${reason}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? `array(${value.length})` : typeof value;
}
