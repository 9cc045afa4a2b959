import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { parseDeribitSnapshotCsv } from '../../src/market/index.ts';
import { readFixture, SNAPSHOTS, snapshotPath } from './fixtures.ts';
import { rowsOf, toCsv } from './csv-edit.ts';

// Row counts from data/SOURCES.md §1 (and fixtures/market/deribit_2025_2026/SOURCE.md).
const COUNTS: Record<string, { total: number; BTC: number; ETH: number }> = {
  '20251230T173115Z': { total: 1304, BTC: 630, ETH: 674 },
  '20260204T213308Z': { total: 1688, BTC: 804, ETH: 884 },
  '20260205T212937Z': { total: 1840, BTC: 902, ETH: 938 },
  '20260206T093516Z': { total: 1720, BTC: 850, ETH: 870 },
};

describe('parseDeribitSnapshotCsv on the real fixtures', () => {
  it.each(SNAPSHOTS)('%s: row counts match SOURCES.md, no failures, conventions hold', (stamp) => {
    const text = readFixture(snapshotPath(stamp));
    const { rows, failures } = parseDeribitSnapshotCsv(text, { file: stamp });
    const c = COUNTS[stamp] as { total: number; BTC: number; ETH: number };
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(c.total);
    expect(rows.filter((q) => q.underlying === 'BTC')).toHaveLength(c.BTC);
    expect(rows.filter((q) => q.underlying === 'ETH')).toHaveLength(c.ETH);

    // independent read of the same file with arquero (typed columns)
    const t = aq.fromCSV(text);
    const ttm = t.array('time_to_maturity') as ArrayLike<number>;
    const under = t.array('underlying') as ArrayLike<number>;
    const names = t.array('instrument_name') as ArrayLike<string>;
    const stampMs = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(9, 11), +stamp.slice(11, 13), +stamp.slice(13, 15));
    rows.forEach((q, i) => {
      expect(q.instrument).toBe(names[i]);
      expect(q.forward).toBe(under[i]);
      expect(q.settlement).toBe('inverse');
      expect(q.currency).toBe(q.underlying);
      expect(q.rate).toBe(0);
      expect(q.forwardSource).toBe('venue');
      expect(new Date(q.expiryTimestampMs).getUTCHours()).toBe(8);
      // the file's time_to_maturity uses 365.25-day years; ours is ACT/365 from the same run-start time
      expect(q.expiry).toBeCloseTo(((ttm[i] as number) * 365.25) / 365, 9);
      // as-of = the run's start (the `timestamp` column, to the second in the file name)
      expect(Math.floor(q.asOfMs / 1000) * 1000).toBe(stampMs);
    });
    expect(new Set(rows.filter((q) => q.underlying === 'BTC').map((q) => q.expiryTimestampMs)).size).toBe(12);
    expect(new Set(rows.filter((q) => q.underlying === 'ETH').map((q) => q.expiryTimestampMs)).size).toBe(12);
    expect(Object.isFrozen(rows[0])).toBe(true);
  });

  it('keeps absent sides as null (SOURCES.md: 605 rows without bid and 459 without ask at the trough)', () => {
    const { rows } = parseDeribitSnapshotCsv(readFixture(snapshotPath('20260205T212937Z')));
    expect(rows.filter((q) => q.bid === null)).toHaveLength(605);
    expect(rows.filter((q) => q.ask === null)).toHaveLength(459);
    const calm = parseDeribitSnapshotCsv(readFixture(snapshotPath('20260204T213308Z'))).rows;
    expect(calm.filter((q) => q.bid === null)).toHaveLength(108);
    expect(calm.filter((q) => q.ask === null)).toHaveLength(18);
  });

  it('reads a known row exactly', () => {
    const { rows } = parseDeribitSnapshotCsv(readFixture(snapshotPath('20260204T213308Z')));
    const q = rows.find((r) => r.instrument === 'BTC-24APR26-65000-P');
    expect(q).toEqual({
      underlying: 'BTC',
      instrument: 'BTC-24APR26-65000-P',
      expiryTimestampMs: Date.UTC(2026, 3, 24, 8),
      expiry: (Date.UTC(2026, 3, 24, 8) - Date.parse('2026-02-04T21:33:08.476Z')) / (365 * 86_400_000),
      asOfMs: Date.parse('2026-02-04T21:33:08.476Z'),
      strike: 65000,
      type: 'put',
      bid: 0.0425,
      ask: 0.0435,
      mark: 0.04309805,
      index: 73067.62,
      settlement: 'inverse',
      currency: 'BTC',
      quoteTimestampMs: Date.parse('2026-02-04T21:33:08.476Z'),
      venueMarkIv: 0.521,
      openInterest: 1180.5,
      forwardInstrument: 'SYN.BTC-24APR26',
      forward: 73751.7676923077,
      rate: 0,
      forwardSource: 'venue',
    });
  });

  it('accepts an explicit as-of', () => {
    const asOfMs = Date.parse('2026-02-05T00:00:00Z');
    const { rows } = parseDeribitSnapshotCsv(readFixture(snapshotPath('20260204T213308Z')), { asOfMs });
    const q = rows[0] as (typeof rows)[number];
    expect(q.asOfMs).toBe(asOfMs);
    expect(q.expiry).toBe((q.expiryTimestampMs - asOfMs) / (365 * 86_400_000));
  });
});

