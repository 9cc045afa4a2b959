/**
 * Parser (pure) for the project's canonical daily price CSV: `date, asset, close` (+ optional `currency`),
 * `date` a UTC day `YYYY-MM-DD`, `close` positive, rows in any order.
 */

import type { ParseResult, PricePoint } from '../types.ts';
import { DuplicateDetector } from './table.ts';
import { failIfDuplicate, parseTableRows } from './rows.ts';
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
  const dup = new DuplicateDetector();
  const { rows, failures } = parseTableRows(file, text, CANONICAL_PRICE_COLUMNS, (r): PricePoint => {
    const date = r.date('date');
    const asset = r.text('asset');
    const close = r.number('close', 'positive');
    const currency = r.raw('currency');
    if (r.failure === null) failIfDuplicate(r, dup, `${asset}|${date}`, 'date', date, (first) => `same asset and date as line ${first}`);
    return Object.freeze(currency === '' ? { date, asset, close } : { date, asset, close, currency });
  });
  return { rows: rows.sort(comparePricePoints), failures };
}
