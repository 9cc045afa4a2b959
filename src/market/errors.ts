/** Typed errors of the market-data layer. Per-row problems are results (ParseFailure), not errors. */

/** Bad domain input to a market function (an argument, not a data row): names the field and the value. */
export class MarketInputError extends Error {
  override readonly name = 'MarketInputError';
  constructor(
    /** The offending field or argument name. */
    readonly field: string,
    /** The offending value. */
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${formatValue(value)})`);
  }
}

/** A Deribit-style instrument name that cannot be parsed. */
export class InstrumentNameError extends Error {
  override readonly name = 'InstrumentNameError';
  readonly field = 'instrument';
  constructor(
    /** The name that failed. */
    readonly value: string,
    /** Why it failed. */
    readonly reason: string,
  ) {
    super(`instrument: ${reason} (got ${JSON.stringify(value)})`);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
