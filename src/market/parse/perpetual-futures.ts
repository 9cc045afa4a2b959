/**
 * Parser (pure) for `perpetual_futures_prices.csv` (fixtures/market/deribit_2025_2026): BTC-/ETH-PERPETUAL
 * prices matched to each option snapshot from the nearest 1-minute chart candle. Times are epoch ms UTC.
 * `price` = `perp_futures_mark_price` (USD), `priceTimestampMs` = `candle_price_timestamp_ms`,
 * `snapshotTimestampMs` = `snapshot_timestamp_ms`.
 */

import type { FuturesMark, ParseFailure, ParseResult } from '../types.ts';
import { InstrumentNameError } from '../errors.ts';
import { tryParseInstrumentName } from '../instrument.ts';
import { tokenizeCsv } from './csv.ts';
import { checkColumns, DuplicateDetector, indexHeader, RowReader, splitHeader } from './table.ts';
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
  const file = options.file ?? '<input>';
  const split = splitHeader(file, tokenizeCsv(text));
  if ('reason' in split) return { rows: [], failures: [split] };
  const header = indexHeader(split.header.fields);
  const missing = checkColumns(file, split.header.line, header, PERPETUAL_REQUIRED_COLUMNS);
  if (missing !== null) return { rows: [], failures: [missing] };
  const failures: ParseFailure[] = [];
  const rows: FuturesMark[] = [];
  const dup = new DuplicateDetector();
  for (const record of split.data) {
    const r = new RowReader(file, record, header);
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
        const first = dup.check(`${snapshotFile}|${name}`, r.line);
        if (first !== null) r.fail('instrument_name', 'duplicate-key', name, `same snapshot as line ${first}`);
      }
    }
    if (r.failure !== null) {
      failures.push(r.failure);
      continue;
    }
    rows.push(Object.freeze({
      instrument: name,
      underlying,
      kind: 'perpetual' as const,
      expiryTimestampMs: null,
      price,
      priceTimestampMs,
      snapshotTimestampMs,
      snapshotFile,
    }));
  }
  return { rows, failures };
}
