/**
 * Price and futures loaders: read a file (fs I/O) and call the matching pure parser with the file's base name
 * as the failure label. A file that cannot be read rejects the promise.
 */

import type { FuturesMark, ParseResult, PricePoint } from '../types.ts';
import { parseCddDailyCsv, type CddParseOptions } from '../parse/cdd-daily.ts';
import { parseCanonicalPriceCsv } from '../parse/canonical-prices.ts';
import { parsePerpetualFuturesCsv } from '../parse/perpetual-futures.ts';
import { parseTermFuturesCsv } from '../parse/term-futures.ts';
import { readTextFile } from './read-text.ts';

/** Loads a CryptoDataDownload daily CSV (see `parseCddDailyCsv`); points ascending by date. */
export async function loadCddDaily(path: string, options: Omit<CddParseOptions, 'file'> = {}): Promise<ParseResult<PricePoint>> {
  const { text, file } = await readTextFile(path);
  return parseCddDailyCsv(text, { ...options, file });
}

/** Loads a canonical `date, asset, close` CSV (see `parseCanonicalPriceCsv`); points ascending by (asset, date). */
export async function loadCanonicalPrices(path: string): Promise<ParseResult<PricePoint>> {
  const { text, file } = await readTextFile(path);
  return parseCanonicalPriceCsv(text, { file });
}

/** Loads `perpetual_futures_prices.csv` (see `parsePerpetualFuturesCsv`). */
export async function loadPerpetualFutures(path: string): Promise<ParseResult<FuturesMark>> {
  const { text, file } = await readTextFile(path);
  return parsePerpetualFuturesCsv(text, { file });
}

/** Loads `term_futures_marks.csv` (see `parseTermFuturesCsv`). */
export async function loadTermFutures(path: string): Promise<ParseResult<FuturesMark>> {
  const { text, file } = await readTextFile(path);
  return parseTermFuturesCsv(text, { file });
}
