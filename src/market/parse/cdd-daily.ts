/**
 * Parser (pure) for CryptoDataDownload daily OHLCV CSVs as they are (e.g.
 * `fixtures/market/crypto_daily/Binance_BTCUSDT_d.csv`): a banner line (`https://www.CryptoDataDownload.com`)
 * before the header, rows **newest first**. Columns vary between CDD vintages, so they are found by name,
 * case-insensitively: `date` (required; `YYYY-MM-DD`, optionally followed by a time), `close` (required),
 * `symbol` (needed unless the `asset` option is given), `unix` / `unix timestamp` (optional; ms or s, checked
 * against `date` when present).
 */

import type { ParseFailure, ParseResult, PricePoint } from '../types.ts';
import { formatUtcDate, parseDateOnlyUtc } from '../time.ts';
import { tokenizeCsv, type CsvRecord } from './csv.ts';
import { DuplicateDetector, failure, indexHeader, RowReader, type Header } from './table.ts';
import { FailureList, failIfDuplicate, type RecordParser } from './rows.ts';
import type { ParseOptions } from './options.ts';
import { comparePricePoints } from './price-order.ts';

/** Quote currencies recognised as a pair suffix, longest first (`BTCUSDT` → `BTC` / `USDT`). */
export const QUOTE_CURRENCIES = Object.freeze(['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USD', 'EUR']);

/** Options of `parseCddDailyCsv`. */
export interface CddParseOptions extends ParseOptions {
  /** Asset code to use instead of the one derived from `Symbol`. */
  readonly asset?: string;
}

/** Splits a pair symbol (`BTCUSDT`, `BTC/USDT`, `BTC-USD`) into base asset and quote currency, or `null`. */
export function splitPairSymbol(symbol: string): { asset: string; currency: string } | null {
  const parts = symbol.split(/[/_-]/);
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { asset: parts[0] as string, currency: parts[1] as string };
  for (const q of QUOTE_CURRENCIES) {
    if (symbol.length > q.length && symbol.endsWith(q)) return { asset: symbol.slice(0, -q.length), currency: q };
  }
  return null;
}

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * Parses a CDD daily file into price points sorted ascending by (asset, date). One failure per bad row:
 * bad date, non-positive close, `unix` disagreeing with `date`, unrecognised symbol, duplicate (asset, date).
 */
export function parseCddDailyCsv(text: string, options: CddParseOptions = {}): ParseResult<PricePoint> {
  const parser = cddDailyParser(options);
  parser.push(tokenizeCsv(text));
  return parser.finish();
}

interface CddColumns {
  readonly header: Header;
  readonly dateCol: string;
  readonly closeCol: string;
  readonly symbolCol: string | undefined;
  readonly unixCol: string | undefined;
}

/** `parseCddDailyCsv` as a record parser (for streaming a file; see `RecordParser`). */
export function cddDailyParser(options: CddParseOptions = {}): RecordParser<PricePoint> {
  const file = options.file ?? '<input>';
  const failures = new FailureList(options.maxFailures);
  const rows: PricePoint[] = [];
  const dup = new DuplicateDetector();
  const leading: CsvRecord[] = [];
  let columns: CddColumns | null = null;
  let stopped = false;
  const stop = (f: ParseFailure): void => {
    failures.add(f);
    stopped = true;
  };
  // the header is the first of the first two records that has a `date` column (the banner precedes it)
  const openHeader = (headerRecord: CsvRecord): void => {
    const header = indexHeader(headerRecord.fields);
    const find = (...names: string[]): string | undefined => header.names.find((n) => names.includes(n.toLowerCase()));
    const closeCol = find('close');
    const symbolCol = find('symbol');
    if (closeCol === undefined) return stop(failure(file, headerRecord.line, 'close', 'missing-column', undefined, 'no Close column'));
    if (symbolCol === undefined && options.asset === undefined) {
      return stop(failure(file, headerRecord.line, 'symbol', 'missing-column', undefined, 'no Symbol column and no asset option'));
    }
    columns = { header, dateCol: find('date') as string, closeCol, symbolCol, unixCol: find('unix', 'unix timestamp', 'timestamp') };
  };
  const noHeader = (): void => {
    const line = leading[1]?.line ?? leading[0]?.line ?? 1;
    stop(failure(file, line, 'date', 'missing-column', undefined, 'no header with a Date column in the first two lines'));
  };
  const hasDate = (rec: CsvRecord): boolean => rec.fields.some((f) => f.trim().toLowerCase() === 'date');
  return {
    push(records) {
      for (const record of records) {
        if (stopped) return;
        if (columns === null) {
          leading.push(record);
          if (hasDate(record)) openHeader(record);
          else if (leading.length >= 2) noHeader();
          continue;
        }
        readRow(columns, record);
      }
    },
    finish() {
      if (columns === null && !stopped) {
        if (leading.length === 0) stop(failure(file, 1, '', 'empty-file'));
        else noHeader();
      }
      return { rows: rows.sort(comparePricePoints), ...failures.result() };
    },
  };

  function readRow(c: CddColumns, record: CsvRecord): void {
    const { dateCol, closeCol, symbolCol, unixCol } = c;
    const r = new RowReader(file, record, c.header);
    const dateText = r.text(dateCol);
    const m = DATE_PREFIX.exec(dateText);
    let date = '';
    if (r.failure === null) {
      if (m === null || parseDateOnlyUtc(m[1] as string) === null) r.fail(dateCol, 'bad-date', dateText);
      else date = m[1] as string;
    }
    if (unixCol !== undefined && r.failure === null) {
      const unixText = r.text(unixCol);
      const t = /^\d{13}$/.test(unixText) ? Number(unixText) : /^\d{10}$/.test(unixText) ? Number(unixText) * 1000 : null;
      if (t === null) r.fail(unixCol, 'bad-timestamp', unixText);
      else if (formatUtcDate(t) !== date) r.fail(unixCol, 'inconsistent', unixText, `is ${formatUtcDate(t)}, ${dateCol} says ${date}`);
    }
    let asset = options.asset ?? '';
    let currency: string | undefined;
    if (symbolCol !== undefined && r.failure === null) {
      const symbol = r.text(symbolCol);
      const pair = r.failure === null ? splitPairSymbol(symbol) : null;
      if (r.failure === null && pair === null) r.fail(symbolCol, 'bad-instrument-name', symbol, 'unrecognised pair symbol');
      else if (pair !== null) {
        if (options.asset === undefined) asset = pair.asset;
        currency = pair.currency;
      }
    }
    const close = r.number(closeCol, 'positive');
    if (r.failure === null) {
      failIfDuplicate(r, dup, `${asset}|${date}`, dateCol, date, (first) => `same ${asset} date as line ${first}`);
    }
    if (r.failure !== null) {
      failures.add(r.failure);
      return;
    }
    rows.push(Object.freeze(currency === undefined ? { date, asset, close } : { date, asset, close, currency }));
  }
}
