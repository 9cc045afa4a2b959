/**
 * The report in a real browser (issue 6 "Show"; DESIGN.md §10): the HTML for the sample model is written to
 * test-output/report/, opened in Debian's headless Chromium through playwright-core, and must load with no console
 * errors, no request other than the page itself (and none failed), and drawn marks in every chart; a full-page
 * screenshot is written next to it. Two reports: the synthetic sample, and the report of a real recalibration of the
 * bundled incident (the first screen a reader sees: the incident title and four cards — accounts, total initial
 * margin before -> after, margin calls, backtest zones). Skipped, saying why, when /usr/bin/chromium is absent, unless
 * AFTERSHOCK_REQUIRE_CHROMIUM=1 (set by .ci/run), in which case the absence is a failure.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { buildReportModel, writeReport, type ReportModel } from '../../src/report/index.ts';
import { runRecalibrationJob } from '../../src/jobs/index.ts';
import { createTestDatabase } from '../support/db.ts';
import { INCIDENT, ROOT } from '../jobs/helpers.ts';
import { sampleReportInput } from './sample.ts';

const CHROMIUM = '/usr/bin/chromium';
const required = process.env['AFTERSHOCK_REQUIRE_CHROMIUM'] === '1';
const present = existsSync(CHROMIUM);
const outDir = fileURLToPath(new URL('../../test-output/report/', import.meta.url));

if (!present) {
  console.warn(required
    ? `browser test: ${CHROMIUM} is missing and AFTERSHOCK_REQUIRE_CHROMIUM=1: failing`
    : `browser test skipped: ${CHROMIUM} not found (install Debian's chromium; .ci/run does, and sets AFTERSHOCK_REQUIRE_CHROMIUM=1)`);
}

if (required && !present) {
  describe('report in headless Chromium (required by AFTERSHOCK_REQUIRE_CHROMIUM=1)', () => {
    it('has Chromium available', () => {
      expect(existsSync(CHROMIUM), `${CHROMIUM} must exist when AFTERSHOCK_REQUIRE_CHROMIUM=1`).toBe(true);
    });
  });
}

describe.skipIf(!present)('report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function checkInBrowser(model: ReportModel, baseName: string): Promise<void> {
    const { htmlPath } = await writeReport(model, outDir, { baseName });
    const pageUrl = pathToFileURL(htmlPath).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    const failed: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText ?? '?'}`));
    const response = await page.goto(pageUrl, { waitUntil: 'load' });
    expect(response?.ok() ?? true).toBe(true);

    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => ({
      id: f.getAttribute('data-chart') ?? '',
      marks: f.querySelectorAll('svg g.role-mark path, svg g.role-mark rect, svg g.role-mark circle, svg g.role-mark line, svg g.role-mark text').length,
      width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
    })));
    const expected = 1 + 1 + model.surfaces.reduce((n, s) => n + 1 + s.expiries.length, 0) + 2 * model.correlations.length + model.scenarioPnl.length;
    expect(charts).toHaveLength(expected);
    for (const c of charts) {
      expect(c.marks, `marks in chart ${c.id}`).toBeGreaterThan(0);
      expect(c.width, `width of chart ${c.id}`).toBeGreaterThan(100);
    }
    // the first thing on the page: the incident title and the four headline cards
    expect(await page.textContent('h1')).toBe(model.provenance.incident.title);
    expect(await page.$$eval('header .card', (cards) => cards.length)).toBe(4);
    const headerBottom = await page.$eval('header.top', (h) => h.getBoundingClientRect().bottom);
    expect(headerBottom).toBeLessThan(900);

    await page.screenshot({ path: `${outDir}${baseName}.png`, fullPage: true });
    await page.screenshot({ path: `${outDir}${baseName}-first-screen.png` });
    await page.close();
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    console.info(`browser test: ${charts.length} charts, ${charts.reduce((n, c) => n + c.marks, 0)} marks; screenshot ${outDir}${baseName}.png`);
  }

  it('the sample report loads with no console errors or requests, draws marks in every chart, and is screenshotted', async () => {
    await checkInBrowser(buildReportModel(sampleReportInput()), 'sample-report');
  }, 120_000);

  it('the report of the bundled incident (2026-02-05 drawdown, 3000 fixture accounts) does too', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const job = await runRecalibrationJob({ store: await db.open(), codeVersion: 'aftershock@test', request: { root: ROOT, incident: INCIDENT } });
      expect(job.output.report.headline.accounts).toBe(3000);
      await checkInBrowser(job.output.report, 'fixture-incident-report');
    } finally {
      await db.cleanup();
    }
  }, 240_000);
});
