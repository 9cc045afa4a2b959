import { describe, expect, it } from 'vitest';
import { parseCboeQuoteTableCsv } from '../../src/market/index.ts';
import { readFixture } from './fixtures.ts';

// Strike lines per true expiry, from data/SOURCES.md §3.
const LINES_PER_EXPIRY: Record<string, number> = {
  'SPXW 2011-01-28': 34, 'SPX 2011-02-19': 156, 'SPX 2011-03-19': 160, 'SPX 2011-04-16': 99, 'SPX 2011-05-21': 41,
  'SPX 2011-06-18': 68, 'SPX 2011-09-17': 55, 'SPX 2011-10-22': 1, 'SPX 2011-12-17': 71, 'SPX 2012-06-16': 51,
  'SPX 2012-12-22': 49, 'SPX 2013-12-21': 51, 'SPXPM 2011-03-31': 39, 'SPXPM 2011-06-30': 27, 'SPXPM 2011-09-30': 31,
  'SPXPM 2011-12-30': 27,
};

describe('parseCboeQuoteTableCsv on the SPX 2011-01-24 table', () => {
  const text = readFixture('spx_2011/SPX-Options-24jan2011.csv');
  const { rows, failures, preamble } = parseCboeQuoteTableCsv(text, { file: 'spx' });

  it('reads the preamble: spot 1290.59 at 2011-01-24 14:03 ET (19:03 UTC)', () => {
    expect(failures).toEqual([]);
    expect(preamble).toEqual({ root: 'SPX', spot: 1290.59, quoteTimestampMs: Date.parse('2011-01-24T19:03:00Z') });
  });

  it('yields a call and a put per strike line: 960 lines → 1920 quotes, per-expiry counts as in SOURCES.md', () => {
    expect(rows).toHaveLength(1920);
    const counts: Record<string, number> = {};
    for (const q of rows) {
      const root = /^[A-Z]+/.exec(q.instrument)?.[0] ?? '';
      const [, yy, dd, letter] = /^[A-Z]+(\d{2})(\d{2})([A-X])/.exec(q.instrument) ?? [];
      const month = ((letter ?? 'A').charCodeAt(0) - 65) % 12;
      const key = `${root} ${new Date(Date.UTC(2000 + Number(yy), month, Number(dd))).toISOString().slice(0, 10)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(counts).toEqual(Object.fromEntries(Object.entries(LINES_PER_EXPIRY).map(([k, v]) => [k, 2 * v])));
    expect(rows.filter((q) => q.type === 'call')).toHaveLength(960);
  });

  it('uses the documented expiry instants (AM SPX: Friday 09:30 ET; SPXW/SPXPM: 16:00 ET) and keeps quotes unresolved', () => {
    const find = (name: string) => rows.find((q) => q.instrument === name);
    expect(find('SPX1119B1020-E')?.expiryTimestampMs).toBe(Date.parse('2011-02-18T14:30:00Z'));
    expect(find('SPX1116D1300-E')?.expiryTimestampMs).toBe(Date.parse('2011-04-15T13:30:00Z')); // EDT
    expect(find('SPXW1128A1075-E')?.expiryTimestampMs).toBe(Date.parse('2011-01-28T21:00:00Z'));
    expect(find('SPX1119N1020-E')).toMatchObject({ type: 'put', strike: 1020, bid: 0.1, ask: 1, forward: null, rate: null, index: 1290.59 });
    expect(find('SPX1119B1035-E')).toMatchObject({ type: 'call', bid: 253.1, ask: 256.9 });
  });

  it('malformed lines: one failure each, with line and positional column', () => {
    const lines = text.split('\r\n');
    lines[3] = (lines[3] as string).replace('215.30', 'x');
    lines[4] = (lines[4] as string).replace('(SPXW1128M1100-E)', '(SPXW1128A1100-E)');
    const r = parseCboeQuoteTableCsv(lines.join('\r\n'), { file: 'f' });
    expect(r.rows).toHaveLength(1920 - 4);
    expect(r.failures).toMatchObject([
      { line: 4, column: 'Bid@4', reason: 'not-a-number', value: 'x' },
      { line: 5, column: 'Puts', reason: 'inconsistent' },
    ]);
  });

  it('an empty file and a bad preamble are file-level failures', () => {
    expect(parseCboeQuoteTableCsv('', { file: 'f' }).failures).toMatchObject([{ reason: 'empty-file' }]);
    expect(parseCboeQuoteTableCsv(text.replace('Jan 24 2011 @ 14:03 ET', 'sometime'), { file: 'f' }).failures).toMatchObject([
      { line: 2, reason: 'bad-timestamp', value: 'sometime' },
    ]);
  });
});
