/**
 * The CLI's small parts: table and figure formatting, the gates a run is promoted with, the system opener (a missing
 * command is a result, not an error), atomic writes, the actor name, and the database target of an invocation
 * (--db, DATABASE_URL, the default file under the working directory, created on first use).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/cli/actor.ts';
import { RUN_LEASE_MS } from '../../src/cli/db.ts';
import { requestedCommand } from '../../src/cli/main.ts';
import { RECALIBRATION_HEARTBEAT_MS, RECALIBRATION_LEASE_MS } from '../../src/jobs/index.ts';
import { formatFigure, formatProgress, formatSummaryFigures, formatTable, formatTime, summaryFigures } from '../../src/cli/format.ts';
import { failingGatesOf, promotionGatesOf } from '../../src/cli/gates.ts';
import { openWithSystemViewer, systemOpener } from '../../src/cli/openFile.ts';
import { writeFileAtomic } from '../../src/cli/writeFileAtomic.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { cli, jsonOf } from './helpers.ts';

describe('format', () => {
  it('aligns tables, formats times, progress and figures', () => {
    expect(formatTable(['ID', 'STATUS', 'NOTE'], [['r1', 'candidate', ''], ['run-22', 'active', 'x y']])).toEqual([
      'ID      STATUS     NOTE',
      'r1      candidate',
      'run-22  active     x y',
    ]);
    expect(formatTime(Date.UTC(2026, 1, 5))).toBe('2026-02-05T00:00:00Z');
    expect(formatTime(Date.UTC(2026, 1, 5, 0, 0, 0, 250))).toBe('2026-02-05T00:00:00.250Z');
    expect(formatTime(null)).toBe('-');
    expect([0, 0.25, 0.999, 1, 0.29].map(formatProgress)).toEqual(['0%', '25%', '99%', '100%', '29%']);
    expect([3000, 12345.6, 1.23456, -0.000123456, 9999.5].map(formatFigure)).toEqual(['3,000', '12,346', '1.235', '-0.0001235', '10000']);
  });
  it('takes finite numbers at the top level and one level down, in key order, at most the limit', () => {
    const summary = { gates: [{ name: 'a', passed: true }], accounts: 3000, shadow: { rising: 12, note: 'x', deep: { n: 1 } }, bad: Number.NaN, last: 1 };
    expect(summaryFigures(summary, 10)).toEqual([['accounts', 3000], ['shadow.rising', 12], ['last', 1]]);
    expect(formatSummaryFigures(summary, 2)).toBe('accounts=3,000 shadow.rising=12');
    for (const none of [null, undefined, 'x', [1, 2], {}]) expect(summaryFigures(none)).toEqual([]);
  });
});

describe('promotion gates of a run', () => {
  const run = (summary: unknown, status: RunRecord['status'] = 'candidate', failures = 0): RunRecord =>
    ({ summary, status, objectFailures: Array.from({ length: failures }, () => ({ stage: 's', object: 'o', reason: 'r' })) }) as unknown as RunRecord;
  it('uses summary.gates; a missing, empty or malformed list fails gates-recorded', () => {
    const gates = [{ name: 'backtest-zone', passed: false, detail: 'red', extra: 1 }, { name: 'finite-margins', passed: true }];
    expect(promotionGatesOf(run({ gates }))).toEqual([{ name: 'backtest-zone', passed: false, detail: 'red' }, { name: 'finite-margins', passed: true }]);
    expect(promotionGatesOf(run(null))).toEqual([{ name: 'gates-recorded', passed: false, detail: 'the run recorded no promotion gates (summary.gates)' }]);
    expect(promotionGatesOf(run({ gates: [] }))[0]).toMatchObject({ name: 'gates-recorded', passed: false });
    expect(promotionGatesOf(run({ gates: [{ name: 'x', passed: 'yes' }, { name: 'y', passed: true }] }))).toEqual([
      { name: 'gates-recorded', passed: false, detail: 'summary.gates[0] is not { name: string, passed: boolean }' },
      { name: 'y', passed: true },
    ]);
  });
  it('a partial run also fails `complete`', () => {
    const r = run({ gates: [{ name: 'a', passed: true }] }, 'partial', 2);
    expect(failingGatesOf(r, promotionGatesOf(r))).toEqual([{ name: 'complete', passed: false, detail: '2 per-object failure(s)' }]);
    const c = run({ gates: [{ name: 'a', passed: true }] });
    expect(failingGatesOf(c, promotionGatesOf(c))).toEqual([]);
  });
});

describe('system opener', () => {
  it('picks open / cmd start / xdg-open by platform', () => {
    expect(systemOpener('darwin', '/r.html')).toEqual({ command: 'open', args: ['/r.html'] });
    expect(systemOpener('win32', 'C:\\r.html')).toEqual({ command: 'cmd', args: ['/c', 'start', '""', 'C:\\r.html'] });
    expect(systemOpener('linux', '/r.html')).toEqual({ command: 'xdg-open', args: ['/r.html'] });
  });
  it('a missing opener is a result with the reason; a present one is launched detached', async () => {
    await expect(openWithSystemViewer('/r.html', { command: 'aftershock-no-such-opener-xyz' })).resolves.toEqual({
      opened: false, command: 'aftershock-no-such-opener-xyz', reason: 'ENOENT: aftershock-no-such-opener-xyz not found',
    });
    await expect(openWithSystemViewer('/r.html', { command: process.execPath, args: ['-e', ''] })).resolves.toEqual({ opened: true, command: process.execPath });
  });
});

describe('files, actor and database target', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aftershock-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes atomically into a created directory, replacing the old file, leaving no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'r.html');
    expect(await writeFileAtomic(path, 'one')).toBe(path);
    await writeFileAtomic(path, 'two ∆');
    expect(readFileSync(path, 'utf8')).toBe('two ∆');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['r.html']);
  });

  it('acts as cli:<user>@<host>', () => {
    expect(cliActor()).toMatch(new RegExp(`^cli:[^@]+@${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('without --db uses DATABASE_URL, else ./.aftershock/aftershock.db under the working directory, created on first use', async () => {
    const fromEnv = join(dir, 'env.db');
    const e = jsonOf<{ database: { kind: string; source: string } }>(await cli(['runs', 'list', '--json'], { cwd: dir, env: { DATABASE_URL: fromEnv } }));
    expect(e.database).toEqual({ kind: 'sqlite', source: 'env' });
    expect(existsSync(fromEnv)).toBe(true);
    const d = await cli(['runs', 'list'], { cwd: dir, env: {} });
    expect(d.code).toBe(0);
    expect(d.out.at(-1)).toBe(`0 run(s); active: none; database ${join(dir, '.aftershock', 'aftershock.db')} (sqlite, default)`);
    expect(existsSync(join(dir, '.aftershock', 'aftershock.db'))).toBe(true);
  });

  it('a bad database setting exits 2 naming it; an unreachable database exits 1', async () => {
    const bad = await cli(['runs', 'list', '--db', 'mysql://x/y'], { cwd: dir, env: {} });
    expect(bad).toEqual({ code: 2, out: [], err: ['error: --db: unsupported URL scheme: use postgres://... or a SQLite file path (got "mysql://x/y")'] });
    const badEnv = await cli(['keys', 'list', '--json'], { cwd: dir, env: { DATABASE_URL: 'postgres://[bad' } });
    expect(badEnv.code).toBe(2);
    expect(jsonOf(badEnv)).toMatchObject({ error: { type: 'DatabaseConfigError', field: 'DATABASE_URL' } });
    // a directory where the SQLite file should be: the store cannot open
    const blocked = await cli(['runs', 'list', '--db', dir], { env: {} });
    expect(blocked.code).toBe(1);
    expect(blocked.err[0]).toMatch(/^error: .*cannot open/);
  });
});

describe('exit code 3 (finished partial) is per call', () => {
  it('a partial stress batch returns 3 and leaves process.exitCode as it was for the next call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftershock-cli-'));
    try {
      const file = join(dir, 'portfolios.json');
      writeFileSync(file, JSON.stringify({
        asOf: '2026-02-04T21:33:08.476Z',
        accounts: [
          { id: 'ok', desk: 'd', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] },
          { id: 'bad', desk: 'd', positions: [{ instrument: 'BTC-1JAN20-1-C', quantity: 1 }] },
        ],
      }));
      const before = process.exitCode;
      const r = await cli(['stress', '--portfolios', file]);
      expect(r.code).toBe(3);
      expect(r.err.join('\n')).toMatch(/failed: bad/);
      expect(process.exitCode).toBe(before);
      expect((await cli(['runs', 'list', '--db', join(dir, 's.db')])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('command selection and lease', () => {
  it('finds the requested command past global options and the value of --db', () => {
    expect(requestedCommand(['--json', '--db', 'serve', 'runs', 'list'])).toBe('runs');
    expect(requestedCommand(['--db=x.db', 'serve', '--port', '1'])).toBe('serve');
    expect(requestedCommand(['--json'])).toBeUndefined();
    expect(requestedCommand([])).toBeUndefined();
  });
  it('the top-level help lists every command; a lifecycle command does not need the heavy ones', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['price', 'iv', 'stress', 'recalibrate', 'serve', 'runs', 'promote', 'rollback', 'report', 'keys']) {
      expect(help.out.join('\n')).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
  it('the CLI lease is the recalibration job lease, well above its heartbeat', () => {
    expect(RUN_LEASE_MS).toBe(RECALIBRATION_LEASE_MS);
    expect(RUN_LEASE_MS).toBeGreaterThanOrEqual(6 * RECALIBRATION_HEARTBEAT_MS);
  });
});
