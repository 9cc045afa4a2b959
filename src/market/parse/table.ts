/**
 * Shared per-row validation for the CSV parsers (pure). A `RowReader` reads typed cells from one record and
 * keeps only the first failure, so every bad row yields exactly one `ParseFailure`.
 */

import type { CsvRecord } from './csv.ts';
import type { OptionType, ParseFailure, ParseFailureReason } from '../types.ts';
import { parseDateOnlyUtc, parseIsoDateTimeUtc, parseTimestampUtc } from '../time.ts';

/** A header: trimmed names and column positions by name (the first occurrence of a duplicated name wins). */
export interface Header {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** Builds the header of a header record. */
export function indexHeader(fields: readonly string[]): Header {
  const names = fields.map((f) => f.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return { names, index };
}

/** Makes a frozen failure. */
export function failure(
  file: string,
  line: number,
  column: string,
  reason: ParseFailureReason,
  value?: string,
  detail?: string,
): ParseFailure {
  const f: { -readonly [K in keyof ParseFailure]: ParseFailure[K] } = { file, line, column, reason };
  if (value !== undefined) f.value = value;
  if (detail !== undefined) f.detail = detail;
  return Object.freeze(f);
}

/**
 * Checks that every required column is present; returns one failure (for the first missing one, naming all
 * missing ones in `detail`) or `null`.
 */
export function checkColumns(
  file: string,
  headerLine: number,
  header: Header,
  required: readonly string[],
): ParseFailure | null {
  const missing = required.filter((c) => !header.index.has(c));
  if (missing.length === 0) return null;
  return failure(file, headerLine, missing[0] as string, 'missing-column', undefined, `missing column(s): ${missing.join(', ')}`);
}

/** Decimal number syntax accepted in cells (no hex, no `Infinity`, no empty string). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Reads typed cells of one record; the first problem is kept in `failure` and later reads return
 * placeholders (`NaN`, `''`) without recording anything else.
 */
export class RowReader {
  private firstFailure: ParseFailure | null = null;

  constructor(
    private readonly file: string,
    private readonly record: CsvRecord,
    private readonly header: Header,
  ) {
    if (record.error !== undefined) {
      this.firstFailure = failure(file, record.line, '', record.error.reason, undefined, record.error.detail);
      return;
    }
    const width = header.names.length;
    if (record.fields.length < width) {
      const missingName = header.names[record.fields.length] ?? '';
      this.firstFailure = failure(file, record.line, missingName, 'missing-field', undefined,
        `expected ${width} fields, got ${record.fields.length}`);
    } else if (record.fields.length > width) {
      this.firstFailure = failure(file, record.line, `#${width + 1}`, 'extra-field', record.fields[width],
        `expected ${width} fields, got ${record.fields.length}`);
    }
  }

  /** The first failure of this row, or `null` if every read so far succeeded. */
  get failure(): ParseFailure | null {
    return this.firstFailure;
  }

  /** 1-based line of the row. */
  get line(): number {
    return this.record.line;
  }

  /** Records a failure unless one is already recorded. */
  fail(column: string, reason: ParseFailureReason, value?: string, detail?: string): void {
    this.firstFailure ??= failure(this.file, this.record.line, column, reason, value, detail);
  }

  /** Is the column present in the header? */
  has(column: string): boolean {
    return this.header.index.has(column);
  }

  /** Trimmed raw text of a cell (`''` if the column is absent or the row already failed). */
  raw(column: string): string {
    const i = this.header.index.get(column);
    if (i === undefined) return '';
    return (this.record.fields[i] ?? '').trim();
  }

  /** Non-empty text. */
  text(column: string): string {
    if (this.firstFailure !== null) return '';
    const v = this.raw(column);
    if (v === '') this.fail(column, 'empty-value');
    return v;
  }

  /**
   * A finite number. `sign` constrains it: `nonnegative` (>= 0) or `positive` (> 0). With `optional`, an empty
   * cell (or an absent column) gives `null`.
   */
  number(column: string, sign: 'any' | 'nonnegative' | 'positive', optional: true): number | null;
  number(column: string, sign: 'any' | 'nonnegative' | 'positive', optional?: false): number;
  number(column: string, sign: 'any' | 'nonnegative' | 'positive', optional = false): number | null {
    if (this.firstFailure !== null) return optional ? null : Number.NaN;
    return this.numberText(column, this.raw(column), sign, optional);
  }

  /**
   * Like `number`, for the field at a 0-based position (for headers that repeat a name); failures name the
   * column `NAME@POSITION` (1-based).
   */
  numberAt(position: number, sign: 'any' | 'nonnegative' | 'positive'): number {
    if (this.firstFailure !== null) return Number.NaN;
    const label = `${this.header.names[position] ?? ''}@${position + 1}`;
    return this.numberText(label, (this.record.fields[position] ?? '').trim(), sign, false) ?? Number.NaN;
  }

  private numberText(column: string, v: string, sign: 'any' | 'nonnegative' | 'positive', optional: boolean): number | null {
    if (v === '') {
      if (optional) return null;
      this.fail(column, 'empty-value');
      return Number.NaN;
    }
    if (!DECIMAL.test(v)) {
      this.fail(column, NON_FINITE.test(v) ? 'not-finite' : 'not-a-number', v);
      return Number.NaN;
    }
    const x = Number(v);
    if (!Number.isFinite(x)) {
      this.fail(column, 'not-finite', v);
      return Number.NaN;
    }
    if (sign === 'nonnegative' && x < 0) {
      this.fail(column, 'negative', v);
      return Number.NaN;
    }
    if (sign === 'positive' && !(x > 0)) {
      this.fail(column, 'not-positive', v);
      return Number.NaN;
    }
    return x;
  }

  /** An ISO-8601 date-time with offset, or an epoch-ms/epoch-s integer, as UTC epoch ms. */
  timestamp(column: string): number {
    if (this.firstFailure !== null) return Number.NaN;
    const v = this.text(column);
    if (this.firstFailure !== null) return Number.NaN;
    const t = parseTimestampUtc(v);
    if (t === null) {
      this.fail(column, 'bad-timestamp', v);
      return Number.NaN;
    }
    return t;
  }

  /** An ISO-8601 date-time with offset, as UTC epoch ms. */
  isoDateTime(column: string): number {
    if (this.firstFailure !== null) return Number.NaN;
    const v = this.text(column);
    if (this.firstFailure !== null) return Number.NaN;
    const t = parseIsoDateTimeUtc(v);
    if (t === null) {
      this.fail(column, 'bad-timestamp', v);
      return Number.NaN;
    }
    return t;
  }

  /** A strict `YYYY-MM-DD` date (returned as text). */
  date(column: string): string {
    if (this.firstFailure !== null) return '';
    const v = this.text(column);
    if (this.firstFailure !== null) return '';
    if (parseDateOnlyUtc(v) === null) {
      this.fail(column, 'bad-date', v);
      return '';
    }
    return v;
  }

  /** `call`/`put` (case-insensitive; also `C`/`P`). */
  optionType(column: string): OptionType {
    if (this.firstFailure !== null) return 'call';
    const v = this.text(column);
    if (this.firstFailure !== null) return 'call';
    const t = parseOptionType(v);
    if (t === null) {
      this.fail(column, 'unknown-option-type', v);
      return 'call';
    }
    return t;
  }
}

/** `call`/`c` → `call`, `put`/`p` → `put` (case-insensitive), else `null`. */
export function parseOptionType(text: string): OptionType | null {
  const v = text.toLowerCase();
  if (v === 'call' || v === 'c') return 'call';
  if (v === 'put' || v === 'p') return 'put';
  return null;
}

/**
 * Splits tokenized records into the header and data records, after skipping `skipLines` leading records.
 * Returns a failure for an empty input.
 */
export function splitHeader(
  file: string,
  records: readonly CsvRecord[],
  skip = 0,
): { header: CsvRecord; data: readonly CsvRecord[] } | ParseFailure {
  const header = records[skip];
  if (header === undefined) return failure(file, 1, '', 'empty-file', undefined, 'no header line');
  if (header.error !== undefined) return failure(file, header.line, '', 'bad-header', undefined, header.error.detail);
  return { header, data: records.slice(skip + 1) };
}

/** Detects duplicate keys: returns true the second (and later) time a key is seen. */
export class DuplicateDetector {
  private readonly seen = new Map<string, number>();
  /** Returns the line where the key was first seen if it is a duplicate, else `null` (and remembers it). */
  check(key: string, line: number): number | null {
    const first = this.seen.get(key);
    if (first !== undefined) return first;
    this.seen.set(key, line);
    return null;
  }
}
