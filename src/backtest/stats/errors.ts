/**
 * The typed error of the backtest layer: bad domain input (a coverage outside (0, 1), a negative count, a
 * non-finite P&L) names the field and the offending value (DESIGN.md §3). Special functions and distribution
 * kernels never throw: they return NaN outside their domain, like `Math.log`.
 */

import { describeValue } from '../../risk/index.ts';

/** Bad domain input to a backtest function: `field` is the argument or element at fault, e.g. `pnl[17]`. */
export class BacktestInputError extends Error {
  override readonly name = 'BacktestInputError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${describeValue(value)})`);
  }
}