describe('parseDeribitSnapshotCsv on malformed input', () => {
  const base = rowsOf(readFixture(snapshotPath('20260204T213308Z')));
  const header = base.header;
  const good = base.rows.slice(0, 3);
  const file = 'bad.csv';
  const withRow = (edit: Partial<Record<string, string>>): string => {
    const rows = good.map((r) => ({ ...r }));
    Object.assign(rows[1] as Record<string, string>, edit);
    return toCsv(header, rows);
  };
  // the edited row is data row 2, i.e. physical line 3

  it.each([
    [{ bid_price: 'abc' }, 'bid_price', 'not-a-number', 'abc'],
    [{ ask_price: 'NaN' }, 'ask_price', 'not-finite', 'NaN'],
    [{ mark_price: 'Infinity' }, 'mark_price', 'not-finite', 'Infinity'],
    [{ bid_price: '-0.001' }, 'bid_price', 'negative', '-0.001'],
    [{ underlying: '0' }, 'underlying', 'not-positive', '0'],
    [{ strike: '0', instrument_name: 'BTC-6FEB26-0-P' }, 'instrument_name', 'bad-instrument-name', 'BTC-6FEB26-0-P'],
    [{ strike: '-5' }, 'strike', 'not-positive', '-5'],
    [{ strike: '1e400' }, 'strike', 'not-finite', '1e400'],
    [{ expiry_datetime: '2026-02-30T08:00:00+00:00' }, 'expiry_datetime', 'bad-timestamp', '2026-02-30T08:00:00+00:00'],
    [{ expiry_datetime: '2026-02-06 08:00' }, 'expiry_datetime', 'bad-timestamp', '2026-02-06 08:00'],
    [{ timestamp: 'yesterday' }, 'timestamp', 'bad-timestamp', 'yesterday'],
    [{ option_type: 'straddle' }, 'option_type', 'unknown-option-type', 'straddle'],
    [{ option_type: 'call' }, 'option_type', 'inconsistent', 'call'],
    [{ strike: '88500.0' }, 'strike', 'inconsistent', '88500.0'],
    [{ expiry_datetime: '2026-02-07T08:00:00+00:00' }, 'expiry_datetime', 'inconsistent', '2026-02-07T08:00:00+00:00'],
    [{ currency: 'ETH' }, 'currency', 'inconsistent', 'ETH'],
    [{ instrument_name: 'BTC-6FEB26' }, 'instrument_name', 'bad-instrument-name', 'BTC-6FEB26'],
    [{ instrument_name: '' }, 'instrument_name', 'empty-value', undefined],
    [{ underlying: '' }, 'underlying', 'empty-value', undefined],
  ])('%j → one failure at line 3, column %s, reason %s', (edit, column, reason, value) => {
    const { rows, failures } = parseDeribitSnapshotCsv(withRow(edit), { file });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ file, line: 3, column, reason });
    expect(failures[0]?.value).toBe(value);
    expect(rows.map((q) => q.instrument)).toEqual([good[0]?.instrument_name, good[2]?.instrument_name]);
  });

  it('a row with several bad cells gives exactly one failure', () => {
    const { failures } = parseDeribitSnapshotCsv(withRow({ bid_price: 'x', ask_price: 'NaN', strike: '-1' }), { file });
    expect(failures).toHaveLength(1);
  });

  it('empty sides are not failures; ask < bid is not a parse failure (it is a cleaning rule)', () => {
    const { rows, failures } = parseDeribitSnapshotCsv(withRow({ bid_price: '', ask_price: '' }));
    expect(failures).toEqual([]);
    expect(rows[1]).toMatchObject({ bid: null, ask: null });
    const crossed = parseDeribitSnapshotCsv(withRow({ bid_price: '0.5', ask_price: '0.1' }));
    expect(crossed.failures).toEqual([]);
    expect(crossed.rows[1]).toMatchObject({ bid: 0.5, ask: 0.1 });
  });

  it('a missing column gives one failure for the file', () => {
    const noStrike = header.filter((h) => h !== 'strike');
    const { rows, failures } = parseDeribitSnapshotCsv(toCsv(noStrike, good), { file });
    expect(rows).toEqual([]);
    expect(failures).toEqual([
      { file, line: 1, column: 'strike', reason: 'missing-column', detail: 'missing column(s): strike' },
    ]);
  });

  it('duplicate instrument → duplicate-key on the later line', () => {
    const text = toCsv(header, [good[0], good[1], good[0]] as Record<string, string>[]);
    const { rows, failures } = parseDeribitSnapshotCsv(text, { file });
    expect(rows).toHaveLength(2);
    expect(failures).toEqual([
      { file, line: 4, column: 'instrument_name', reason: 'duplicate-key', value: good[0]?.instrument_name, detail: 'first seen on line 2' },
    ]);
  });

  it('short and long rows fail with missing-field / extra-field', () => {
    const text = toCsv(header, good);
    const lines = text.split('\n');
    lines[2] = (lines[2] as string).split(',').slice(0, 5).join(',');
    lines[3] = `${lines[3] as string},surplus`;
    const { rows, failures } = parseDeribitSnapshotCsv(lines.join('\n'), { file });
    expect(rows).toHaveLength(1);
    expect(failures).toMatchObject([
      { line: 3, column: header[5], reason: 'missing-field' },
      { line: 4, column: `#${header.length + 1}`, reason: 'extra-field', value: 'surplus' },
    ]);
  });

  it('BOM, CRLF and fully quoted fields give the same rows', () => {
    const plain = parseDeribitSnapshotCsv(toCsv(header, good));
    const crlf = '\uFEFF' + toCsv(header, good).replace(/\n/g, '\r\n');
    const quoted = [header, ...good.map((r) => header.map((h) => r[h] ?? ''))]
      .map((fields) => fields.map((f) => `"${f}"`).join(','))
      .join('\r\n');
    expect(parseDeribitSnapshotCsv(crlf)).toEqual(plain);
    expect(parseDeribitSnapshotCsv(quoted)).toEqual(plain);
    expect(plain.rows).toHaveLength(3);
  });

  it('empty file and header-only file', () => {
    expect(parseDeribitSnapshotCsv('', { file })).toEqual({
      rows: [],
      failures: [{ file, line: 1, column: '', reason: 'empty-file', detail: 'no header line' }],
    });
    expect(parseDeribitSnapshotCsv(`${header.join(',')}\n`, { file })).toEqual({ rows: [], failures: [] });
  });

  it('an unterminated quote fails its row only', () => {
    const text = toCsv(header, good) + `"${good[0]?.instrument_name ?? ''},1\n`;
    const { rows, failures } = parseDeribitSnapshotCsv(text, { file });
    expect(rows).toHaveLength(3);
    expect(failures).toMatchObject([{ line: 5, reason: 'bad-quote' }]);
  });
});
