import { describe, expect, it } from 'vitest';
import { MarketInputError, parseCanonicalOptionCsv } from '../../src/market/index.ts';

const HEADER = 'underlying,expiry,strike,type,bid,ask,forward,timestamp';
const GOOD = [
  'BTC,2026-03-27,90000,call,1200.5,1250,88000,2026-02-04T21:33:08Z',
  'BTC,2026-03-27T08:00:00Z,90000,P,3100,3150,88000,1770240788000',
  'BTC,2026-03-27,80000,put,900,950,,2026-02-04T21:33:08+00:00',
];
const csv = (...rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';
const file = 'chain.csv';

describe('parseCanonicalOptionCsv', () => {
  it('parses rows as linear USD quotes; empty forward → null; date-only expiry at 08:00 UTC', () => {
    const { rows, failures } = parseCanonicalOptionCsv(csv(...GOOD), { file });
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(3);
    const asOfMs = Date.parse('2026-02-04T21:33:08Z');
    const expiryMs = Date.parse('2026-03-27T08:00:00Z');
    expect(rows[0]).toEqual({
      underlying: 'BTC',
      instrument: 'BTC-2026-03-27-90000-C',
      expiryTimestampMs: expiryMs,
      expiry: (expiryMs - asOfMs) / (365 * 86_400_000),
      asOfMs,
      strike: 90000,
      type: 'call',
      bid: 1200.5,
      ask: 1250,
      settlement: 'linear',
      currency: 'USD',
      quoteTimestampMs: asOfMs,
      forward: 88000,
      rate: null,
    });
    expect(rows[1]).toMatchObject({ type: 'put', expiryTimestampMs: expiryMs, quoteTimestampMs: 1770240788000 });
    expect(rows[2]).toMatchObject({ forward: null, strike: 80000 });
  });

  it('reads the optional columns and a configurable expiry time of day', () => {
    const text = 'underlying,expiry,strike,type,bid,ask,forward,timestamp,instrument,mark,index,rate\n'
      + 'SPX,2011-04-16,1300,C,30,31,1286.5,2011-01-24T19:03:00Z,SPX1116D1300-E,30.4,1290.59,0.005\n';
    const { rows } = parseCanonicalOptionCsv(text, { expiryTimeUtc: '13:30' });
    expect(rows[0]).toMatchObject({
      instrument: 'SPX1116D1300-E', mark: 30.4, index: 1290.59, rate: 0.005,
      expiryTimestampMs: Date.parse('2011-04-16T13:30:00Z'),
    });
    expect(() => parseCanonicalOptionCsv(text, { expiryTimeUtc: '25:00' })).toThrow(MarketInputError);
  });

  it.each([
    ['BTC,2026-02-30,90000,call,1,2,88000,2026-02-04T21:33:08Z', 'expiry', 'bad-date', '2026-02-30'],
    ['BTC,27MAR26,90000,call,1,2,88000,2026-02-04T21:33:08Z', 'expiry', 'bad-date', '27MAR26'],
    ['BTC,2026-03-27,0,call,1,2,88000,2026-02-04T21:33:08Z', 'strike', 'not-positive', '0'],
    ['BTC,2026-03-27,-1,call,1,2,88000,2026-02-04T21:33:08Z', 'strike', 'not-positive', '-1'],
    ['BTC,2026-03-27,90000,straddle,1,2,88000,2026-02-04T21:33:08Z', 'type', 'unknown-option-type', 'straddle'],
    ['BTC,2026-03-27,90000,call,one,2,88000,2026-02-04T21:33:08Z', 'bid', 'not-a-number', 'one'],
    ['BTC,2026-03-27,90000,call,1,inf,88000,2026-02-04T21:33:08Z', 'ask', 'not-finite', 'inf'],
    ['BTC,2026-03-27,90000,call,1,-2,88000,2026-02-04T21:33:08Z', 'ask', 'negative', '-2'],
    ['BTC,2026-03-27,90000,call,1,2,NaN,2026-02-04T21:33:08Z', 'forward', 'not-finite', 'NaN'],
    ['BTC,2026-03-27,90000,call,1,2,0,2026-02-04T21:33:08Z', 'forward', 'not-positive', '0'],
    ['BTC,2026-03-27,90000,call,1,2,88000,2026-02-04 21:33', 'timestamp', 'bad-timestamp', '2026-02-04 21:33'],
    [',2026-03-27,90000,call,1,2,88000,2026-02-04T21:33:08Z', 'underlying', 'empty-value', undefined],
    ['BTC,2026-03-27,90000,call,1,2', 'forward', 'missing-field', undefined],
  ])('%s → %s / %s', (row, column, reason, value) => {
    const { rows, failures } = parseCanonicalOptionCsv(csv(GOOD[0] as string, row, GOOD[2] as string), { file });
    expect(rows).toHaveLength(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ file, line: 3, column, reason });
    expect(failures[0]?.value).toBe(value);
  });

  it('duplicate (underlying, expiry, strike, type) is a failure on the later line, even with another expiry spelling', () => {
    const dup = 'BTC,2026-03-27T08:00:00+00:00,90000,C,1,2,88000,2026-02-04T21:33:08Z';
    const { rows, failures } = parseCanonicalOptionCsv(csv(...GOOD, dup), { file });
    expect(rows).toHaveLength(3);
    expect(failures).toMatchObject([{ line: 5, column: 'strike', reason: 'duplicate-key', detail: 'same underlying/expiry/strike/type as line 2' }]);
  });

  it('crossed quotes and zero bids are not parse failures', () => {
    const { rows, failures } = parseCanonicalOptionCsv(csv('BTC,2026-03-27,90000,call,5,1,88000,2026-02-04T21:33:08Z', 'BTC,2026-03-27,95000,call,0,1,,2026-02-04T21:33:08Z'));
    expect(failures).toEqual([]);
    expect(rows.map((q) => [q.bid, q.ask])).toEqual([[5, 1], [0, 1]]);
  });

  it('a missing column fails the file once; empty and header-only files', () => {
    const { rows, failures } = parseCanonicalOptionCsv('underlying,expiry,strike,type,bid,ask,timestamp\nBTC,2026-03-27,1,call,1,2,1770240788000\n', { file });
    expect(rows).toEqual([]);
    expect(failures).toEqual([{ file, line: 1, column: 'forward', reason: 'missing-column', detail: 'missing column(s): forward' }]);
    expect(parseCanonicalOptionCsv('', { file }).failures).toMatchObject([{ reason: 'empty-file', line: 1 }]);
    expect(parseCanonicalOptionCsv(HEADER, { file })).toEqual({ rows: [], failures: [] });
  });

  it('BOM + CRLF + quoted fields give the same result as plain text', () => {
    const plain = parseCanonicalOptionCsv(csv(...GOOD));
    const fancy = '\uFEFF' + [HEADER, ...GOOD].map((l) => l.split(',').map((f) => `"${f}"`).join(',')).join('\r\n') + '\r\n';
    expect(parseCanonicalOptionCsv(fancy)).toEqual(plain);
  });
});
