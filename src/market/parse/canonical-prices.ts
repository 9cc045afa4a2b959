/**
 * Parser (pure) for the project's canonical daily price CSV: `date, asset, close` (+ optional `currency`),
 * `date` a UTC day `YYYY-MM-DD`, `close` positive, rows in any order.
 */

import type { ParseFailure, ParseResult, PricePoint } from '../types.ts';
import { tokenizeCsv } from './csv.ts';
import { checkColumns, DuplicateDetector, indexHeader, RowReader, splitHeader } from './table.ts';
import type { ParseOptions } from './options.ts';
import { comparePricePoints } from './price-order.ts';

/** Required columns of the canonical price CSV. */
export const CANONICAL_PRICE_COLUMNS = Object.freeze(['date', 'asset', 'close'] as const);

/**
 * Parses a canonical price CSV into points sorted ascending by (asset, date). One failure per bad row: bad
 * date, empty asset, non-positive / non-numeric close, duplicate (asset, date).
 */
export function parseCanonicalPriceCsv(text: string, options: ParseOptions = {}): ParseResult<PricePoint> {
  const file = options.file ?? '<input>';
  const split = splitHeader(file, tokenizeCsv(text));
  if ('reason' in split) return { rows: [], failures: [split] };
  const header = indexHeader(split.header.fields);
  const missing = checkColumns(file, split.header.line, header, CANONICAL_PRICE_COLUMNS);
  if (missing !== null) return { rows: [], failures: [missing] };
  const failures: ParseFailure[] = [];
  const rows: PricePoint[] = [];
  const dup = new DuplicateDetector();
  for (const record of split.data) {
    const r = new RowReader(file, record, header);
    const date = r.date('date');
    const asset = r.text('asset');
    const close = r.number('close', 'positive');
    const currency = r.raw('currency');
    if (r.failure === null) {
      const first = dup.check(`${asset}|${date}`, r.line);
      if (first !== null) r.fail('date', 'duplicate-key', date, `same asset and date as line ${first}`);
    }
    if (r.failure !== null) {
      failures.push(r.failure);
      continue;
    }
    rows.push(Object.freeze(currency === '' ? { date, asset, close } : { date, asset, close, currency }));
  }
  return { rows: rows.sort(comparePricePoints), failures };
}
