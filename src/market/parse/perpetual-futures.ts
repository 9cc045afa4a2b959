/**
 * Parser (pure) for `perpetual_futures_prices.csv` (fixtures/market/deribit_2025_2026): BTC-/ETH-PERPETUAL
 * prices matched to each option snapshot from the nearest 1-minute chart candle. Times are epoch ms UTC.
 * `price` = `perp_futures_mark_price` (USD), `priceTimestampMs` = `candle_price_timestamp_ms`,
 * `snapshotTimestampMs` = `snapshot_timestamp_ms`.
 */

import type { FuturesMark, ParseResult } from '../types.ts';
import { InstrumentNameError } from '../errors.ts';
import { tryParseInstrumentName } from '../instrument.ts';
import { DuplicateDetector } from './table.ts';
import { failIfDuplicate, TableParser, type RecordParser } from './rows.ts';
import { tokenizeCsv } from './csv.ts';
import type { ParseOptions } from './options.ts';

/** Columns the parser needs. */
export const PERPETUAL_REQUIRED_COLUMNS = Object.freeze([
  'snapshot_file',
  'snapshot_timestamp_ms',
  'instrument_name',
  'candle_price_timestamp_ms',
  'perp_futures_mark_price',
] as const);

/**
 * Parses the perpetual-prices file, rows in file order. One failure per bad row: a name that is not a
 * perpetual, `coin` disagreeing with the name, bad times, non-positive price, duplicate (snapshot_file,
 * instrument_name).
 */
export function parsePerpetualFuturesCsv(text: string, options: ParseOptions = {}): ParseResult<FuturesMark> {
  const parser = perpetualFuturesParser(options);
  parser.push(tokenizeCsv(text));
  return parser.finish();
}

/** `parsePerpetualFuturesCsv` as a record parser (for streaming a file; see `RecordParser`). */
export function perpetualFuturesParser(options: ParseOptions = {}): RecordParser<FuturesMark> {
  const file = options.file ?? '<input>';
  const dup = new DuplicateDetector();
  return new TableParser(file, PERPETUAL_REQUIRED_COLUMNS, (r): FuturesMark => {
    const snapshotFile = r.text('snapshot_file');
    const snapshotTimestampMs = r.timestamp('snapshot_timestamp_ms');
    const name = r.text('instrument_name');
    const priceTimestampMs = r.timestamp('candle_price_timestamp_ms');
    const price = r.number('perp_futures_mark_price', 'positive');
    const coin = r.raw('coin');
    let underlying = '';
    if (r.failure === null) {
      const inst = tryParseInstrumentName(name);
      if (inst instanceof InstrumentNameError || inst.kind !== 'perpetual') {
        r.fail('instrument_name', 'bad-instrument-name', name, 'not a perpetual name');
      } else if (coin !== '' && coin !== inst.underlying) {
        r.fail('coin', 'inconsistent', coin, `instrument name says ${inst.underlying}`);
      } else {
        underlying = inst.underlying;
        failIfDuplicate(r, dup, `${snapshotFile}|${name}`, 'instrument_name', name, (first) => `same snapshot as line ${first}`);
      }
    }
    return Object.freeze({
      instrument: name,
      underlying,
      kind: 'perpetual' as const,
      expiryTimestampMs: null,
      price,
      priceTimestampMs,
      snapshotTimestampMs,
      snapshotFile,
    });
  }, options.maxFailures);
}
