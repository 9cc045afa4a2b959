/**
 * `aftershock report`: the stored report written byte for byte to <out>/<runId>.html|.json (atomically: no
 * temporary file left), the printed path, --open with a working and a missing opener (exit 0 either way), and
 * exit 2 for an unknown run, a run without a report and a bad --format.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportFileName } from '../../src/cli/report.ts';
import { getRunReport } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { jsonOf, storedRun, useCliDatabase } from './helpers.ts';

// non-ASCII and a CRLF: a text-mode or re-encoding write would change bytes
const HTML = '<!doctype html>\r\n<html><head><meta charset="utf-8"><title>Run r1 — σ after the incident</title></head><body>∆ 1 234 ₿</body></html>\n';
const JSON_TEXT = '{"runId":"r1","figures":{"im":1.5e9,"note":"naïve"}}';

describe.each(BACKENDS)('aftershock report on %s', async (backend) => {
  const skip = await skipBackend(backend, 'cli report');
  describe.skipIf(skip)(backend, () => {
    const ctx = useCliDatabase(backend);
    let dir = '';
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'aftershock-cli-report-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes the stored HTML to <out>/<runId>.html, identical byte for byte, and prints the path', async () => {
      await storedRun(ctx.store, 'r1', { report: { json: JSON_TEXT, html: HTML } });
      const out = join(dir, 'nested', 'reports');
      const r = await ctx.cli(['report', 'r1', '--out', out]);
      expect(r).toEqual({ code: 0, out: [join(out, 'r1.html')], err: [] });
      const stored = await getRunReport(ctx.store, 'r1');
      expect(readFileSync(join(out, 'r1.html'))).toEqual(Buffer.from(stored!.html, 'utf8'));
      expect(readFileSync(join(out, 'r1.html'), 'utf8')).toBe(HTML);
      expect(readdirSync(out)).toEqual(['r1.html']); // no temporary file left

      // rewriting replaces the file; --format json writes the stored JSON; a relative --out resolves against cwd
      const j = await ctx.cli(['report', 'r1', '--out', 'rel', '--format', 'json', '--json'], { cwd: dir });
      expect(j.code).toBe(0);
      expect(jsonOf(j)).toEqual({ runId: 'r1', format: 'json', path: join(dir, 'rel', 'r1.json'), bytes: Buffer.byteLength(JSON_TEXT), reportSha256: stored!.sha256, opened: null });
      expect(readFileSync(join(dir, 'rel', 'r1.json'), 'utf8')).toBe(JSON_TEXT);
      expect((await ctx.cli(['report', 'r1', '--out', out])).code).toBe(0);
      expect(readdirSync(out)).toEqual(['r1.html']);
    });

    it('--open launches the opener with the written path; a missing opener is reported, exit 0', async () => {
      await storedRun(ctx.store, 'r1', { report: { json: JSON_TEXT, html: HTML } });
      const asked: string[] = [];
      const ok = await ctx.cli(['report', 'r1', '--out', dir, '--open'], {
        openFile: async (path) => {
          asked.push(path);
          return { opened: true, command: 'fake-open' };
        },
      });
      expect(ok).toEqual({ code: 0, out: [join(dir, 'r1.html')], err: [] });
      expect(asked).toEqual([join(dir, 'r1.html')]);

      const missing = await ctx.cli(['report', 'r1', '--out', dir, '--open', '--json'], {
        openFile: async () => ({ opened: false, command: 'xdg-open', reason: 'ENOENT: xdg-open not found' }),
      });
      expect(missing.code).toBe(0);
      expect(missing.err).toEqual([`could not open ${join(dir, 'r1.html')} (xdg-open: ENOENT: xdg-open not found)`]);
      expect(jsonOf(missing)).toMatchObject({ opened: { opened: false, command: 'xdg-open' } });
    });

    it('unknown run, run without a report, bad --format: exit 2, nothing written', async () => {
      const unknown = await ctx.cli(['report', 'nope', '--out', dir]);
      expect(unknown).toEqual({ code: 2, out: [], err: ['error: run "nope" not found'] });
      await storedRun(ctx.store, 'bare');
      const bare = await ctx.cli(['report', 'bare', '--out', dir, '--json']);
      expect(bare.code).toBe(2);
      expect(bare.err).toEqual(['error: run bare has no stored report (status candidate)']);
      expect(jsonOf(bare)).toMatchObject({ error: { type: 'CliInputError', code: 'no-report', runId: 'bare' } });
      const fmt = await ctx.cli(['report', 'bare', '--out', dir, '--format', 'pdf']);
      expect(fmt.code).toBe(2);
      expect(fmt.err.join('\n')).toMatch(/argument 'pdf' is invalid\. Allowed choices are html, json/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});

describe('reportFileName', () => {
  it('keeps plain ids and makes any other id a plain file name', () => {
    expect(reportFileName('run-2026-02-05_a.1', 'html')).toBe('run-2026-02-05_a.1.html');
    expect(reportFileName('../../etc/passwd', 'json')).toBe('__.._etc_passwd.json');
    expect(reportFileName('a b/c\\d', 'html')).toBe('a_b_c_d.html');
  });
});
