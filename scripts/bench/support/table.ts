/** Plain-text table and number formatting for the benchmark output. */

/** A table row: one cell per column, already formatted. */
export type Row = readonly string[];

/** Render `rows` under `header` with columns padded to their widest cell (numbers right-aligned). */
export function renderTable(header: Row, rows: readonly Row[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.every((r) => /^[-+0-9.,e×x ]*$|^n\/a$|^-$/.test(r[c] ?? '')));
  const line = (cells: Row): string =>
    cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** "1e6", "1e4", "500" */
export function formatCount(n: number): string {
  if (n >= 1000 && Number.isInteger(Math.log10(n))) return `1e${Math.log10(n)}`;
  return String(n);
}

/** Milliseconds with 3 significant digits. */
export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3);
}

/** A throughput in millions per second: 3 significant digits, small values in exponent form. */
export function formatRate(millions: number): string {
  return millions >= 0.01 ? millions.toPrecision(3) : millions.toExponential(2);
}

/** Relative error like "2.2e-16"; 0 as "0"; Infinity as "inf". */
export function formatRel(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : 'inf';
  return x.toExponential(1);
}
