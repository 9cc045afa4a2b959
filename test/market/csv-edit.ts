/** Helpers to build malformed CSV inputs from real rows. */
import { tokenizeCsv } from '../../src/market/parse/csv.ts';

/** Quotes a field if needed (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A header and some rows of a CSV text, as editable objects keyed by column name. */
export function rowsOf(text: string, skip = 0): { header: string[]; rows: Record<string, string>[] } {
  const recs = tokenizeCsv(text).slice(skip);
  const header = [...(recs[0]?.fields ?? [])];
  const rows = recs.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])));
  return { header, rows };
}

/** Writes rows back to CSV text with LF line ends and a trailing newline. */
export function toCsv(header: readonly string[], rows: readonly Record<string, string>[]): string {
  return [header.map(csvField).join(','), ...rows.map((r) => header.map((h) => csvField(r[h] ?? '')).join(','))].join('\n') + '\n';
}
