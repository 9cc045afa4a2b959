import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { tokenizeCsv } from '../../src/market/parse/csv.ts';
import { readFixture } from './fixtures.ts';

describe('tokenizeCsv', () => {
  it('splits plain records and numbers lines from 1', () => {
    expect(tokenizeCsv('a,b\n1,2\n3,4')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('handles CRLF, a BOM, a trailing newline and blank lines (which still count as lines)', () => {
    expect(tokenizeCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
    ]);
    expect(tokenizeCsv('a\r1\r')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['1'] },
    ]);
  });

  it('unquotes fields with commas, escaped quotes and embedded newlines, and keeps line numbers right', () => {
    const recs = tokenizeCsv('x,y\n"a,b","say ""hi"""\n"multi\nline",z\nlast,1\n');
    expect(recs).toEqual([
      { line: 1, fields: ['x', 'y'] },
      { line: 2, fields: ['a,b', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
      { line: 5, fields: ['last', '1'] },
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(tokenizeCsv('a,,c,\n')).toEqual([{ line: 1, fields: ['a', '', 'c', ''] }]);
    expect(tokenizeCsv('""\n')).toEqual([{ line: 1, fields: [''] }]);
  });

  it('returns nothing for empty input', () => {
    expect(tokenizeCsv('')).toEqual([]);
    expect(tokenizeCsv('\uFEFF')).toEqual([]);
    expect(tokenizeCsv('\n\n')).toEqual([]);
  });

  it('flags text after a closing quote and an unterminated quote, and resumes on the next line', () => {
    const recs = tokenizeCsv('a,b\n"x"y,1\n2,3\n"open,4\n');
    expect(recs[1]).toMatchObject({ line: 2, error: { reason: 'bad-quote' } });
    expect(recs[2]).toEqual({ line: 3, fields: ['2', '3'] });
    expect(recs[3]).toMatchObject({ line: 4, error: { reason: 'bad-quote' } });
  });

  // Independent reference: arquero's own CSV reader (d3-dsv style) on the real files, all cells as strings.
  it.each([
    ['deribit_2020/btc_options_data.csv', 0, 310],
    ['deribit_2025_2026/deribit_options_snapshot_20260204T213308Z.csv', 0, 1688],
    ['crypto_daily/Binance_ETHUSDT_d.csv', 1, 3191],
    ['deribit_2025_2026/term_futures_marks.csv', 0, 56],
  ])('agrees cell by cell with arquero.fromCSV on %s', (file, skip, rows) => {
    const text = readFixture(file);
    const recs = tokenizeCsv(text).slice(skip);
    const header = recs[0]?.fields ?? [];
    const data = recs.slice(1);
    expect(data).toHaveLength(rows);
    const table = aq.fromCSV(text, { autoType: false, skip });
    expect(table.numRows()).toBe(rows);
    expect(table.columnNames()).toEqual(header);
    header.forEach((name, j) => {
      const column = Array.from(table.array(name) as ArrayLike<string | null>, (v) => v ?? '');
      expect(data.map((r) => r.fields[j] ?? '')).toEqual(column);
    });
  });
});
