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

/**
 * Splits CSV text into records. Never throws: a malformed record is returned with `error` set, and
 * tokenizing resumes at the next line.
 */
export function tokenizeCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
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
  return records;
}
