/** Bid, ask, mid (and mark) implied vols of a set of quotes (pure). */

import type { ImpliedVolErrorCode } from '../../pricing/index.ts';
import type { OptionQuote } from '../types.ts';
import type { RejectedQuote } from '../clean/clean-quotes.ts';
import { impliedVolOfPrice } from './quote-iv.ts';

/** An implied-vol failure reason: `iv:` + the pricing layer's `ImpliedVolError` code. */
export type IvRule = `iv:${ImpliedVolErrorCode}` | 'iv:no-mid';

/** A quote with its implied vols (annualised decimals). */
export type QuoteWithIv = OptionQuote & {
  /** Implied vol of the mid (bid + ask) / 2. */
  readonly ivMid: number;
  /** Implied vol of the bid, `null` when the bid admits none (e.g. below intrinsic; see `ivBidError`). */
  readonly ivBid: number | null;
  /** Implied vol of the ask, `null` when the ask admits none (see `ivAskError`). */
  readonly ivAsk: number | null;
  readonly ivBidError?: ImpliedVolErrorCode;
  readonly ivAskError?: ImpliedVolErrorCode;
  /** Implied vol of the venue mark price, when the quote has a mark and it admits one. */
  readonly ivMark?: number;
};

/** Result of `impliedVolsOfQuotes`. */
export interface QuotesIvResult {
  readonly quotes: readonly QuoteWithIv[];
  /** Quotes whose mid admits no implied vol, with the error code as the rule. */
  readonly rejected: readonly RejectedQuote<IvRule>[];
  /** Counts of `rejected` by rule. */
  readonly report: Readonly<Partial<Record<IvRule, number>>>;
}

/**
 * Computes mid, bid, ask and mark implied vols. Input quotes should be cleaned and two-sided: a quote without
 * both sides is rejected as `iv:no-mid`. A mid that admits no vol rejects the quote with `iv:<CODE>`
 * (`BELOW_INTRINSIC`, `ABOVE_MAXIMUM`, ...); a bid or ask that admits none only sets `ivBid`/`ivAsk` to null
 * with the code (a bid below intrinsic is a legitimate, uninformative bid).
 */
export function impliedVolsOfQuotes(quotes: readonly OptionQuote[]): QuotesIvResult {
  const out: QuoteWithIv[] = [];
  const rejected: RejectedQuote<IvRule>[] = [];
  const report: Partial<Record<IvRule, number>> = {};
  const reject = (quote: OptionQuote, rule: IvRule, detail: string): void => {
    rejected.push(Object.freeze({ quote, rule, detail }));
    report[rule] = (report[rule] ?? 0) + 1;
  };
  for (const q of quotes) {
    if (q.bid === null || q.ask === null) {
      reject(q, 'iv:no-mid', 'bid or ask absent');
      continue;
    }
    const mid = impliedVolOfPrice(q, (q.bid + q.ask) / 2);
    if ('code' in mid) {
      reject(q, `iv:${mid.code}`, mid.message);
      continue;
    }
    const bid = impliedVolOfPrice(q, q.bid);
    const ask = impliedVolOfPrice(q, q.ask);
    const mark = q.mark === undefined ? null : impliedVolOfPrice(q, q.mark);
    const withIv: Record<string, unknown> = {
      ...q,
      ivMid: mid.vol,
      ivBid: 'vol' in bid ? bid.vol : null,
      ivAsk: 'vol' in ask ? ask.vol : null,
    };
    if ('code' in bid) withIv.ivBidError = bid.code;
    if ('code' in ask) withIv.ivAskError = ask.code;
    if (mark !== null && 'vol' in mark) withIv.ivMark = mark.vol;
    out.push(Object.freeze(withIv) as unknown as QuoteWithIv);
  }
  return { quotes: Object.freeze(out), rejected: Object.freeze(rejected), report: Object.freeze(report) };
}
