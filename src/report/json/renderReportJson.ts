/**
 * renderReportJson: the report model as JSON text with a stable key order (keys sorted by code point at every
 * level, arrays kept in order), two-space indentation and a final newline, so identical models give byte-identical
 * files whatever order their objects' keys were created in. Non-finite numbers are rejected (the model uses null).
 */
import type { ReportModel } from '../model/types.ts';

function canonical(value: unknown, path: string): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} = ${value}: the report JSON has no non-finite numbers`);
    return Object.is(value, -0) ? 0 : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => canonical(v, `${path}[${i}]`));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonical(v, `${path}.${key}`);
  }
  return out;
}

/** The model as canonical JSON text (UTF-8 when written), ending in a newline. */
export function renderReportJson(model: ReportModel): string {
  return `${JSON.stringify(canonical(model, 'report'), null, 2)}\n`;
}
