/**
 * A strict RFC-4180 CSV tokenizer (pure): comma-separated fields, double-quoted fields with `""` escapes and
 * embedded commas/newlines, LF / CRLF / CR line ends, a leading UTF-8 BOM, an optional trailing newline.
 * Blank lines are skipped (their line numbers still count). Every record carries the 1-based physical line
 * on which it starts, so parsers can report failures by line.
 */

/** One CSV record. */
export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  readonly line: number;
  /** Raw field texts (quotes removed, `""` unescaped; no trimming). */
  readonly fields: readonly string[];
  /** Set when the record is malformed (e.g. text after a closing quote, or an unterminated quote at EOF). */
  readonly error?: { readonly reason: 'bad-quote'; readonly detail: string };
}

/** Options of `tokenizeCsv` (for tokenizing a file piece by piece, see `CsvChunker`). */
export interface TokenizeOptions {
  /** Physical line number of the text's first line. Default 1. */
  readonly firstLine?: number;
  /** Skip a leading UTF-8 BOM (only the start of a file has one). Default true. */
  readonly stripBom?: boolean;
}

/**
 * Splits CSV text into records. Never throws: a malformed record is returned with `error` set, and
 * tokenizing resumes at the next line.
 */
export function tokenizeCsv(text: string, options: TokenizeOptions = {}): CsvRecord[] {
  return tokenize(text, options).records;
}

/** `tokenizeCsv`, also saying whether the text ended inside a quoted field (the last record may continue). */
function tokenize(text: string, options: TokenizeOptions): { records: CsvRecord[]; openAtEnd: boolean } {
  let openAtEnd = false;
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = (options.stripBom ?? true) && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = options.firstLine ?? 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: CsvRecord['error'];
    let field = '';
    let atFieldStart = true;
    let blank = true;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = text.charCodeAt(i);
      if (atFieldStart && c === 34 /* " */) {
        blank = false;
        // quoted field
        i++;
        let closed = false;
        while (i < n) {
          const q = text.charCodeAt(i);
          if (q === 34) {
            if (text.charCodeAt(i + 1) === 34) {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (q === 10) line++;
          else if (q === 13 && text.charCodeAt(i + 1) !== 10) line++;
          field += text[i];
          i++;
        }
        if (!closed) {
          openAtEnd = true;
          error ??= { reason: 'bad-quote', detail: 'unterminated quoted field at end of input' };
          fields.push(field);
          field = '';
          break;
        }
        atFieldStart = false;
        // after a closing quote: delimiter, line end or EOF only
        const next = text.charCodeAt(i);
        if (i < n && next !== 44 && next !== 10 && next !== 13) {
          error ??= { reason: 'bad-quote', detail: 'text after a closing quote' };
          // consume the stray text as part of the field, leniently
          while (i < n && text.charCodeAt(i) !== 44 && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) {
            field += text[i];
            i++;
          }
        }
        continue;
      }
      if (c === 44 /* , */) {
        blank = false;
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
        continue;
      }
      if (c === 10 || c === 13) {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
        endOfRecord = true;
        continue;
      }
      // unquoted run up to the next delimiter or line end (a `"` inside an unquoted field is literal)
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13) break;
        j++;
      }
      blank = false;
      atFieldStart = false;
      field += text.slice(i, j);
      i = j;
    }
    if (blank && field === '' && fields.length === 0 && error === undefined) continue;
    fields.push(field);
    records.push(error === undefined ? { line: startLine, fields } : { line: startLine, fields, error });
  }
  return { records, openAtEnd };
}

/** Options of `CsvChunker`. */
export interface CsvChunkerOptions {
  /**
   * Longest record (UTF-16 code units) held back while waiting for its closing quote. A record still open past this
   * is tokenized as it is (an unterminated quoted field, one `bad-quote` record) and tokenizing resumes after it, so
   * a stray quote cannot make the chunker hold the rest of the file. Default 1 MiB of text.
   */
  readonly maxRecordChars?: number;
}

/** Number of line ends (LF, CRLF or a lone CR) in `text`. */
function countLineEnds(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/**
 * Incremental `tokenizeCsv` (pure): text is pushed piece by piece (e.g. decoded chunks of a file) and complete
 * records come out as soon as their line end is seen, with the same fields, lines and errors as tokenizing the whole
 * text at once (a record held back for its closing quote is bounded by `maxRecordChars`). Only the unfinished tail is
 * kept between pushes, so memory is bounded by one chunk plus one record.
 */
export class CsvChunker {
  private pending = '';
  private nextLine = 1;
  private atStart = true;
  private readonly maxRecordChars: number;

  constructor(options: CsvChunkerOptions = {}) {
    this.maxRecordChars = options.maxRecordChars ?? 1 << 20;
  }

  /** Adds text; returns the records completed by it (in order). */
  push(text: string): CsvRecord[] {
    this.pending += text;
    // cut after the last LF (a CR at the very end may be the first half of a CRLF: wait for the next piece)
    let cut = this.pending.lastIndexOf('\n');
    if (cut < 0) {
      const cr = this.pending.length < 2 ? -1 : this.pending.lastIndexOf('\r', this.pending.length - 2);
      if (cr < 0) return this.pending.length > this.maxRecordChars ? this.take(this.pending.length) : [];
      cut = cr;
    }
    return this.take(cut + 1);
  }

  /** Ends the input; returns the last records. */
  end(): CsvRecord[] {
    const out = this.pending === '' ? [] : this.take(this.pending.length, true);
    this.pending = '';
    return out;
  }

  /** Tokenizes pending[0, upTo) unless its last record is still waiting for a closing quote. */
  private take(upTo: number, final = false): CsvRecord[] {
    const head = this.pending.slice(0, upTo);
    const { records, openAtEnd } = tokenize(head, { firstLine: this.nextLine, stripBom: this.atStart });
    if (!final && openAtEnd && this.pending.length <= this.maxRecordChars) return [];
    this.atStart = false;
    this.nextLine += countLineEnds(head);
    this.pending = this.pending.slice(upTo);
    return records;
  }
}
