/**
 * The recalibration report (DESIGN.md §2 `report/`): a pure model builder, its JSON schema, renderers to canonical
 * JSON and to one self-contained HTML page with inline Vega-Lite SVG charts, and an atomic writer.
 */
export * from './model/index.ts';
export { REPORT_JSON_SCHEMA } from './schema.ts';
export { renderReportJson } from './json/renderReportJson.ts';
export { renderReportHtml, REPORT_CSP } from './html/renderReportHtml.ts';
export { escapeHtml } from './html/escape.ts';
export { writeReport } from './write.ts';
export { writeAtomically } from './writeAtomically.ts';
export type { WrittenReport, WriteReportOptions } from './write.ts';
