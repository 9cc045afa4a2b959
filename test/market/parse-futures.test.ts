import { describe, expect, it } from 'vitest';
import { parsePerpetualFuturesCsv, parseTermFuturesCsv } from '../../src/market/index.ts';
import { readFixture, SNAPSHOTS } from './fixtures.ts';
import { rowsOf, toCsv } from './csv-edit.ts';

describe('parsePerpetualFuturesCsv', () => {
  const text = readFixture('deribit_2025_2026/perpetual_futures_prices.csv');
  const { rows, failures } = parsePerpetualFuturesCsv(text, { file: 'perp' });

  it('reads 838 rows (419 snapshots × BTC, ETH) without failures', () => {
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(838);
    expect(rows.filter((m) => m.underlying === 'BTC')).toHaveLength(419);
    expect(rows[0]).toEqual({
      instrument: 'BTC-PERPETUAL', underlying: 'BTC', kind: 'perpetual', expiryTimestampMs: null, price: 88539,
      priceTimestampMs: 1767115860000, snapshotTimestampMs: 1767115875944,
      snapshotFile: 'deribit_options_snapshot_20251230T173115Z.csv',
    });
  });

  it('shows the drawdown quoted in SOURCES.md: BTC-PERPETUAL 73,083 → 63,845 (−12.6 %), ETH 2,143 → 1,876', () => {
    const at = (stamp: string, inst: string) => rows.find((m) => m.snapshotFile === `deribit_options_snapshot_${stamp}.csv` && m.instrument === inst)?.price as number;
    const b0 = at('20260204T213308Z', 'BTC-PERPETUAL');
    const b1 = at('20260205T212937Z', 'BTC-PERPETUAL');
    expect(Math.round(b0)).toBe(73083);
    expect(Math.round(b1)).toBe(63845);
    expect(b1 / b0 - 1).toBeCloseTo(-0.126, 3);
    expect(Math.round(at('20260204T213308Z', 'ETH-PERPETUAL'))).toBe(2143);
    expect(Math.round(at('20260205T212937Z', 'ETH-PERPETUAL'))).toBe(1876);
  });

  it('rejects non-perpetual names, coin mismatches and duplicates, one failure per row', () => {
    const { header, rows: raw } = rowsOf(text);
    const r = raw.slice(0, 4).map((x) => ({ ...x }));
    (r[1] as Record<string, string>).instrument_name = 'BTC-27MAR26';
    (r[2] as Record<string, string>).coin = 'ETH';
    const bad = parsePerpetualFuturesCsv(toCsv(header, [...r, raw[0] as Record<string, string>]), { file: 'p' });
    expect(bad.rows).toHaveLength(2);
    expect(bad.failures).toMatchObject([
      { line: 3, column: 'instrument_name', reason: 'bad-instrument-name' },
      { line: 4, column: 'coin', reason: 'inconsistent', value: 'ETH' },
      { line: 6, column: 'instrument_name', reason: 'duplicate-key' },
    ]);
  });
});

describe('parseTermFuturesCsv', () => {
  const text = readFixture('deribit_2025_2026/term_futures_marks.csv');

  it('reads the 56 trimmed rows, all from the four fixture snapshots, futures expiring 08:00 UTC', () => {
    const { rows, failures } = parseTermFuturesCsv(text, { file: 'term' });
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(56);
    expect(new Set(rows.map((m) => m.snapshotFile))).toEqual(new Set(SNAPSHOTS.map((s) => `deribit_options_snapshot_${s}.csv`)));
    expect(rows.every((m) => m.kind === 'future' && new Date(m.expiryTimestampMs as number).getUTCHours() === 8)).toBe(true);
    expect(rows[0]).toEqual({
      instrument: 'BTC-25DEC26', underlying: 'BTC', kind: 'future', expiryTimestampMs: Date.UTC(2026, 11, 25, 8),
      price: 92595, priceTimestampMs: 1767115860000, snapshotTimestampMs: 1767115875944,
      snapshotFile: 'deribit_options_snapshot_20251230T173115Z.csv', snapshotMark: 92617.64,
    });
  });

  it('a missing column fails the file once', () => {
    const { header, rows } = rowsOf(text);
    const r = parseTermFuturesCsv(toCsv(header.filter((h) => h !== 'term_mark_price_final'), rows), { file: 't' });
    expect(r).toEqual({ rows: [], failures: [{ file: 't', line: 1, column: 'term_mark_price_final', reason: 'missing-column', detail: 'missing column(s): term_mark_price_final' }] });
  });
});
