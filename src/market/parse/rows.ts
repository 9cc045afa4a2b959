/**
 * The row loop (pure) shared by the header-then-rows CSV parsers: open the table (header, required columns), read
 * each record with a `RowReader`, keep one failure per bad row, and flag repeated keys.
 */

import { tokenizeCsv, type CsvRecord } from './csv.ts';
import type { ParseFailure } from '../types.ts';
import { checkColumns, indexHeader, RowReader, splitHeader, type DuplicateDetector, type Header } from './table.ts';

/** A tokenized table whose header has every required column. */
export interface OpenedTable {
  readonly header: Header;
  readonly data: readonly CsvRecord[];
}

/**
 * Tokenizes `text`, splits off the header and checks that it has every `required` column: the table, or the one
 * failure (`empty-file`, `bad-header`, `missing-column`) that stops the parse.
 */
export function openTable(file: string, text: string, required: readonly string[]): OpenedTable | ParseFailure {
  const split = splitHeader(file, tokenizeCsv(text));
  if ('reason' in split) return split;
  const header = indexHeader(split.header.fields);
  const missing = checkColumns(file, split.header.line, header, required);
  if (missing !== null) return missing;
  return { header, data: split.data };
}

/**
 * Records a `duplicate-key` failure on `column` (cell text `value`) when `dup` has already seen `key`; `detail`
 * words it from the line where the key was first seen. Call it only while the row has no failure.
 */
export function failIfDuplicate(
  r: RowReader,
  dup: DuplicateDetector,
  key: string,
  column: string,
  value: string,
  detail: (firstLine: number) => string,
): void {
  const first = dup.check(key, r.line);
  if (first !== null) r.fail(column, 'duplicate-key', value, detail(first));
}

/**
 * Opens `text` (see `openTable`) and reads each data record with `readRow`, in file order: a record whose reader
 * ends with a failure gives exactly that failure; otherwise the value `readRow` returns is kept (`undefined` is
 * skipped). A table that cannot be opened gives no rows and its one failure.
 */
export function parseTableRows<T>(
  file: string,
  text: string,
  required: readonly string[],
  readRow: (r: RowReader) => T | undefined,
): { rows: T[]; failures: ParseFailure[] } {
  const table = openTable(file, text, required);
  if ('reason' in table) return { rows: [], failures: [table] };
  const rows: T[] = [];
  const failures: ParseFailure[] = [];
  for (const record of table.data) {
    const r = new RowReader(file, record, table.header);
    const row = readRow(r);
    if (r.failure !== null) failures.push(r.failure);
    else if (row !== undefined) rows.push(row);
  }
  return { rows, failures };
}
