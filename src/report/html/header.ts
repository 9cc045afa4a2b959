/** The page header: incident, run and the headline numbers (what a reader sees first). */
import type { ReportModel } from '../model/types.ts';
import { escapeHtml } from './escape.ts';
import { fmtNumber, fmtPercent, fmtUsdMillions } from './format.ts';

function card(label: string, value: string, detail: string): string {
  return `<div class="card"><div class="label">${label}</div><div class="value">${value}</div><div class="detail">${detail}</div></div>`;
}

/** Header HTML with four headline cards: accounts, total IM before -> after, margin calls, backtest zones. */
export function renderHeader(model: ReportModel): string {
  const p = model.provenance;
  const h = model.headline;
  const window = p.incident.startedAt === null ? '' : ` · ${escapeHtml(p.incident.startedAt)} → ${escapeHtml(p.incident.endedAt ?? '…')}`;
  const kind = p.incident.kind === null ? '' : ` · ${escapeHtml(p.incident.kind)}`;
  const dir = h.totalMarginChange > 0 ? 'up' : h.totalMarginChange < 0 ? 'down' : '';
  const zones = h.backtestZones.length === 0 ? 'none'
    : h.backtestZones.map((z) => `<div>${escapeHtml(z.calibration)}: <span class="zone zone-${z.zone}">${z.zone}</span> ${fmtNumber(z.exceptions)}/${fmtNumber(z.observations)} exceptions</div>`).join('');
  const cards = [
    card('Accounts', fmtNumber(h.accounts), `${fmtNumber(model.topAccounts.length)} largest increases explained below`),
    card('Total initial margin', `${fmtUsdMillions(h.totalMarginBefore)} → ${fmtUsdMillions(h.totalMarginAfter)}`,
      `<span class="${dir}">${fmtUsdMillions(h.totalMarginChange, true)} (${fmtPercent(h.totalMarginChangeRatio, 1, true)})</span>`),
    card('Margin calls', `${fmtNumber(h.accountsWithCall)} account${h.accountsWithCall === 1 ? '' : 's'}`,
      `${fmtUsdMillions(h.totalMarginCall)} to be posted`),
    `<div class="card"><div class="label">Backtest zones</div><div class="detail" style="font-size:14px">${zones}</div></div>`,
  ];
  return `<header class="top"><div class="inner">
<div class="kicker">Aftershock recalibration report · run ${escapeHtml(p.runId)} · as of ${escapeHtml(p.asOf)}</div>
<h1>${escapeHtml(p.incident.title)}</h1>
<div class="sub">incident ${escapeHtml(p.incident.id)}${kind}${window}</div>
<div class="cards">${cards.join('\n')}</div>
</div></header>`;
}
