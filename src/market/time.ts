/**
 * Strict, pure date/time helpers for market data (no clock, no locale; `Date.parse` is never used because it
 * accepts non-ISO text). All instants are UTC epoch milliseconds.
 */

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;

/** Milliseconds in one ACT/365 year (365 days). */
export const MS_PER_YEAR_ACT365 = 365 * MS_PER_DAY;

/** Years between two instants (ACT/365): `(toMs - fromMs) / (365 days)`. Negative when `toMs < fromMs`. */
export function yearsAct365(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR_ACT365;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month (`month` 1..12) of the proleptic Gregorian calendar (NaN outside 1..12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return DAYS_IN_MONTH[month - 1] ?? Number.NaN;
}

/** Is (year, month 1..12, day) a real calendar date? */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a strict `YYYY-MM-DD` calendar date to its UTC midnight in epoch ms, or `null` if the text is not a
 * real date (e.g. `2026-02-30`).
 */
export function parseDateOnlyUtc(text: string): number | null {
  const m = DATE_ONLY.exec(text);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!isCalendarDate(y, mo, d)) return null;
  return Date.UTC(y, mo - 1, d);
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO-8601 date-time **with an explicit offset** (`Z` or `±hh:mm`), e.g.
 * `2026-02-04T21:33:08.476844+00:00`, to UTC epoch ms. Fractions beyond milliseconds are truncated (as
 * JavaScript `Date` does). Returns `null` for anything else, including a date-time without offset.
 */
export function parseIsoDateTimeUtc(text: string): number | null {
  const m = ISO_DATETIME.exec(text);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6);
  const tz = m[8] as string;
  let offsetMin = 0;
  if (tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, frac) - offsetMin * 60_000;
}

const EPOCH_MS = /^\d{10,13}$/;

/**
 * Parses a timestamp cell: an ISO-8601 date-time with offset, or an integer epoch in milliseconds (13 digits)
 * or seconds (10 digits). Returns UTC epoch ms or `null`.
 */
export function parseTimestampUtc(text: string): number | null {
  if (EPOCH_MS.test(text)) {
    const n = Number(text);
    return text.length === 13 ? n : text.length === 10 ? n * 1000 : null;
  }
  return parseIsoDateTimeUtc(text);
}

/** Formats an epoch-ms instant as its UTC calendar day `YYYY-MM-DD`. */
export function formatUtcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Offset of US Eastern time from UTC in hours at a given UTC instant (-4 in daylight saving time, -5
 * otherwise), using the US rule in force since 2007: DST from the second Sunday of March 02:00 local to the
 * first Sunday of November 02:00 local.
 */
export function usEasternOffsetHours(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const secondSundayMarch = nthSundayUtcDay(year, 2, 2);
  const firstSundayNov = nthSundayUtcDay(year, 10, 1);
  const dstStartUtc = secondSundayMarch + 7 * 3_600_000; // 02:00 EST = 07:00 UTC
  const dstEndUtc = firstSundayNov + 6 * 3_600_000; // 02:00 EDT = 06:00 UTC
  return utcMs >= dstStartUtc && utcMs < dstEndUtc ? -4 : -5;
}

/** Converts a US Eastern wall-clock time to UTC epoch ms (month 1..12). */
export function usEasternToUtc(year: number, month: number, day: number, hour: number, minute: number): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const guess = naive + 5 * 3_600_000;
  return naive - usEasternOffsetHours(guess) * 3_600_000;
}

function nthSundayUtcDay(year: number, monthIndex: number, n: number): number {
  const first = new Date(Date.UTC(year, monthIndex, 1)).getUTCDay();
  const day = 1 + ((7 - first) % 7) + 7 * (n - 1);
  return Date.UTC(year, monthIndex, day);
}
