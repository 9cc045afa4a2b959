/**
 * Fuzzed bad input through the market CSV parsers (issue 10, part 1): real fixture rows mutated by fast-check (cells
 * set to NaN / Infinity / negative / 1e308 / empty / non-numeric / mis-decoded text, columns dropped or duplicated,
 * rows duplicated, lines truncated, the whole file re-decoded from UTF-16 or Latin-1 bytes). The parsers never throw;
 * every failure names the file label, a physical line, a column (string) and a known reason; every kept row has only
 * finite numbers; cell mutations cost at most the mutated rows (and the rows they now duplicate).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  parseCboeQuoteTableCsv, parseCddDailyCsv, parseDeribitBookCsv, parseDeribitSnapshotCsv,
  parsePerpetualFuturesCsv, parseTermFuturesCsv,
} from '../../src/market/index.ts';
import { readFixture, snapshotPath } from '../market/fixtures.ts';
import { rowsOf, toCsv } from '../market/csv-edit.ts';

const LABEL = 'fuzzed.csv';
const REASONS = new Set([
  'empty-file', 'missing-column', 'missing-field', 'extra-field', 'bad-quote', 'empty-value', 'not-a-number', 'not-finite',
  'negative', 'not-positive', 'bad-date', 'bad-timestamp', 'unknown-option-type', 'bad-instrument-name', 'inconsistent',
  'duplicate-key', 'bad-header',
]);

/** Cell values a broken feed produces. */
const BAD_CELL = fc.constantFrom(
  'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-1', '-0.5', '0', '1e308', '-1e308', '1e309', '', ' ', 'abc', '0x1F',
  '1,5', '12abc', 'null', 'None', 'true', '\u00c3\u00a9', '\ufffd\ufffd', '1\u00002\u0000', '"', 'é', '9'.repeat(400),
  'BTC-32FOO26-1-X', '2026-13-45', '2026-02-30T25:61:00Z',
);

interface ParseOut {
  readonly rows: readonly object[];
  readonly failures: readonly { file: string; line: number; column: string; reason: string }[];
}
interface Target {
  readonly name: string;
  readonly text: string;
  /** Preamble lines before the header. */
  readonly skip: number;
  readonly parse: (text: string) => ParseOut;
}

/** Header + the first `n` data lines of a fixture (keeps each run fast). */
function head(text: string, lines: number): string {
  return text.split('\n').slice(0, lines).join('\n') + '\n';
}

const TARGETS: Target[] = [
  { name: 'deribit snapshot', skip: 0, text: head(readFixture(snapshotPath('20260204T213308Z')), 41), parse: (t) => parseDeribitSnapshotCsv(t, { file: LABEL }) },
  { name: 'deribit book (2020)', skip: 0, text: head(readFixture('deribit_2020/btc_options_data.csv'), 31), parse: (t) => parseDeribitBookCsv(t, { file: LABEL }) },
  { name: 'perpetual futures', skip: 0, text: head(readFixture('deribit_2025_2026/perpetual_futures_prices.csv'), 41), parse: (t) => parsePerpetualFuturesCsv(t, { file: LABEL }) },
  { name: 'term futures', skip: 0, text: head(readFixture('deribit_2025_2026/term_futures_marks.csv'), 41), parse: (t) => parseTermFuturesCsv(t, { file: LABEL }) },
  { name: 'CryptoDataDownload daily', skip: 1, text: head(readFixture('crypto_daily/Binance_BTCUSDT_d.csv'), 42), parse: (t) => parseCddDailyCsv(t, { file: LABEL }) },
  { name: 'CBOE quote table', skip: 3, text: head(readFixture('spx_2011/SPX-Options-24jan2011.csv'), 43), parse: (t) => parseCboeQuoteTableCsv(t, { file: LABEL }) },
];

/** Every number reachable in a parsed row (nested objects included). */
function numbersOf(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) numbersOf(v, out);
  return out;
}

/** The invariants every parse result must satisfy, whatever the input. */
function checkShape(res: ParseOut, text: string): void {
  const physicalLines = text.split(/\r\n|\r|\n/).length;
  for (const f of res.failures) {
    expect(f.file).toBe(LABEL);
    expect(Number.isInteger(f.line) && f.line >= 1 && f.line <= physicalLines + 1, `line ${f.line} of ${physicalLines}`).toBe(true);
    expect(typeof f.column).toBe('string');
    expect(REASONS.has(f.reason), `reason ${f.reason}`).toBe(true);
  }
  for (const row of res.rows) {
    const bad = numbersOf(row).filter((n) => !Number.isFinite(n));
    expect(bad, JSON.stringify(row)).toEqual([]);
  }
}

