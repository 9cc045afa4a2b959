/** Text formatting of the lifecycle commands' output: aligned tables, times, progress, summary figures. */

/** Lines of a left-aligned table: the header, then one line per row, columns separated by two spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths.map((w, i) => (i === widths.length - 1 ? (cells[i] ?? '') : (cells[i] ?? '').padEnd(w))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** A time (ms since the epoch, UTC) as `2026-02-05T00:00:00Z` (ms kept only when not 0); '-' for null. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '-';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A progress fraction in [0, 1] as a whole percentage, e.g. `25%`. */
export function formatProgress(progress: number): string {
  return `${Math.floor(progress * 100 + 1e-9)}%`;
}

/** A figure for a table: thousands separators from 10 000, otherwise at most 4 significant digits after the point. */
export function formatFigure(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 1e4) return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return String(Number(n.toPrecision(4)));
}

/**
 * The numeric figures of a run summary: finite numbers at its top level and one level down (`shadow.accounts`),
 * in key order, at most `limit` (default 3). Arrays, strings and deeper values are left out.
 */
export function summaryFigures(summary: unknown, limit = 3): [string, number][] {
  const figures: [string, number][] = [];
  if (summary === null || typeof summary !== 'object' || Array.isArray(summary)) return figures;
  const take = (key: string, value: unknown): void => {
    if (typeof value === 'number' && Number.isFinite(value)) figures.push([key, value]);
  };
  for (const [key, value] of Object.entries(summary)) {
    take(key, value);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) take(`${key}.${inner}`, v);
    }
  }
  return figures.slice(0, limit);
}

/** A run summary's figures as `key=value key=value`, or '' if it has none. */
export function formatSummaryFigures(summary: unknown, limit = 3): string {
  return summaryFigures(summary, limit).map(([k, v]) => `${k}=${formatFigure(v)}`).join(' ');
}
