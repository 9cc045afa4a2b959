/**
 * Parser (pure) for `term_futures_marks.csv` (fixtures/market/deribit_2025_2026): for each option snapshot and
 * listed dated future, the matched candle price `term_mark_price_final` (USD, used as `price`), its time
 * `term_candle_price_timestamp_ms`, and the mark seen inside the snapshot's option rows
 * (`snapshot_term_mark_price`, kept as `snapshotMark`). Futures expire 08:00 UTC of the named day.
 */

import type { FuturesMark, ParseResult } from '../types.ts';
import { InstrumentNameError } from '../errors.ts';
import { tryParseInstrumentName } from '../instrument.ts';
import { DuplicateDetector } from './table.ts';
import { failIfDuplicate, parseTableRows } from './rows.ts';
import type { ParseOptions } from './options.ts';

/** Columns the parser needs. */
export const TERM_FUTURES_REQUIRED_COLUMNS = Object.freeze([
  'currency',
  'futures_instrument_name',
  'snapshot_file',
  'snapshot_timestamp_ms',
  'term_candle_price_timestamp_ms',
  'term_mark_price_final',
] as const);

/**
 * Parses the term-futures file, rows in file order. One failure per bad row: a name that is not a dated
 * future, `currency` disagreeing with the name, bad times, non-positive prices, duplicate (snapshot_file,
 * futures_instrument_name).
 */
export function parseTermFuturesCsv(text: string, options: ParseOptions = {}): ParseResult<FuturesMark> {
  const file = options.file ?? '<input>';
  const dup = new DuplicateDetector();
  return parseTableRows(file, text, TERM_FUTURES_REQUIRED_COLUMNS, (r): FuturesMark => {
    const currency = r.text('currency');
    const name = r.text('futures_instrument_name');
    const snapshotFile = r.text('snapshot_file');
    const snapshotTimestampMs = r.timestamp('snapshot_timestamp_ms');
    const priceTimestampMs = r.timestamp('term_candle_price_timestamp_ms');
    const price = r.number('term_mark_price_final', 'positive');
    const snapshotMark = r.number('snapshot_term_mark_price', 'positive', true);
    let underlying = '';
    let expiryTimestampMs = Number.NaN;
    if (r.failure === null) {
      const inst = tryParseInstrumentName(name);
      if (inst instanceof InstrumentNameError || inst.kind !== 'future' || inst.synthetic) {
        r.fail('futures_instrument_name', 'bad-instrument-name', name, 'not a dated future name');
      } else if (currency !== inst.underlying) {
        r.fail('currency', 'inconsistent', currency, `instrument name says ${inst.underlying}`);
      } else {
        underlying = inst.underlying;
        expiryTimestampMs = inst.expiryTimestampMs;
        failIfDuplicate(r, dup, `${snapshotFile}|${name}`, 'futures_instrument_name', name, (first) => `same snapshot as line ${first}`);
      }
    }
    const mark: FuturesMark = {
      instrument: name,
      underlying,
      kind: 'future',
      expiryTimestampMs,
      price,
      priceTimestampMs,
      snapshotTimestampMs,
      snapshotFile,
      ...(snapshotMark === null ? {} : { snapshotMark }),
    };
    return Object.freeze(mark);
  });
}
