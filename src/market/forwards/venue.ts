/** Per-expiry summary of the forwards quoted by the venue (pure). */

import type { OptionQuote } from '../types.ts';
import type { ForwardEstimate } from './types.ts';
import { groupByExpiry, median } from './group.ts';

/**
 * Summarises the per-quote forwards of resolved quotes by (underlying, expiry): median, min and max of
 * `forward`, the median `rate`. For a Deribit snapshot this is the venue's `underlying` column, which drifts a
 * little while the snapshot is taken (each quote keeps its own forward; this is the per-expiry view).
 * `method` is `venue` when the quotes' forwards came from the venue, `input` otherwise.
 */
export function summarizeForwards(quotes: readonly OptionQuote[]): ForwardEstimate[] {
  return groupByExpiry(quotes).map((group) => {
    const first = group[0] as OptionQuote;
    const forwards = group.map((q) => q.forward);
    const rate = median(group.map((q) => q.rate));
    return Object.freeze({
      underlying: first.underlying,
      expiryTimestampMs: first.expiryTimestampMs,
      expiry: first.expiry,
      forward: median(forwards),
      discountFactor: Math.exp(-rate * first.expiry),
      rate,
      method: first.forwardSource === 'venue' ? ('venue' as const) : ('input' as const),
      count: group.length,
      forwardMin: Math.min(...forwards),
      forwardMax: Math.max(...forwards),
    });
  });
}
