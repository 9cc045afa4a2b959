/**
 * Turning validated option rows into frozen quotes once the as-of instant is known (pure).
 */

import type { ForwardSource, OptionQuote, OptionType, Settlement, UnresolvedOptionQuote } from '../types.ts';
import { yearsAct365 } from '../time.ts';

/** A validated option row before the as-of instant is known; optional fields may be `undefined`. */
export interface QuoteDraft {
  underlying: string;
  instrument: string;
  expiryTimestampMs: number;
  strike: number;
  type: OptionType;
  bid: number | null;
  ask: number | null;
  mark?: number | undefined;
  index?: number | undefined;
  settlement: Settlement;
  currency: string;
  quoteTimestampMs: number;
  venueMarkIv?: number | undefined;
  venueBidIv?: number | undefined;
  venueAskIv?: number | undefined;
  openInterest?: number | undefined;
  forwardInstrument?: string | undefined;
  forward: number | null;
  rate: number | null;
  forwardSource?: ForwardSource | undefined;
}

/** Removes keys whose value is `undefined` (so optional fields are absent, not `undefined`) and freezes. */
export function freezeCompact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return Object.freeze(out) as T;
}

/**
 * The default as-of instant of a set of drafts: the latest quote timestamp (for a Deribit snapshot, the
 * collection run's start time, which is the same on every row). `NaN` when there are no drafts.
 */
export function latestQuoteTimestamp(drafts: readonly { readonly quoteTimestampMs: number }[]): number {
  let t = Number.NEGATIVE_INFINITY;
  for (const d of drafts) if (d.quoteTimestampMs > t) t = d.quoteTimestampMs;
  return Number.isFinite(t) ? t : Number.NaN;
}

/** Sets `asOfMs` and `expiry` (ACT/365 years from `asOfMs`) and freezes a draft whose forward is known. */
export function finalizeResolvedQuote(draft: QuoteDraft & { forward: number; rate: number; forwardSource: ForwardSource }, asOfMs: number): OptionQuote {
  return freezeCompact({ ...draft, asOfMs, expiry: yearsAct365(asOfMs, draft.expiryTimestampMs) }) as OptionQuote;
}

/** Sets `asOfMs` and `expiry` (ACT/365 years from `asOfMs`) and freezes a draft (forward possibly unknown). */
export function finalizeUnresolvedQuote(draft: QuoteDraft, asOfMs: number): UnresolvedOptionQuote {
  return freezeCompact({ ...draft, forwardSource: undefined, asOfMs, expiry: yearsAct365(asOfMs, draft.expiryTimestampMs) }) as UnresolvedOptionQuote;
}
