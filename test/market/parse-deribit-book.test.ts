import { describe, expect, it } from 'vitest';
import { parseDeribitBookCsv } from '../../src/market/index.ts';
import { readFixture } from './fixtures.ts';
import { rowsOf, toCsv } from './csv-edit.ts';

describe('parseDeribitBookCsv (Deribit 2020 order-book export)', () => {
  const text = readFixture('deribit_2020/btc_options_data.csv');

  it('reads all 310 rows of the 2020-05-14 chain (SOURCES.md §2) with its conventions', () => {
    const { rows, failures } = parseDeribitBookCsv(text, { file: 'btc_options_data.csv' });
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(310);
    // SOURCES.md: a missing side is 0.0 (26 rows without bid, 26 without ask); 7 expiries; 34 same-day options
    expect(rows.filter((q) => q.bid === 0)).toHaveLength(26);
    expect(rows.filter((q) => q.ask === 0)).toHaveLength(26);
    expect(new Set(rows.map((q) => q.expiryTimestampMs)).size).toBe(7);
    expect(rows.filter((q) => q.expiryTimestampMs === Date.UTC(2020, 4, 14, 8))).toHaveLength(34);
    // snapshot span 05:41:36 → 05:44:06 UTC; as-of = the latest row time
    const times = rows.map((q) => q.quoteTimestampMs);
    expect(new Date(Math.min(...times)).toISOString()).toMatch(/^2020-05-14T05:41:36/);
    expect(new Date(Math.max(...times)).toISOString()).toMatch(/^2020-05-14T05:44:06/);
    expect(rows.every((q) => q.asOfMs === Math.max(...times))).toBe(true);
    expect(rows[0]).toMatchObject({
      instrument: 'BTC-22MAY20-9250-P', forward: 9352.58, bid: 0.042, ask: 0.045, mark: 0.04010621,
      venueMarkIv: 0.7687, venueBidIv: 0.8007, venueAskIv: 0.8517, settlement: 'inverse', currency: 'BTC', rate: 0,
      forwardInstrument: 'SYN.BTC-22MAY20', index: 9350.67,
    });
  });

  it('rejects an expiration_timestamp that disagrees with the instrument name', () => {
    const { header, rows } = rowsOf(text);
    const edited = rows.slice(0, 2).map((r) => ({ ...r }));
    (edited[1] as Record<string, string>).expiration_timestamp = '1590134400001';
    const r = parseDeribitBookCsv(toCsv(header, edited), { file: 'x' });
    expect(r.rows).toHaveLength(1);
    expect(r.failures).toMatchObject([{ line: 3, column: 'expiration_timestamp', reason: 'inconsistent' }]);
  });
});
