/**
 * renderReportHtml: the report as one self-contained HTML page. No scripts, fonts, images or stylesheets are
 * loaded: CSS is inline, charts are inline SVG rendered by Vega-Lite in Node, and a Content-Security-Policy of
 * default-src 'none' makes the browser refuse any request the page might still try. Every data string is escaped.
 * Pure apart from being async (vega renders asynchronously): identical models give identical bytes.
 */
import type { ReportModel } from '../model/types.ts';
import { escapeHtml } from './escape.ts';
import { renderHeader } from './header.ts';
import {
  renderBacktestSection, renderCorrelationSection, renderMarginsSection, renderProvenanceSection, renderScenarioSection,
  renderSurfacesSection,
} from './sections.ts';
import { REPORT_CSS } from './style.ts';

/** The Content-Security-Policy of the page: nothing may be fetched; inline styles only; no scripts. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The whole page as HTML text (UTF-8), ending in a newline. Sections: header, margins, backtest, surfaces, correlations, scenarios, provenance. */
export async function renderReportHtml(model: ReportModel): Promise<string> {
  const sections = [
    await renderMarginsSection(model),
    await renderBacktestSection(model),
    await renderSurfacesSection(model),
    await renderCorrelationSection(model),
    await renderScenarioSection(model),
    renderProvenanceSection(model),
  ];
  const toc = [['margins', 'Margin changes'], ['backtest', 'Backtest'], ['surfaces', 'Surfaces'], ['correlation', 'Correlations'], ['scenarios', 'Scenario P&amp;L'], ['provenance', 'Provenance']]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Aftershock report — ${model.provenance.incident.title} — run ${model.provenance.runId}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${renderHeader(model)}
<main>
<nav class="toc">${toc}</nav>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
