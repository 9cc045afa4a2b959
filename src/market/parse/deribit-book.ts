/**
 * Parser (pure) for the 2020 Deribit order-book CSV of `fixtures/market/deribit_2020/` (pandas export of
 * `public/get_order_book` per instrument): first column an unnamed pandas index, prices in BTC, a missing side
 * written as `0.0` (kept as 0: the cleaning rules `zero-bid` / `one-sided` handle it), `mark_iv`, `bid_iv`,
 * `ask_iv` in **percent**, times in epoch ms, per-row `timestamp`. The Python-literal columns (`greeks`,
 * `stats`, `bids`, `asks`) are ignored.
 */

import type { OptionQuote, ParseFailure, ParseResult } from '../types.ts';
import { InstrumentNameError } from '../errors.ts';
import { tryParseInstrumentName } from '../instrument.ts';
import { tokenizeCsv } from './csv.ts';
import { checkColumns, DuplicateDetector, indexHeader, RowReader, splitHeader } from './table.ts';
import { finalizeResolvedQuote, latestQuoteTimestamp, type QuoteDraft } from './quote-draft.ts';
import type { OptionParseOptions } from './options.ts';

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
  const split = splitHeader(file, tokenizeCsv(text));
  if ('reason' in split) return { rows: [], failures: [split] };
  const header = indexHeader(split.header.fields);
  const missing = checkColumns(file, split.header.line, header, DERIBIT_BOOK_REQUIRED_COLUMNS);
  if (missing !== null) return { rows: [], failures: [missing] };

  const failures: ParseFailure[] = [];
  const drafts: (QuoteDraft & { forward: number; rate: number; forwardSource: 'venue' })[] = [];
  const dup = new DuplicateDetector();
  for (const record of split.data) {
    const r = new RowReader(file, record, header);
    const expiryTimestampMs = r.timestamp('expiration_timestamp');
    const type = r.optionType('option_type');
    const name = r.text('instrument_name');
    const inst = r.failure === null ? tryParseInstrumentName(name) : null;
    if (inst instanceof InstrumentNameError) r.fail('instrument_name', 'bad-instrument-name', name, inst.reason);
    else if (inst !== null && inst.kind !== 'option') r.fail('instrument_name', 'bad-instrument-name', name, `not an option (${inst.kind})`);
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
    if (r.failure === null && inst !== null && !(inst instanceof InstrumentNameError) && inst.kind === 'option') {
      if (inst.type !== type) r.fail('option_type', 'inconsistent', r.raw('option_type'), `instrument name says ${inst.type}`);
      else if (inst.strike !== strike) r.fail('strike', 'inconsistent', r.raw('strike'), `instrument name says ${inst.strike}`);
      else if (inst.expiryTimestampMs !== expiryTimestampMs) {
        r.fail('expiration_timestamp', 'inconsistent', r.raw('expiration_timestamp'), `instrument name says ${inst.expiryTimestampMs}`);
      } else {
        const first = dup.check(name, r.line);
        if (first !== null) r.fail('instrument_name', 'duplicate-key', name, `first seen on line ${first}`);
      }
      if (r.failure === null) {
        const forwardName = r.raw('underlying_index');
        drafts.push({
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
        });
        continue;
      }
    }
    failures.push(r.failure as ParseFailure);
  }
  const asOfMs = options.asOfMs ?? latestQuoteTimestamp(drafts);
  return { rows: drafts.map((d) => finalizeResolvedQuote(d, asOfMs)), failures };
}

function positivePercent(x: number | null): number | undefined {
  return x !== null && x > 0 ? x / 100 : undefined;
}
