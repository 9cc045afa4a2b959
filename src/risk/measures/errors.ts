/**
 * The typed error of the margin, collateral and risk-measure functions: bad domain input names the field and the
 * value (DESIGN.md §3). Model files are validated separately (path + reason for every issue, `Validated<T>`).
 */

import { describeValue } from '../portfolio/errors.ts';

/** Bad domain input to a margin, collateral or risk-measure function: names the field and the value. */
export class MarginInputError extends Error {
  override readonly name = 'MarginInputError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${describeValue(value)})`);
  }
}
