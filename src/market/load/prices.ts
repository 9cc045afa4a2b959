/**
 * Price and futures loaders: read a file (fs I/O) and call the matching pure parser with the file's base name
 * as the failure label (daily prices and perpetual marks are streamed in chunks, see stream.ts). A file that cannot
 * be read rejects the promise.
 */

import type { FuturesMark, ParseResult, PricePoint } from '../types.ts';
import { basename } from 'node:path';
import { cddDailyParser, type CddParseOptions } from '../parse/cdd-daily.ts';
import { parseCanonicalPriceCsv } from '../parse/canonical-prices.ts';
import { perpetualFuturesParser } from '../parse/perpetual-futures.ts';
import { parseTermFuturesCsv } from '../parse/term-futures.ts';
import { readTextFile } from './read-text.ts';
import { streamCsvFile } from './stream.ts';

/** Loads a CryptoDataDownload daily CSV (see `parseCddDailyCsv`); points ascending by date. */
export async function loadCddDaily(path: string, options: Omit<CddParseOptions, 'file'> = {}): Promise<ParseResult<PricePoint>> {
  return (await streamCsvFile(path, cddDailyParser({ ...options, file: basename(path) }))).result;
}

/** Loads a canonical `date, asset, close` CSV (see `parseCanonicalPriceCsv`); points ascending by (asset, date). */
export async function loadCanonicalPrices(path: string): Promise<ParseResult<PricePoint>> {
  const { text, file } = await readTextFile(path);
  return parseCanonicalPriceCsv(text, { file });
}

/** Loads `perpetual_futures_prices.csv` (see `parsePerpetualFuturesCsv`). */
export async function loadPerpetualFutures(path: string): Promise<ParseResult<FuturesMark>> {
  return (await streamCsvFile(path, perpetualFuturesParser({ file: basename(path) }))).result;
}

/** Loads `term_futures_marks.csv` (see `parseTermFuturesCsv`). */
export async function loadTermFutures(path: string): Promise<ParseResult<FuturesMark>> {
  const { text, file } = await readTextFile(path);
  return parseTermFuturesCsv(text, { file });
}
