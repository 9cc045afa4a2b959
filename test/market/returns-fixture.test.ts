import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPriceSeries, parseCddDailyCsv } from '../../src/market/index.ts';
import { alignLogReturns, type WindowTreatment } from '../../src/market/returns/index.ts';
import { fixturePath } from './fixtures.ts';

// The nine CryptoDataDownload daily files of fixtures/market/crypto_daily (SOURCE.md there).
const dir = fixturePath('crypto_daily/');
const points = readdirSync(dir).filter((f) => f.endsWith('.csv')).flatMap((f) => parseCddDailyCsv(readFileSync(dir + f, 'utf8'), { file: f }).rows);
const { series } = buildPriceSeries(points);
// fixtures/incidents/2026-02-05-drawdown.json: startedAt / endedAt
const incident = JSON.parse(readFileSync(fixturePath('../incidents/2026-02-05-drawdown.json'), 'utf8')) as { id: string; startedAt: string; endedAt: string };
const window = (treatment: WindowTreatment['treatment'], weight?: number): WindowTreatment => ({
  name: incident.id, startMs: Date.parse(incident.startedAt), endMs: Date.parse(incident.endedAt), treatment, ...(weight === undefined ? {} : { weight }),
});
const DAY = 86_400_000;

describe('returns of the nine fixture assets (2017-08-17 .. 2026-05-20)', () => {
  const aligned = alignLogReturns(series, { gaps: 'drop-row', windows: [window('keep-as-stress')] });

  it('reports every gap: late starts per asset and the 8 days missing in all files', () => {
    expect(aligned.assets).toEqual(['ADA', 'BCH', 'BNB', 'BTC', 'DOGE', 'ETH', 'SOL', 'TRX', 'XRP']);
    expect(aligned.gaps.filter((g) => g.kind === 'missing-price')).toEqual([]);
    expect(aligned.gaps.filter((g) => g.kind === 'outside-coverage').map((g) => [g.assets[0], g.date, g.toDate, g.rows])).toEqual([
      ['BNB', '2017-08-18', '2017-11-06', 81],
      ['ADA', '2017-08-18', '2018-04-17', 243],
      ['XRP', '2017-08-18', '2018-05-04', 260],
      ['TRX', '2017-08-18', '2018-06-11', 298],
      ['DOGE', '2017-08-18', '2019-07-05', 687],
      ['BCH', '2017-08-18', '2019-11-28', 833],
      ['SOL', '2017-08-18', '2020-08-11', 1090],
    ]);
    const calendar = aligned.gaps.filter((g) => g.kind === 'calendar');
    expect(calendar.map((g) => [g.date, g.spanDays, g.action])).toEqual([
      ['2026-01-09', 2, 'kept-span'], ['2026-01-21', 2, 'kept-span'], ['2026-03-23', 4, 'kept-span'], ['2026-03-26', 2, 'kept-span'], ['2026-04-16', 3, 'kept-span'],
    ]);
    // 8 missing days in all: 1 + 1 + 3 + 1 + 2 (SOURCE.md: 01-08, 01-20, 03-20..22, 03-25, 04-14..15)
    expect(calendar.reduce((s, g) => s + (g.spanDays as number) - 1, 0)).toBe(8);
    // independent check on the output calendar: every other row is one day after the previous one
    const ms = aligned.dates.map((d) => Date.parse(d));
    const jumps = ms.slice(1).map((m, i) => [aligned.dates[i + 1], (m - (ms[i] as number)) / DAY]).filter(([, d]) => d !== 1);
    expect(jumps).toEqual(calendar.map((g) => [g.date, g.spanDays]));
    expect(aligned.dates[0]).toBe('2020-08-12');
    expect(aligned.dates.at(-1)).toBe('2026-05-20');
    expect(aligned.dates).toHaveLength(2100);
  });

  it('BTC log returns on the incident days are ln of the daily closes; the window rows are tagged as stress', () => {
    const t4 = aligned.dates.indexOf('2026-02-04');
    const b = aligned.assets.indexOf('BTC');
    expect(aligned.returns[t4 * 9 + b]).toBe(Math.log(73165.83 / 75770.21));
    expect(aligned.returns[(t4 + 1) * 9 + b]).toBe(Math.log(62909.86 / 73165.83));
    expect(aligned.stressPeriods).toEqual([{ name: '2026-02-05-drawdown', from: '2026-02-04', to: '2026-02-05', dates: ['2026-02-04', '2026-02-05'] }]);
    expect(aligned.tags.filter((t) => t.includes('stress:2026-02-05-drawdown'))).toHaveLength(2);
  });

  it('exclude removes the two window rows and records them; downweight gives them the weight', () => {
    const ex = alignLogReturns(series, { gaps: 'drop-row', windows: [window('exclude')] });
    expect(ex.dates).toHaveLength(2098);
    expect(ex.excluded).toEqual([{ date: '2026-02-04', window: incident.id }, { date: '2026-02-05', window: incident.id }]);
    expect(ex.dates.includes('2026-02-05')).toBe(false);
    const dw = alignLogReturns(series, { gaps: 'drop-row', windows: [window('downweight', 0.25)] });
    expect(Array.from(dw.weights).filter((w) => w !== 1)).toEqual([0.25, 0.25]);
  });

  it('keep-nan keeps the history from 2017 with NaN before each late start, never filled', () => {
    const kn = alignLogReturns(series, { gaps: 'keep-nan' });
    expect(kn.dates[0]).toBe('2017-08-18');
    expect(kn.dates).toHaveLength(3190);
    const nanPerAsset = kn.assets.map((_, j) => kn.dates.filter((_, t) => Number.isNaN(kn.returns[t * 9 + j] as number)).length);
    expect(nanPerAsset).toEqual([243, 833, 81, 0, 687, 0, 1090, 298, 260]);
  });
});
