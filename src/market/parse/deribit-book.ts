/**
 * Parser (pure) for the 2020 Deribit order-book CSV of `fixtures/market/deribit_2020/` (pandas export of
 * `public/get_order_book` per instrument): first column an unnamed pandas index, prices in BTC, a missing side
 * written as `0.0` (kept as 0: the cleaning rules `zero-bid` / `one-sided` handle it), `mark_iv`, `bid_iv`,
 * `ask_iv` in **percent**, times in epoch ms, per-row `timestamp`. The Python-literal columns (`greeks`,
 * `stats`, `bids`, `asks`) are ignored.
 */

import type { OptionQuote, ParseResult } from '../types.ts';
import { DuplicateDetector } from './table.ts';
import { failIfDuplicate, parseTableRows } from './rows.ts';
import { matchesOptionName, readOptionName } from './option-name.ts';
import { finalizeResolvedQuote, latestQuoteTimestamp, type QuoteDraft } from './quote-draft.ts';
import type { OptionParseOptions } from './options.ts';

type VenueQuoteDraft = QuoteDraft & { forward: number; rate: number; forwardSource: 'venue' };

/** Columns the parser needs. */
export const DERIBIT_BOOK_REQUIRED_COLUMNS = Object.freeze([
  'expiration_timestamp',
  'option_type',
  'instrument_name',
  'strike',
  'underlying_price',
  'timestamp',
  'mark_price',
  'best_bid_price',
  'best_ask_price',
] as const);

/**
 * Parses a 2020 Deribit order-book CSV into quotes: `forward` = `underlying_price`, `rate` = `interest_rate`
 * (0 when absent), `venueMarkIv`/`venueBidIv`/`venueAskIv` = the percent columns / 100 (a venue IV of 0, which
 * Deribit writes when it has no IV, is left out). `asOfMs` defaults to the latest per-row timestamp.
 */
export function parseDeribitBookCsv(text: string, options: OptionParseOptions = {}): ParseResult<OptionQuote> {
  const file = options.file ?? '<input>';
  const dup = new DuplicateDetector();
  const { rows: drafts, failures } = parseTableRows(file, text, DERIBIT_BOOK_REQUIRED_COLUMNS, (r): VenueQuoteDraft | undefined => {
    const expiryTimestampMs = r.timestamp('expiration_timestamp');
    const type = r.optionType('option_type');
    const { name, option: inst } = readOptionName(r, 'instrument_name');
    const strike = r.number('strike', 'positive');
    const forward = r.number('underlying_price', 'positive');
    const quoteTimestampMs = r.timestamp('timestamp');
    const mark = r.number('mark_price', 'nonnegative', true);
    const markIvPct = r.number('mark_iv', 'nonnegative', true);
    const rate = r.number('interest_rate', 'any', true);
    const index = r.number('index_price', 'positive', true);
    const bid = r.number('best_bid_price', 'nonnegative');
    const ask = r.number('best_ask_price', 'nonnegative');
    const bidIvPct = r.number('bid_iv', 'nonnegative', true);
    const askIvPct = r.number('ask_iv', 'nonnegative', true);
    const openInterest = r.number('open_interest', 'nonnegative', true);
    if (r.failure !== null || inst === null) return undefined;
    const cells = {
      typeColumn: 'option_type', type, strikeColumn: 'strike', strike,
      expiryColumn: 'expiration_timestamp', expiryTimestampMs, formatExpiry: String,
    };
    if (matchesOptionName(r, inst, cells)) {
      failIfDuplicate(r, dup, name, 'instrument_name', name, (first) => `first seen on line ${first}`);
    }
    if (r.failure !== null) return undefined;
    const forwardName = r.raw('underlying_index');
    return {
      underlying: inst.underlying,
      instrument: name,
      expiryTimestampMs,
      strike,
      type,
      bid,
      ask,
      mark: mark ?? undefined,
      index: index ?? undefined,
      settlement: inst.settlement,
      currency: inst.settlementCurrency,
      quoteTimestampMs,
      venueMarkIv: positivePercent(markIvPct),
      venueBidIv: positivePercent(bidIvPct),
      venueAskIv: positivePercent(askIvPct),
      openInterest: openInterest ?? undefined,
      forwardInstrument: forwardName === '' ? undefined : forwardName,
      forward,
      rate: rate ?? 0,
      forwardSource: 'venue',
    };
  });
  const asOfMs = options.asOfMs ?? latestQuoteTimestamp(drafts);
  return { rows: drafts.map((d) => finalizeResolvedQuote(d, asOfMs)), failures };
}

function positivePercent(x: number | null): number | undefined {
  return x !== null && x > 0 ? x / 100 : undefined;
}
