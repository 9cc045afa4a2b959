/**
 * Forward resolution (pure): turns unresolved quotes (canonical CSV, CBOE table) into `OptionQuote`s with a
 * forward and a premium discount rate, per (underlying, expiry).
 */

import type { OptionQuote, UnresolvedOptionQuote } from '../types.ts';
import type { ForwardEstimate, ForwardFailure } from './types.ts';
import { estimateForwardByParity, type ParityOptions } from './parity.ts';
import { groupByExpiry, median } from './group.ts';

/** Options of `resolveForwards`. */
export interface ResolveForwardsOptions {
  /** Put-call-parity options for expiries whose quotes lack a forward. */
  readonly parity?: ParityOptions;
  /** Rate for quotes that have a forward but no rate. Default 0. */
  readonly defaultRate?: number;
}

/** Result of `resolveForwards`. */
export interface ResolvedQuotes {
  /** Quotes with a forward (input order kept; quotes of failed expiries are dropped). */
  readonly quotes: readonly OptionQuote[];
  /** One estimate per (underlying, expiry) that resolved. */
  readonly forwards: readonly ForwardEstimate[];
  /** One failure per (underlying, expiry) that could not be resolved. */
  readonly failures: readonly ForwardFailure[];
}

/**
 * Resolves forwards per (underlying, expiry):
 * - if every quote of the expiry has a forward, each keeps its own (`forwardSource: 'input'`), with its own
 *   rate or `defaultRate`; the estimate is their median (`method: 'input'`);
 * - otherwise the expiry's forward and rate come from put-call parity over its quotes
 *   (`estimateForwardByParity`) and are given to the quotes that lack them (`forwardSource: 'put-call-parity'`);
 *   a quote that has its own rate keeps it. If parity fails, the quotes without a forward are dropped and the
 *   expiry is reported in `failures`.
 */
export function resolveForwards(
  quotes: readonly UnresolvedOptionQuote[],
  options: ResolveForwardsOptions = {},
): ResolvedQuotes {
  const defaultRate = options.defaultRate ?? 0;
  const resolvedByQuote = new Map<UnresolvedOptionQuote, OptionQuote>();
  const forwards: ForwardEstimate[] = [];
  const failures: ForwardFailure[] = [];
  for (const group of groupByExpiry(quotes)) {
    const first = group[0] as UnresolvedOptionQuote;
    if (group.every((q) => q.forward !== null)) {
      const rates: number[] = [];
      for (const q of group) {
        const rate = q.rate ?? defaultRate;
        rates.push(rate);
        resolvedByQuote.set(q, Object.freeze({ ...q, forward: q.forward as number, rate, forwardSource: 'input' as const }));
      }
      const fs = group.map((q) => q.forward as number);
      const rate = median(rates);
      forwards.push(Object.freeze({
        underlying: first.underlying,
        expiryTimestampMs: first.expiryTimestampMs,
        expiry: first.expiry,
        forward: median(fs),
        discountFactor: Math.exp(-rate * first.expiry),
        rate,
        method: 'input' as const,
        count: group.length,
        forwardMin: Math.min(...fs),
        forwardMax: Math.max(...fs),
      }));
      continue;
    }
    const estimate = estimateForwardByParity(group, options.parity);
    if ('reason' in estimate) {
      const dropped = group.filter((q) => q.forward === null).length;
      failures.push(Object.freeze({ ...estimate, droppedQuotes: dropped }));
      for (const q of group) {
        if (q.forward !== null) {
          resolvedByQuote.set(q, Object.freeze({ ...q, forward: q.forward, rate: q.rate ?? defaultRate, forwardSource: 'input' as const }));
        }
      }
      continue;
    }
    forwards.push(estimate);
    for (const q of group) {
      resolvedByQuote.set(
        q,
        q.forward !== null
          ? Object.freeze({ ...q, forward: q.forward, rate: q.rate ?? defaultRate, forwardSource: 'input' as const })
          : Object.freeze({ ...q, forward: estimate.forward, rate: q.rate ?? estimate.rate, forwardSource: 'put-call-parity' as const }),
      );
    }
  }
  const resolved: OptionQuote[] = [];
  for (const q of quotes) {
    const r = resolvedByQuote.get(q);
    if (r !== undefined) resolved.push(r);
  }
  return { quotes: Object.freeze(resolved), forwards: Object.freeze(forwards), failures: Object.freeze(failures) };
}
