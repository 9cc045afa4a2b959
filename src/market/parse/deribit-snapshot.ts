/**
 * Parser (pure) for the Deribit option-snapshot CSV of `fixtures/market/deribit_2025_2026/` as it is:
 * one row per listed option, prices **in coin**, `underlying` = the forward of the option's expiry (USD),
 * `implied_volatility` = Deribit `mark_iv / 100`, `expiry_datetime` at 08:00 UTC.
 */

import type { OptionQuote, ParseFailure, ParseResult } from '../types.ts';
import { InstrumentNameError } from '../errors.ts';
import { tryParseInstrumentName } from '../instrument.ts';
import { tokenizeCsv } from './csv.ts';
import { checkColumns, DuplicateDetector, indexHeader, RowReader, splitHeader } from './table.ts';
import { finalizeResolvedQuote, latestQuoteTimestamp, type QuoteDraft } from './quote-draft.ts';
import type { OptionParseOptions } from './options.ts';

/** Columns the parser needs; other columns (greeks, volumes, spreads, …) are ignored. */
export const DERIBIT_SNAPSHOT_REQUIRED_COLUMNS = Object.freeze([
  'timestamp',
  'instrument_name',
  'underlying',
  'option_type',
  'strike',
  'expiry_datetime',
  'bid_price',
  'ask_price',
  'mark_price',
  'currency',
] as const);

/**
 * Parses a Deribit snapshot CSV. Each row becomes an inverse (or, for `_USDC` names, linear) `OptionQuote`
 * with `forward` = `underlying`, `rate` = 0, prices in coin, `venueMarkIv` = `implied_volatility`.
 * Rejected rows (exactly one failure each): bad instrument name, cells that disagree with the name
 * (`option_type`, `strike`, `expiry_datetime`, `currency`), non-numeric / non-finite / negative prices,
 * non-positive strike, forward or index, bad timestamps, duplicate `instrument_name`.
 */
export function parseDeribitSnapshotCsv(text: string, options: OptionParseOptions = {}): ParseResult<OptionQuote> {
  const file = options.file ?? '<input>';
  const split = splitHeader(file, tokenizeCsv(text));
  if ('reason' in split) return { rows: [], failures: [split] };
  const header = indexHeader(split.header.fields);
  const missing = checkColumns(file, split.header.line, header, DERIBIT_SNAPSHOT_REQUIRED_COLUMNS);
  if (missing !== null) return { rows: [], failures: [missing] };

  const failures: ParseFailure[] = [];
  const drafts: (QuoteDraft & { forward: number; rate: number; forwardSource: 'venue' })[] = [];
  const dup = new DuplicateDetector();
  for (const record of split.data) {
    const r = new RowReader(file, record, header);
    const name = r.text('instrument_name');
    const inst = r.failure === null ? tryParseInstrumentName(name) : null;
    if (inst instanceof InstrumentNameError) r.fail('instrument_name', 'bad-instrument-name', name, inst.reason);
    else if (inst !== null && inst.kind !== 'option') r.fail('instrument_name', 'bad-instrument-name', name, `not an option (${inst.kind})`);
    const quoteTimestampMs = r.timestamp('timestamp');
    const forward = r.number('underlying', 'positive');
    const type = r.optionType('option_type');
    const strike = r.number('strike', 'positive');
    const expiryTimestampMs = r.isoDateTime('expiry_datetime');
    const bid = r.number('bid_price', 'nonnegative', true);
    const ask = r.number('ask_price', 'nonnegative', true);
    const mark = r.number('mark_price', 'nonnegative', true);
    const venueMarkIv = r.number('implied_volatility', 'nonnegative', true);
    const openInterest = r.number('open_interest', 'nonnegative', true);
    const currency = r.text('currency');
    const index = r.number('index_price', 'positive', true);
    if (r.failure === null && inst !== null && !(inst instanceof InstrumentNameError) && inst.kind === 'option') {
      if (inst.type !== type) r.fail('option_type', 'inconsistent', r.raw('option_type'), `instrument name says ${inst.type}`);
      else if (inst.strike !== strike) r.fail('strike', 'inconsistent', r.raw('strike'), `instrument name says ${inst.strike}`);
      else if (inst.expiryTimestampMs !== expiryTimestampMs) {
        r.fail('expiry_datetime', 'inconsistent', r.raw('expiry_datetime'), `instrument name says ${new Date(inst.expiryTimestampMs).toISOString()}`);
      } else if (inst.settlementCurrency !== currency) {
        r.fail('currency', 'inconsistent', currency, `instrument name says ${inst.settlementCurrency}`);
      } else {
        const first = dup.check(name, r.line);
        if (first !== null) r.fail('instrument_name', 'duplicate-key', name, `first seen on line ${first}`);
      }
      if (r.failure === null) {
        const forwardName = r.raw('underlying_name');
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
          currency,
          quoteTimestampMs,
          venueMarkIv: venueMarkIv ?? undefined,
          openInterest: openInterest ?? undefined,
          forwardInstrument: forwardName === '' ? undefined : forwardName,
          forward,
          rate: 0,
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
