/** Small HTML-building helpers: every data string goes through escapeHtml here or at the call site. */
import { escapeHtml } from './escape.ts';

/** A chart figure: caption (escaped) and the SVG produced by renderSvg (vega escapes the text it draws). */
export function chartFigure(id: string, caption: string, svg: string, note = ''): string {
  const noteHtml = note === '' ? '' : `<p class="note">${escapeHtml(note)}</p>`;
  return `<figure class="chart" data-chart="${escapeHtml(id)}"><figcaption>${escapeHtml(caption)}</figcaption>${svg}${noteHtml}</figure>`;
}

/** A table; `head` cells and `rows` cells are already HTML (callers escape data). `numeric` columns align right. */
export function table(className: string, head: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  const cls = (i: number): string => (numeric.has(i) ? ' class="num"' : '');
  const th = head.map((h, i) => `<th${cls(i)}>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${escapeHtml(className)}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** An escaped span with a class, e.g. for signed amounts. */
export function span(className: string, text: string): string {
  return `<span class="${escapeHtml(className)}">${escapeHtml(text)}</span>`;
}
