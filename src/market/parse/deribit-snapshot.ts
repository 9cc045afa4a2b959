/**
 * Parser (pure) for the Deribit option-snapshot CSV of `fixtures/market/deribit_2025_2026/` as it is:
 * one row per listed option, prices **in coin**, `underlying` = the forward of the option's expiry (USD),
 * `implied_volatility` = Deribit `mark_iv / 100`, `expiry_datetime` at 08:00 UTC.
 */

import type { OptionQuote, ParseResult } from '../types.ts';
import { DuplicateDetector } from './table.ts';
import { failIfDuplicate, TableParser, type RecordParser } from './rows.ts';
import { tokenizeCsv } from './csv.ts';
import { matchesOptionName, readOptionName } from './option-name.ts';
import { finalizeResolvedQuote, latestQuoteTimestamp, type QuoteDraft } from './quote-draft.ts';
import type { OptionParseOptions } from './options.ts';

type VenueQuoteDraft = QuoteDraft & { forward: number; rate: number; forwardSource: 'venue' };

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
  const parser = deribitSnapshotParser(options);
  parser.push(tokenizeCsv(text));
  return parser.finish();
}

/** `parseDeribitSnapshotCsv` as a record parser (for streaming a file; see `RecordParser`). */
export function deribitSnapshotParser(options: OptionParseOptions = {}): RecordParser<OptionQuote> {
  const file = options.file ?? '<input>';
  const dup = new DuplicateDetector();
  const table = new TableParser(file, DERIBIT_SNAPSHOT_REQUIRED_COLUMNS, (r): VenueQuoteDraft | undefined => {
    const { name, option: inst } = readOptionName(r, 'instrument_name');
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
    if (r.failure !== null || inst === null) return undefined;
    const cells = {
      typeColumn: 'option_type', type, strikeColumn: 'strike', strike,
      expiryColumn: 'expiry_datetime', expiryTimestampMs, formatExpiry: isoUtc,
    };
    if (matchesOptionName(r, inst, cells)) {
      if (inst.settlementCurrency !== currency) r.fail('currency', 'inconsistent', currency, `instrument name says ${inst.settlementCurrency}`);
      else failIfDuplicate(r, dup, name, 'instrument_name', name, (first) => `first seen on line ${first}`);
    }
    if (r.failure !== null) return undefined;
    const forwardName = r.raw('underlying_name');
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
      currency,
      quoteTimestampMs,
      venueMarkIv: venueMarkIv ?? undefined,
      openInterest: openInterest ?? undefined,
      forwardInstrument: forwardName === '' ? undefined : forwardName,
      forward,
      rate: 0,
      forwardSource: 'venue',
    };
  }, options.maxFailures);
  return {
    push: (records) => table.push(records),
    finish: () => {
      const { rows: drafts, ...failures } = table.finish();
      const asOfMs = options.asOfMs ?? latestQuoteTimestamp(drafts);
      return { rows: drafts.map((d) => finalizeResolvedQuote(d, asOfMs)), ...failures };
    },
  };
}

function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
