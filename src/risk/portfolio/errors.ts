/**
 * Typed error of the portfolio and revaluation functions (src/risk/portfolio, src/risk/revaluation): bad domain input
 * names the field and the value (DESIGN.md §3). A bad account or instrument inside a portfolio file is not an error
 * but a result (`PortfolioFailure`), so one bad account never stops a run.
 */

/** Bad domain input to a portfolio or revaluation function (an argument, not a data row): names field and value. */
export class RiskInputError extends Error {
  override readonly name = 'RiskInputError';
  constructor(
    /** The offending field or argument, e.g. `market.BTC.spot`. */
    readonly field: string,
    /** The offending value. */
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${describeValue(value)})`);
  }
}

/** Short text form of a value for messages (numbers and strings as is, arrays and typed arrays by length). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}
