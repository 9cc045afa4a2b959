/**
 * Option-chain loaders: read a file (fs I/O) and call the matching pure parser with the file's base name as
 * the failure label (the Deribit snapshot is streamed in chunks, see stream.ts). A file that cannot be read rejects
 * the promise (an I/O error, not a data failure).
 */

import type { OptionQuote, ParseResult, UnresolvedOptionQuote } from '../types.ts';
import { basename } from 'node:path';
import { deribitSnapshotParser } from '../parse/deribit-snapshot.ts';
import { parseDeribitBookCsv } from '../parse/deribit-book.ts';
import { parseCanonicalOptionCsv, type CanonicalOptionParseOptions } from '../parse/canonical-options.ts';
import { parseCboeQuoteTableCsv, type CboePreamble } from '../parse/cboe-quote-table.ts';
import type { OptionParseOptions } from '../parse/options.ts';
import { readTextFile } from './read-text.ts';
import { streamCsvFile } from './stream.ts';

/** Loads a Deribit option snapshot CSV (see `parseDeribitSnapshotCsv`). */
export async function loadDeribitSnapshot(path: string, options: Omit<OptionParseOptions, 'file'> = {}): Promise<ParseResult<OptionQuote>> {
  return (await streamCsvFile(path, deribitSnapshotParser({ ...options, file: basename(path) }))).result;
}

/** Loads a 2020 Deribit order-book CSV (see `parseDeribitBookCsv`). */
export async function loadDeribitBook(path: string, options: Omit<OptionParseOptions, 'file'> = {}): Promise<ParseResult<OptionQuote>> {
  const { text, file } = await readTextFile(path);
  return parseDeribitBookCsv(text, { ...options, file });
}

/** Loads a canonical option CSV (see `parseCanonicalOptionCsv`). */
export async function loadCanonicalOptions(
  path: string,
  options: Omit<CanonicalOptionParseOptions, 'file'> = {},
): Promise<ParseResult<UnresolvedOptionQuote>> {
  const { text, file } = await readTextFile(path);
  return parseCanonicalOptionCsv(text, { ...options, file });
}

/** Loads a CBOE quote-table CSV (see `parseCboeQuoteTableCsv`). */
export async function loadCboeQuoteTable(
  path: string,
  options: Omit<OptionParseOptions, 'file'> = {},
): Promise<ParseResult<UnresolvedOptionQuote> & { readonly preamble: CboePreamble | null }> {
  const { text, file } = await readTextFile(path);
  return parseCboeQuoteTableCsv(text, { ...options, file });
}
