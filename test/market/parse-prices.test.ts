import { describe, expect, it } from 'vitest';
import { buildPriceSeries, parseCanonicalPriceCsv, parseCddDailyCsv, splitPairSymbol } from '../../src/market/index.ts';
import { readFixture } from './fixtures.ts';

// data/SOURCES.md §5
const CDD: [string, string, string, number][] = [
  ['BTC', '2017-08-17', '2026-05-20', 3191],
  ['ETH', '2017-08-17', '2026-05-20', 3191],
  ['BNB', '2017-11-06', '2026-05-20', 3110],
  ['ADA', '2018-04-17', '2026-05-20', 2948],
  ['XRP', '2018-05-04', '2026-05-20', 2931],
  ['TRX', '2018-06-11', '2026-05-20', 2893],
  ['DOGE', '2019-07-05', '2026-05-20', 2504],
  ['BCH', '2019-11-28', '2026-05-20', 2358],
  ['SOL', '2020-08-11', '2026-05-20', 2101],
];
const MISSING_2026 = ['2026-01-08', '2026-01-20', '2026-03-20', '2026-03-21', '2026-03-22', '2026-03-25', '2026-04-14', '2026-04-15'];

describe('parseCddDailyCsv on the nine CryptoDataDownload files', () => {
  it.each(CDD)('%s: first %s, last %s, %i rows, ascending, no failures; only the 8 documented 2026 days missing', (asset, first, last, n) => {
    const { rows, failures } = parseCddDailyCsv(readFixture(`crypto_daily/Binance_${asset}USDT_d.csv`), { file: asset });
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(n);
    expect(rows[0]?.date).toBe(first);
    expect(rows.at(-1)?.date).toBe(last);
    expect(rows.every((p) => p.asset === asset && p.currency === 'USDT' && p.close > 0)).toBe(true);
    const days = rows.map((p) => Date.parse(`${p.date}T00:00:00Z`));
    const gaps: string[] = [];
    for (let i = 1; i < days.length; i++) {
      expect((days[i] as number) > (days[i - 1] as number)).toBe(true);
      for (let d = (days[i - 1] as number) + 86_400_000; d < (days[i] as number); d += 86_400_000) gaps.push(new Date(d).toISOString().slice(0, 10));
    }
    expect(gaps).toEqual(MISSING_2026);
  });

  it('reproduces the incident-day closes quoted in SOURCES.md', () => {
    const btc = new Map(parseCddDailyCsv(readFixture('crypto_daily/Binance_BTCUSDT_d.csv')).rows.map((p) => [p.date, p.close]));
    expect(btc.get('2020-03-12')).toBe(4800);
    expect(btc.get('2020-03-13')).toBe(5578.6);
    expect(btc.get('2022-05-12')).toBe(29029.75);
    expect(btc.get('2022-11-09')).toBe(15922.81);
    expect(btc.get('2025-02-21')).toBe(96181.98);
    expect(btc.get('2025-10-10')).toBe(112774.5);
    expect(btc.get('2026-02-05')).toBe(62909.86);
    const close = (a: string, d: string) => parseCddDailyCsv(readFixture(`crypto_daily/Binance_${a}USDT_d.csv`)).rows.find((p) => p.date === d)?.close;
    expect(close('ADA', '2025-10-10')).toBe(0.6353);
    expect(close('DOGE', '2025-10-10')).toBe(0.19349);
    expect(close('XRP', '2025-10-10')).toBe(2.3704);
    expect(Math.round(close('BNB', '2025-10-10') as number)).toBe(1102); // SOURCES.md rounds it: 1102.47
  });
});

describe('parseCddDailyCsv on malformed input', () => {
  const banner = 'https://www.CryptoDataDownload.com';
  const header = 'Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount';
  const row = (unix: number, date: string, close: string) => `${unix},${date},BTCUSDT,1,2,0.5,${close},10,20,3`;
  const good = [row(1779235200000, '2026-05-20', '100'), row(1779148800000, '2026-05-19', '99'), row(1779062400000, '2026-05-18', '98')];
  const file = 'cdd.csv';

  it('reads newest-first input in ascending order; header found after the banner or without it', () => {
    const r = parseCddDailyCsv([banner, header, ...good].join('\n'), { file });
    expect(r.failures).toEqual([]);
    expect(r.rows.map((p) => p.date)).toEqual(['2026-05-18', '2026-05-19', '2026-05-20']);
    expect(parseCddDailyCsv([header, ...good].join('\r\n')).rows).toEqual(r.rows);
  });

  it('finds columns by name whatever their order or case, and accepts seconds and date-times', () => {
    const text = [banner, 'date,close,unix,symbol', '2026-05-20 00:00:00,100,1779235200,ETH/USDT'].join('\n');
    expect(parseCddDailyCsv(text).rows).toEqual([{ date: '2026-05-20', asset: 'ETH', close: 100, currency: 'USDT' }]);
    expect(parseCddDailyCsv('Date,Close\n2026-05-20,5\n', { asset: 'SOL' }).rows).toEqual([{ date: '2026-05-20', asset: 'SOL', close: 5 }]);
  });

  it.each([
    [row(1779148800000, '2026-13-19', '99'), 'Date', 'bad-date', '2026-13-19'],
    [row(1779148800000, '2026-05-18', '99'), 'Unix', 'inconsistent', '1779148800000'],
    [row(1779148800000, '2026-05-19', 'NaN'), 'Close', 'not-finite', 'NaN'],
    [row(1779148800000, '2026-05-19', '-3'), 'Close', 'not-positive', '-3'],
    [row(1779148800000, '2026-05-19', '1,2'), 'Close', 'extra-field', undefined],
    [row(1779235200000, '2026-05-20', '100'), 'Date', 'duplicate-key', '2026-05-20'],
    ['1779148800000,2026-05-19,BTCXYZ,1,2,0.5,99,10,20,3', 'Symbol', 'bad-instrument-name', 'BTCXYZ'],
  ])('%s → %s / %s at line 4', (bad, column, reason, value) => {
    const r = parseCddDailyCsv([banner, header, good[0], bad, good[2]].join('\n'), { file });
    expect(r.rows).toHaveLength(2);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ file, line: 4, reason });
    if (reason !== 'extra-field') expect(r.failures[0]).toMatchObject({ column, value });
  });

  it('a file without a Close column fails once; an empty file fails once', () => {
    expect(parseCddDailyCsv([banner, 'Unix,Date,Symbol', '1,2026-05-20,BTCUSDT'].join('\n'), { file }).failures).toEqual([
      { file, line: 2, column: 'close', reason: 'missing-column', detail: 'no Close column' },
    ]);
    expect(parseCddDailyCsv('', { file }).failures).toEqual([{ file, line: 1, column: '', reason: 'empty-file' }]);
  });

  it('splits pair symbols', () => {
    expect(splitPairSymbol('BTCUSDT')).toEqual({ asset: 'BTC', currency: 'USDT' });
    expect(splitPairSymbol('DOGEUSDC')).toEqual({ asset: 'DOGE', currency: 'USDC' });
    expect(splitPairSymbol('BTC-USD')).toEqual({ asset: 'BTC', currency: 'USD' });
    expect(splitPairSymbol('USDT')).toBeNull();
  });
});

