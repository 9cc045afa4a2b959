/** The report's sections as HTML (charts rendered to inline SVG); every data string is escaped. */
import type { ReportModel, ReportSurface, ReportTopAccount } from '../model/types.ts';
import { backtestSpec, correlationHeatmapSpec, marginChangeSpec, scenarioPnlSpec } from './charts/otherSpecs.ts';
import { renderSvg } from './charts/renderSvg.ts';
import { smileSpec, termStructureSpec } from './charts/surfaceSpecs.ts';
import { AFTER_COLOR, BEFORE_COLOR, CALIBRATION_COLORS } from './charts/theme.ts';
import { escapeHtml } from './escape.ts';
import { fmtNumber, fmtPercent, fmtStat, fmtUsd } from './format.ts';
import { chartFigure, span, table } from './markup.ts';

const signClass = (x: number): string => (x > 0 ? 'up' : x < 0 ? 'down' : '');
const legendBeforeAfter = `<p class="legend"><span class="swatch" style="background:${BEFORE_COLOR}"></span>before (pre-incident)<span class="swatch" style="background:${AFTER_COLOR}"></span>after (post-incident) · dots: quote mids, bars: bid–ask</p>`;

function attributionCell(a: ReportTopAccount): string {
  return a.effects.map((e) => `<span class="chip">${escapeHtml(e.name)} ${span(signClass(e.amount), fmtUsd(e.amount, true))}</span>`).join('');
}

