/**
 * One call from resolved quotes to cleaned quotes with implied vols (pure): `cleanQuotes` then
 * `impliedVolsOfQuotes`, with one merged report.
 */

import type { OptionQuote } from './types.ts';
import { cleanQuotes, type CleaningReport, type RejectedQuote } from './clean/clean-quotes.ts';
import type { CleaningOptions, CleaningRule } from './clean/rules.ts';
import { impliedVolsOfQuotes, type IvRule, type QuoteWithIv } from './iv/quotes-iv.ts';

/** Result of `prepareOptionQuotes`. */
export interface PreparedQuotes {
  /** Clean two-sided quotes with implied vols, input order. */
  readonly quotes: readonly QuoteWithIv[];
  /** One-sided quotes kept for fallback uses (`keepOneSided`), without implied vols. */
  readonly fallback: readonly RejectedQuote[];
  /** Every rejected quote with its rule (cleaning rules, then `iv:<CODE>`). */
  readonly rejected: readonly RejectedQuote<CleaningRule | IvRule>[];
  /** The cleaning report, plus the implied-vol rejections by rule. */
  readonly report: CleaningReport & { readonly iv: Readonly<Partial<Record<IvRule, number>>>; readonly withIv: number };
}

/** Cleans quotes and computes their implied vols; see `cleanQuotes` and `impliedVolsOfQuotes`. */
export function prepareOptionQuotes(quotes: readonly OptionQuote[], options: CleaningOptions = {}): PreparedQuotes {
  const cleaned = cleanQuotes(quotes, options);
  const iv = impliedVolsOfQuotes(cleaned.accepted);
  return {
    quotes: iv.quotes,
    fallback: cleaned.fallback,
    rejected: Object.freeze([...cleaned.rejected, ...iv.rejected]),
    report: Object.freeze({ ...cleaned.report, iv: iv.report, withIv: iv.quotes.length }),
  };
}
