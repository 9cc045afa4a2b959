/**
 * Portfolio file loader (fs I/O): reads a portfolio JSON file and calls the pure parser with the file's base name as
 * the failure label. A file that cannot be read rejects the promise (an I/O error, not a data failure).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parsePortfolioJson } from '../parsePortfolio.ts';
import type { PortfolioParseResult } from '../types.ts';

/** Loads and validates a portfolio document (see `parsePortfolioJson`). */
export async function loadPortfolioFile(path: string): Promise<PortfolioParseResult> {
  const text = await readFile(path, 'utf8');
  return parsePortfolioJson(text, { file: basename(path) });
}