/** Margin changes: histogram of per-account changes and the top accounts with their attribution. */
export async function renderMarginsSection(model: ReportModel): Promise<string> {
  const m = model.margins;
  const increased = m.accounts.filter((a) => a.change > 0).length;
  const hist = chartFigure('margin-change-histogram', 'Change of initial margin per account',
    await renderSvg(marginChangeSpec(m.changeHistogram)), `${fmtNumber(increased)} of ${fmtNumber(m.accounts.length)} accounts up; bin width ${fmtUsd(m.changeHistogram.binWidth)}`);
  const desks = [...new Set(m.accounts.map((a) => a.desk))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const deskRows = desks.map((d) => {
    const acc = m.accounts.filter((a) => a.desk === d);
    const before = acc.reduce((s, a) => s + a.before, 0);
    const after = acc.reduce((s, a) => s + a.after, 0);
    return [escapeHtml(d), fmtNumber(acc.length), fmtUsd(before), fmtUsd(after), span(signClass(after - before), fmtUsd(after - before, true)),
      fmtNumber(acc.filter((a) => a.marginCall > 0).length)];
  });
  const byDesk = table('by-desk', ['Desk', 'Accounts', 'IM before', 'IM after', 'Change', 'Calls'], deskRows, new Set([1, 2, 3, 4, 5]));
  const rows = model.topAccounts.map((a) => [
    `<span class="mono">${escapeHtml(a.accountId)}</span>`, escapeHtml(a.desk), fmtUsd(a.before), fmtUsd(a.after),
    span(signClass(a.change), fmtUsd(a.change, true)), attributionCell(a),
    `${escapeHtml(a.worstScenario.name)}<br>${span(signClass(-a.worstScenario.pnl), fmtUsd(a.worstScenario.pnl, true))}`,
    a.drivers.slice(0, 3).map((d) => `<span class="chip"><span class="mono">${escapeHtml(d.instrument)}</span> ${fmtUsd(d.pnl, true)}</span>`).join('<br>'),
  ]);
  const top = table('top-accounts', ['Account', 'Desk', 'IM before', 'IM after', 'Change', 'Attribution (waterfall, sums to change)', 'Worst scenario, P&amp;L', 'Main drivers there'], rows, new Set([2, 3, 4]));
  return `<section id="margins"><h2>Margin changes</h2>
<p class="lead">Total initial margin ${fmtUsd(m.totalBefore)} → ${fmtUsd(m.totalAfter)} (${span(signClass(m.totalChange), fmtUsd(m.totalChange, true))}); ${fmtNumber(m.accountsWithCall)} margin call(s) totalling ${fmtUsd(m.totalMarginCall)}.</p>
<div class="grid">${hist}<div><h3 style="margin-top:0">By desk</h3>${byDesk}</div></div>
<h3>Largest increases and why</h3>${top}</section>`;
}

/** Backtest chart with exceptions marked and the test table with colour-coded zones. */
export async function renderBacktestSection(model: ReportModel): Promise<string> {
  if (model.backtests.length === 0) return '<section id="backtest"><h2>Backtest</h2><p class="lead">No backtest in this run.</p></section>';
  const b0 = model.backtests[0];
  const chart = chartFigure('backtest', 'Realised MPOR P&L against −margin; diamonds = exceptions (loss > margin)', await renderSvg(backtestSpec(model.backtests)));
  const rows = model.backtests.map((b, i) => {
    const t = b.tests;
    return [
      `<span class="swatch" style="background:${CALIBRATION_COLORS[i] ?? '#888'};margin-left:0"></span>${escapeHtml(b.calibration)}`,
      fmtNumber(t.observations), `${fmtNumber(t.exceptions)} (${fmtNumber(t.expectedExceptions, 1)})`,
      fmtStat(t.kupiecLr), fmtStat(t.kupiecP), fmtStat(t.kupiecExactP), fmtStat(t.christoffersenLr), fmtStat(t.christoffersenP),
      fmtStat(t.conditionalCoverageLr), fmtStat(t.conditionalCoverageP), fmtPercent(t.coverageRatio, 2),
      `<span class="zone zone-${t.zone}">${t.zone}</span>`,
    ];
  });
  const head = ['Calibration', 'Days', 'Exceptions (expected)', 'Kupiec LR', 'Kupiec p', 'exact p', 'Christoffersen LR', 'p', 'Cond. cov. LR', 'p', 'Coverage ratio', 'Zone'];
  const tableHtml = table('backtest-tests', head, rows, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  const coverage = b0 === undefined ? '' : `${fmtPercent(b0.coverage, 2)} coverage, ${fmtNumber(b0.horizonDays)}-day MPOR`;
  return `<section id="backtest"><h2>Backtest</h2>
<p class="lead">Each calibration's margin on every past day of the history against the realised loss over the MPOR (${coverage}). Zones: Basel traffic light (yellow from 95 %, red from 99.99 % cumulative binomial probability).</p>
<div class="grid">${chart}</div>${tableHtml}</section>`;
}

async function renderSurface(s: ReportSurface): Promise<string> {
  const id = escapeHtml(s.underlying);
  const term = chartFigure(`term-${s.underlying}`, `${s.underlying} ATM term structure`, await renderSvg(termStructureSpec(s.termStructure)));
  const vol = (x: number | null): string => fmtPercent(x, 1);
  const rrRows = s.termStructure.map((t) => [escapeHtml(t.expiry), `${vol(t.atmVolBefore)} → ${vol(t.atmVolAfter)}`,
    `${vol(t.rr25Before)} → ${vol(t.rr25After)}`, `${vol(t.bf25Before)} → ${vol(t.bf25After)}`]);
  const rr = table('rr-bf', ['Expiry', 'ATM vol', '25d risk reversal', '25d butterfly'], rrRows, new Set([1, 2, 3]));
  const smiles: string[] = [];
  for (const e of s.expiries) {
    const nq = (e.before?.quotes.length ?? 0) + (e.after?.quotes.length ?? 0);
    smiles.push(chartFigure(`smile-${s.underlying}-${e.expiry}`, `${s.underlying} ${e.expiry} (${fmtNumber(e.timeYears * 365, 0)} d)`,
      await renderSvg(smileSpec(e)), `${fmtNumber(nq)} quotes`));
  }
  return `<h3 id="surface-${id}">${id}</h3><div class="grid">${term}<div>${rr}</div></div>
${legendBeforeAfter}<div class="grid">${smiles.join('\n')}</div>`;
}

/** Surfaces: per underlying the ATM term structure, the RR/BF table and the smiles per expiry. */
export async function renderSurfacesSection(model: ReportModel): Promise<string> {
  const parts: string[] = [];
  for (const s of model.surfaces) parts.push(await renderSurface(s));
  return `<section id="surfaces"><h2>Volatility surfaces</h2>${parts.join('\n')}</section>`;
}

/** Correlation heatmaps before and after. */
export async function renderCorrelationSection(model: ReportModel): Promise<string> {
  const parts: string[] = [];
  for (const [i, c] of model.correlations.entries()) {
    const before = chartFigure(`correlation-${i}-before`, 'Before', await renderSvg(correlationHeatmapSpec(c.assets, c.before)));
    const after = chartFigure(`correlation-${i}-after`, 'After', await renderSvg(correlationHeatmapSpec(c.assets, c.after)));
    parts.push(`<h3>${escapeHtml(c.label)}</h3><p class="lead">Largest change of a pairwise correlation: ${fmtNumber(c.maxAbsChange, 2)}.</p><div class="grid">${before}${after}</div>`);
  }
  return `<section id="correlation"><h2>Correlations</h2>${parts.join('\n')}</section>`;
}

/** Scenario P&L distributions, one histogram per scenario set. */
export async function renderScenarioSection(model: ReportModel): Promise<string> {
  const figs: string[] = [];
  for (const [i, s] of model.scenarioPnl.entries()) {
    figs.push(chartFigure(`scenario-pnl-${i}`, `${s.scenarioSet} — ${s.portfolio}`, await renderSvg(scenarioPnlSpec(s.histogram)),
      `${fmtNumber(s.values.length)} scenarios; worst ${fmtUsd(s.worst, true)}, best ${fmtUsd(s.best, true)}`));
  }
  return `<section id="scenarios"><h2>Scenario P&amp;L distribution</h2><div class="grid">${figs.join('\n')}</div></section>`;
}

/** Provenance: run, incident, code version, seed, model versions and input hashes. */
export function renderProvenanceSection(model: ReportModel): string {
  const p = model.provenance;
  const facts = table('provenance', ['Field', 'Value'], [
    ['Run id', `<span class="mono">${escapeHtml(p.runId)}</span>`],
    ['Incident', `${escapeHtml(p.incident.id)} — ${escapeHtml(p.incident.title)}`],
    ['As of', escapeHtml(p.asOf)],
    ['Code version', `<span class="mono">${escapeHtml(p.codeVersion)}</span>`],
    ['Seed', `<span class="mono">${escapeHtml(String(p.seed))}</span>`],
    ['Report schema', escapeHtml(model.schemaVersion)],
  ]);
  const models = table('models', ['Family', 'Model', 'Version'], p.models.map((m) => [escapeHtml(m.family), escapeHtml(m.name), escapeHtml(m.version)]));
  const inputs = table('inputs', ['Input', 'SHA-256'], p.inputs.map((f) => [escapeHtml(f.name), `<code>${escapeHtml(f.sha256)}</code>`]));
  return `<section id="provenance"><h2>Provenance</h2><div class="grid"><div>${facts}</div><div>${models}</div></div>${inputs}</section>`;
}
