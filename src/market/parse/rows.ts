/**
 * The row loop (pure) shared by the header-then-rows CSV parsers: open the table (header, required columns), read
 * each record with a `RowReader`, keep one failure per bad row, and flag repeated keys.
 */

import { tokenizeCsv, type CsvRecord } from './csv.ts';
import type { ParseFailure, ParseResult } from '../types.ts';
import { checkColumns, failure, indexHeader, RowReader, splitHeader, type DuplicateDetector, type Header } from './table.ts';

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
 * A parser fed with tokenized records (the first is the header, or whatever the format puts first): `push` as records
 * come, `finish` once at the end. The `parse...Csv(text)` functions are `push(tokenizeCsv(text))` then `finish()`;
 * the streaming loaders push the records of each chunk of a file.
 */
export interface RecordParser<T> {
  push(records: readonly CsvRecord[]): void;
  finish(): ParseResult<T>;
}

/**
 * Failures kept in memory by a parser: the first `max` (with file, line, column and reason; `value` and `detail` cut to
 * `MAX_FAILURE_TEXT` characters and copied, so a kept failure never holds on to the text it came from), plus a count of
 * the rest.
 */
export class FailureList {
  readonly kept: ParseFailure[] = [];
  /** Failures seen but not kept. */
  omitted = 0;
  constructor(readonly max = Number.POSITIVE_INFINITY) {}
  add(f: ParseFailure): void {
    if (this.kept.length >= this.max) {
      this.omitted++;
      return;
    }
    this.kept.push(this.max === Number.POSITIVE_INFINITY ? f : detach(f));
  }
  /** `{ failures }`, plus `omittedFailures` when some were not kept. */
  result(): { failures: ParseFailure[]; omittedFailures?: number } {
    return this.omitted === 0 ? { failures: this.kept } : { failures: this.kept, omittedFailures: this.omitted };
  }
}

/** Longest `value` / `detail` text a capped failure list keeps (longer ones end with an ellipsis). */
export const MAX_FAILURE_TEXT = 200;

/** A fresh flat copy of a string (a substring of a large text would otherwise keep that text alive), cut to length. */
function copyText(s: string): string {
  const cut = s.length > MAX_FAILURE_TEXT ? `${s.slice(0, MAX_FAILURE_TEXT)}\u2026` : s;
  return JSON.parse(JSON.stringify(cut)) as string;
}

function detach(f: ParseFailure): ParseFailure {
  return failure(copyText(f.file), f.line, copyText(f.column), f.reason,
    f.value === undefined ? undefined : copyText(f.value), f.detail === undefined ? undefined : copyText(f.detail));
}

/**
 * Incremental form of `parseTableRows`: records are pushed as they are tokenized (the first one is the header) and
 * each data record is read with `readRow` at once; only the kept rows and the kept failures stay in memory.
 */
export class TableParser<T> implements RecordParser<T> {
  private header: Header | null = null;
  private stopped = false;
  private readonly rows: T[] = [];
  private readonly failures: FailureList;

  constructor(
    private readonly file: string,
    private readonly required: readonly string[],
    private readonly readRow: (r: RowReader) => T | undefined,
    maxFailures = Number.POSITIVE_INFINITY,
  ) {
    this.failures = new FailureList(maxFailures);
  }

  /** Reads the next records of the file. */
  push(records: readonly CsvRecord[]): void {
    for (const record of records) {
      if (this.stopped) return;
      if (this.header === null) {
        const opened = openHeader(this.file, record, this.required);
        if ('reason' in opened) {
          this.failures.add(opened);
          this.stopped = true;
        } else this.header = opened;
        continue;
      }
      const r = new RowReader(this.file, record, this.header);
      const row = this.readRow(r);
      if (r.failure !== null) this.failures.add(r.failure);
      else if (row !== undefined) this.rows.push(row);
    }
  }

  /** The rows and failures; a file without any record gives the `empty-file` failure. */
  finish(): { rows: T[]; failures: ParseFailure[]; omittedFailures?: number } {
    if (this.header === null && !this.stopped) {
      this.failures.add(failure(this.file, 1, '', 'empty-file', undefined, 'no header line'));
      this.stopped = true;
    }
    return { rows: this.rows, ...this.failures.result() };
  }
}

function openHeader(file: string, record: CsvRecord, required: readonly string[]): Header | ParseFailure {
  if (record.error !== undefined) return failure(file, record.line, '', 'bad-header', undefined, record.error.detail);
  const header = indexHeader(record.fields);
  return checkColumns(file, record.line, header, required) ?? header;
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
  const parser = new TableParser(file, required, readRow);
  parser.push(tokenizeCsv(text));
  const { rows, failures } = parser.finish();
  return { rows, failures };
}