describe('parseCanonicalPriceCsv', () => {
  it('parses, sorts by (asset, date) and rejects bad rows with line and column', () => {
    const text = [
      'date,asset,close',
      '2026-02-05,BTC,62909.86',
      '2026-02-04,BTC,73000',
      '2026-02-04,ETH,2143',
      '2026-02-31,ETH,1',
      '2026-02-05,ETH,abc',
      '2026-02-04,BTC,1',
      '2026-02-06,,5',
      '2026-02-06,ETH,0',
    ].join('\n');
    const { rows, failures } = parseCanonicalPriceCsv(text, { file: 'p.csv' });
    expect(rows).toEqual([
      { date: '2026-02-04', asset: 'BTC', close: 73000 },
      { date: '2026-02-05', asset: 'BTC', close: 62909.86 },
      { date: '2026-02-04', asset: 'ETH', close: 2143 },
    ]);
    expect(failures).toEqual([
      { file: 'p.csv', line: 5, column: 'date', reason: 'bad-date', value: '2026-02-31' },
      { file: 'p.csv', line: 6, column: 'close', reason: 'not-a-number', value: 'abc' },
      { file: 'p.csv', line: 7, column: 'date', reason: 'duplicate-key', value: '2026-02-04', detail: 'same asset and date as line 3' },
      { file: 'p.csv', line: 8, column: 'asset', reason: 'empty-value' },
      { file: 'p.csv', line: 9, column: 'close', reason: 'not-positive', value: '0' },
    ]);
  });

  it('missing column, empty file', () => {
    expect(parseCanonicalPriceCsv('date,close\n2026-01-01,1\n', { file: 'p' }).failures).toMatchObject([{ line: 1, column: 'asset', reason: 'missing-column' }]);
    expect(parseCanonicalPriceCsv('', { file: 'p' }).failures).toMatchObject([{ reason: 'empty-file' }]);
  });
});

describe('buildPriceSeries', () => {
  it('groups by asset, sorts ascending, keeps the first of duplicate dates and reports the rest', () => {
    const { series, failures } = buildPriceSeries([
      { date: '2026-02-05', asset: 'BTC', close: 2 },
      { date: '2026-02-04', asset: 'BTC', close: 1 },
      { date: '2026-02-04', asset: 'ETH', close: 10 },
      { date: '2026-02-05', asset: 'BTC', close: 3 },
      { date: '2026-02-06', asset: 'ETH', close: 11, currency: 'USDT' },
    ]);
    expect(series.map((s) => [s.asset, s.dates, Array.from(s.closes)])).toEqual([
      ['BTC', ['2026-02-04', '2026-02-05'], [1, 2]],
      ['ETH', ['2026-02-04'], [10]],
    ]);
    expect(failures).toEqual([
      { asset: 'BTC', date: '2026-02-05', reason: 'duplicate-date', close: 3, keptClose: 2 },
      { asset: 'ETH', date: '2026-02-06', reason: 'mixed-currency', close: 11 },
    ]);
  });

  it('turns the nine fixture files into nine series with no failures', () => {
    const points = ['BTC', 'ETH', 'BNB', 'ADA', 'XRP', 'TRX', 'DOGE', 'BCH', 'SOL'].flatMap(
      (a) => parseCddDailyCsv(readFixture(`crypto_daily/Binance_${a}USDT_d.csv`)).rows,
    );
    const { series, failures } = buildPriceSeries(points);
    expect(failures).toEqual([]);
    expect(series.map((s) => [s.asset, s.dates.length, s.currency])).toEqual(
      CDD.map(([a, , , n]) => [a, n, 'USDT']).sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });
});
