import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportModel, escapeHtml, renderReportHtml, renderReportJson, writeReport } from '../../src/report/index.ts';
import { sampleReportInput } from './sample.ts';

const HOSTILE = '<script>alert("x")</script>&"\'';

describe('HTML report', async () => {
  const model = buildReportModel(sampleReportInput(), { topAccounts: 12 });
  const html = await renderReportHtml(model);

  it('loads nothing from outside: every src/href/url() is a fragment, a data: URL or absent, and a CSP forbids the rest', () => {
    const refs = [...html.matchAll(/\b(?:src|href|xlink:href|action|poster|srcset)\s*=\s*["']?([^"'\s>]*)|url\(\s*["']?([^"')]*)/gi)]
      .map((m) => m[1] ?? m[2] ?? '');
    const external = refs.filter((r) => !r.startsWith('#') && !r.startsWith('data:'));
    expect(external).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face/i);
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'");
    expect(html).not.toMatch(/\bid="clip|url\(#/); // no vega clip/gradient ids that could collide between charts
  });

  it('draws every chart as inline SVG', () => {
    const figures = html.match(/<figure class="chart"/g) ?? [];
    const svgs = html.match(/<svg /g) ?? [];
    const expected = 2 + model.surfaces.reduce((n, s) => n + 1 + s.expiries.length, 0) + 2 * model.correlations.length + model.scenarioPnl.length;
    expect(figures).toHaveLength(expected);
    expect(svgs).toHaveLength(expected);
  });

  it('the header comes first with the headline numbers', () => {
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(html.indexOf('<header')).toBeLessThan(html.indexOf('<section'));
    expect(header).toContain(escapeHtml(model.provenance.incident.title));
    expect(header).toContain('>300<'); // accounts
    expect(header).toContain('$17.87m → $21.42m');
    expect(header).toContain(`${model.headline.accountsWithCall} accounts`);
    for (const z of model.headline.backtestZones) expect(header).toContain(`zone-${z.zone}`);
  });

  it('escapes every data string: a <script> in an account id, an asset, a desk and the title never reaches the markup raw', async () => {
    const input = sampleReportInput({ accountPrefix: HOSTILE, assetName: HOSTILE, accounts: 40 });
    const hostile = {
      ...input,
      provenance: { ...input.provenance, runId: HOSTILE, incident: { ...input.provenance.incident, title: HOSTILE, kind: HOSTILE } },
      accounts: input.accounts.map((a) => ({ ...a, desk: `${HOSTILE}${a.desk}` })),
      attributions: input.attributions.map((a) => ({ ...a, effects: a.effects.map((e) => ({ ...e, name: HOSTILE })), drivers: a.drivers.map((d) => ({ ...d, instrument: HOSTILE })) })),
    };
    const out = await renderReportHtml(buildReportModel(hostile));
    expect(out).not.toContain('<script');
    // no tag or attribute carries the payload: it only ever appears as escaped text
    const tags = out.match(/<[^>]*>/g) ?? [];
    expect(tags.filter((t) => t.includes('alert'))).toEqual([]);
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;&#39;');
    // the hostile asset name is drawn by vega inside the heatmap SVG: escaped there too
    const heatmap = out.slice(out.indexOf('data-chart="correlation-0-before"'));
    expect(heatmap.slice(0, heatmap.indexOf('</figure>'))).toContain('&lt;script&gt;');
    expect(escapeHtml('a\u0000b<')).toBe('ab&lt;');
  });

  it('is deterministic: the same model renders to the same bytes, also under another time zone', async () => {
    const again = await renderReportHtml(buildReportModel(sampleReportInput(), { topAccounts: 12 }));
    expect(again).toBe(html);
    const tz = process.env['TZ'];
    process.env['TZ'] = 'Pacific/Kiritimati';
    try {
      expect(new Date(Date.UTC(2025, 0, 1)).getHours()).toBe(14); // the zone really changed
      expect(await renderReportHtml(model)).toBe(html);
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  });
});

describe('JSON report and writer', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('JSON is canonical: sorted keys, identical bytes for identical models', () => {
    const a = renderReportJson(buildReportModel(sampleReportInput()));
    const b = renderReportJson(buildReportModel(sampleReportInput()));
    expect(a).toBe(b);
    expect(a.endsWith('}\n')).toBe(true);
    const top = Object.keys(JSON.parse(a) as object);
    expect(top).toEqual([...top].sort());
    expect(top[0]).toBe('backtests');
  });

  it('writes both files atomically and leaves no temporary files; rewriting gives identical bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftershock-report-'));
    dirs.push(dir);
    const model = buildReportModel(sampleReportInput({ accounts: 50 }));
    const out = join(dir, 'nested', 'out');
    const first = await writeReport(model, out);
    expect(first).toEqual({ jsonPath: join(out, 'report.json'), htmlPath: join(out, 'report.html') });
    const json1 = await readFile(first.jsonPath, 'utf8');
    const html1 = await readFile(first.htmlPath, 'utf8');
    expect(json1).toBe(renderReportJson(model));
    expect(html1).toBe(await renderReportHtml(model));
    await writeReport(model, out);
    expect(await readFile(first.jsonPath, 'utf8')).toBe(json1);
    expect(await readFile(first.htmlPath, 'utf8')).toBe(html1);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.json']);
    await expect(writeReport(model, out, { baseName: '../escape' })).rejects.toThrow(/plain file name/);
  });
});