function mis(text: string, from: BufferEncoding): string {
  return Buffer.from(text, from).toString('utf8');
}

const SEED = 20261122;

describe.each(TARGETS)('$name: fuzzed fixture rows', (t) => {
  const preamble = t.text.split('\n').slice(0, t.skip);
  const { header, rows } = rowsOf(t.text, t.skip);
  const rebuild = (h: readonly string[], rs: readonly Record<string, string>[]): string =>
    (t.skip > 0 ? preamble.join('\n') + '\n' : '') + toCsv(h, rs);
  const base = t.parse(t.text);

  it('the unmutated slice parses with rows (the fuzz starts from good data)', () => {
    expect(base.rows.length).toBeGreaterThan(10);
    checkShape(base, t.text);
  });

  it('bad cells cost at most the mutated rows (and the rows they now duplicate), never a throw or a NaN', () => {
    const edit = fc.record({ row: fc.nat({ max: rows.length - 1 }), col: fc.nat({ max: header.length - 1 }), value: BAD_CELL });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      const rs = rows.map((r) => ({ ...r }));
      const touched = new Set<number>();
      for (const e of edits) {
        (rs[e.row] as Record<string, string>)[header[e.col] as string] = e.value;
        touched.add(e.row);
      }
      const text = rebuild(header, rs);
      const res = t.parse(text);
      checkShape(res, text);
      expect(res.rows.length).toBeGreaterThanOrEqual(base.rows.length - 2 * touched.size);
    }), { seed: SEED, numRuns: 150 });
  });

  it('dropped / duplicated columns, duplicated rows, truncated text, wrong encodings: no throw, located failures', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('drop-column' as const), i: fc.nat({ max: header.length - 1 }) }),
      fc.record({ kind: fc.constant('duplicate-column' as const), i: fc.nat({ max: header.length - 1 }) }),
      fc.record({ kind: fc.constant('duplicate-row' as const), i: fc.nat({ max: rows.length - 1 }) }),
      fc.record({ kind: fc.constant('truncate' as const), i: fc.nat({ max: 10_000 }) }),
      fc.record({ kind: fc.constant('cut-line' as const), i: fc.nat({ max: rows.length - 1 }), at: fc.nat({ max: 200 }) }),
      fc.record({ kind: fc.constantFrom('utf16' as const, 'latin1' as const, 'bom' as const, 'crlf' as const, 'nul' as const), i: fc.constant(0) }),
    );
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
      let h = [...header];
      let rs = rows.map((r) => ({ ...r }));
      let text: string | null = null;
      for (const m of ms) {
        if (text === null) {
          if (m.kind === 'drop-column') { const name = h[m.i % h.length] as string; h = h.filter((c) => c !== name); continue; }
          if (m.kind === 'duplicate-column') { const name = h[m.i % h.length] as string; h = [...h, name]; continue; }
          if (m.kind === 'duplicate-row') { rs = [...rs, { ...(rs[m.i % rs.length] as Record<string, string>) }]; continue; }
          text = rebuild(h, rs);
        }
        switch (m.kind) {
          case 'truncate': text = text.slice(0, Math.floor((m.i / 10_000) * text.length)); break;
          case 'cut-line': {
            const lines: string[] = text.split('\n');
            const k = Math.min(lines.length - 1, t.skip + 1 + (m.i % Math.max(1, rows.length)));
            lines[k] = (lines[k] ?? '').slice(0, 'at' in m ? m.at : 0);
            text = lines.join('\n');
            break;
          }
          case 'utf16': text = mis(text, 'utf16le'); break;
          case 'latin1': text = mis(text.replace(/,/, ',\u00e9'), 'latin1'); break;
          case 'bom': text = '\ufeff' + text; break;
          case 'crlf': text = text.replace(/\n/g, '\r\n'); break;
          case 'nul': text = text.replace(/,/g, ',\u0000'); break;
          default: break;
        }
      }
      const final = text ?? rebuild(h, rs);
      const res = t.parse(final);
      checkShape(res, final);
    }), { seed: SEED + 1, numRuns: 150 });
  });

  it('arbitrary text never throws', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
      const text = (t.skip > 0 ? preamble.join('\n') + '\n' : '') + s;
      checkShape(t.parse(text), text);
    }), { seed: SEED + 2, numRuns: 200 });
  });
});
