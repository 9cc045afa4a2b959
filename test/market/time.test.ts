import { describe, expect, it } from 'vitest';
import { daysInMonth, parseDateOnlyUtc, parseIsoDateTimeUtc, parseTimestampUtc, usEasternToUtc, yearsAct365 } from '../../src/market/time.ts';

describe('market time helpers', () => {
  it('ACT/365 years', () => {
    expect(yearsAct365(0, 365 * 86_400_000)).toBe(1);
    expect(yearsAct365(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1))).toBe(366 / 365);
  });

  it('calendar validity, leap years included', () => {
    expect([2024, 2023, 1900, 2000].map((y) => daysInMonth(y, 2))).toEqual([29, 28, 28, 29]);
    expect(parseDateOnlyUtc('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2023-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '26-01-01', '2026-01-01T00:00Z', '']) {
      expect(parseDateOnlyUtc(bad), bad).toBeNull();
    }
  });

  it('ISO date-times need an explicit offset; fractions beyond ms are truncated like Date', () => {
    expect(parseIsoDateTimeUtc('2026-02-04T21:33:08.476844+00:00')).toBe(Date.parse('2026-02-04T21:33:08.476Z'));
    expect(parseIsoDateTimeUtc('2026-02-04T21:33:08.476844+00:00')).toBe(new Date('2026-02-04T21:33:08.476844+00:00').getTime());
    expect(parseIsoDateTimeUtc('2026-02-04 22:33+01:00')).toBe(Date.parse('2026-02-04T21:33:00Z'));
    expect(parseIsoDateTimeUtc('2026-02-04T16:33:00-0500')).toBe(Date.parse('2026-02-04T21:33:00Z'));
    for (const bad of ['2026-02-04T21:33:08', '2026-02-04', 'Feb 4 2026', '2026-02-04T24:00:00Z', '2026-02-04T21:60:00Z']) {
      expect(parseIsoDateTimeUtc(bad), bad).toBeNull();
    }
  });

  it('timestamps: ISO, epoch ms (13 digits) or s (10 digits)', () => {
    expect(parseTimestampUtc('1770240788476')).toBe(1770240788476);
    expect(parseTimestampUtc('1770240788')).toBe(1770240788000);
    expect(parseTimestampUtc('17702407884')).toBeNull();
  });

  it('US Eastern wall clock → UTC across DST (2011: 13 March – 6 November)', () => {
    expect(usEasternToUtc(2011, 1, 24, 14, 3)).toBe(Date.parse('2011-01-24T19:03:00Z'));
    expect(usEasternToUtc(2011, 3, 11, 9, 30)).toBe(Date.parse('2011-03-11T14:30:00Z'));
    expect(usEasternToUtc(2011, 3, 14, 9, 30)).toBe(Date.parse('2011-03-14T13:30:00Z'));
    expect(usEasternToUtc(2011, 11, 4, 16, 0)).toBe(Date.parse('2011-11-04T20:00:00Z'));
    expect(usEasternToUtc(2011, 11, 7, 16, 0)).toBe(Date.parse('2011-11-07T21:00:00Z'));
  });
});
