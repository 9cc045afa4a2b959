/**
 * writeReport: writes the report's JSON and HTML into a directory, each atomically (written to a temporary file in
 * the same directory, then renamed over the target), so a reader never sees a half-written report. The only module
 * of src/report that does I/O.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportModel } from './model/types.ts';
import { renderReportHtml } from './html/renderReportHtml.ts';
import { renderReportJson } from './json/renderReportJson.ts';
import { writeAtomically } from './writeAtomically.ts';

/** Where the report was written (absolute or as given, joined with the file names). */
export interface WrittenReport {
  readonly jsonPath: string;
  readonly htmlPath: string;
}

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** File base name without extension (default 'report'); must be a plain file name. */
  readonly baseName?: string;
}

/** Renders `model` and writes `<baseName>.json` and `<baseName>.html` into `outDir` (created if missing). */
export async function writeReport(model: ReportModel, outDir: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const baseName = options.baseName ?? 'report';
  if (!/^[A-Za-z0-9._-]+$/.test(baseName) || baseName.startsWith('.')) {
    throw new TypeError(`baseName = ${JSON.stringify(baseName)}: must be a plain file name (letters, digits, . _ -)`);
  }
  const json = renderReportJson(model);
  const html = await renderReportHtml(model);
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, `${baseName}.json`);
  const htmlPath = join(outDir, `${baseName}.html`);
  await writeAtomically(jsonPath, json);
  await writeAtomically(htmlPath, html);
  return Object.freeze({ jsonPath, htmlPath });
}
