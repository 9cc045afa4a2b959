/**
 * Degenerate markets through the whole recalibration (issue 10, part 1): the bundled incident's market data copied
 * and its AFTER snapshot (once both snapshots) rewritten into one strike per expiry, bids only, asks only, zero vols,
 * 5000 % vols, no ETH quote at all, and every quote crossed; then `aftershock recalibrate` (in-process CLI) on a store whose active
 * calibration is a good run of the same accounts. Every case must end in a clear error or a flagged fallback: a run
 * `partial` with the failing surfaces listed, the gates failing where they should, every stored margin finite, and
 * the active calibration and its margins exactly as they were.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitSideMarket, unfittedSurface } from '../../src/jobs/recalibrate/stages/surfaces.ts';
import { StageFailures } from '../../src/jobs/recalibrate/failures.ts';
import { parseDeribitSnapshotCsv } from '../../src/market/index.ts';
import { findRun, getActivePointer, listAccountMargins, openStore, type AccountMarginRecord } from '../../src/store/index.ts';
import { cli, type CliResult } from '../cli/helpers.ts';
import { AFTER_SNAPSHOT, degenerate, degenerateMarket, rewriteSnapshot, ROOT, type DegenerateCase } from './support/degenerate.ts';

const ACCOUNTS = 300;
let dir = '';
let db = '';
let portfolio = '';
let activeRunId = '';
let activeMargins: AccountMarginRecord[] = [];

interface JsonRun {
  runId: string;
  status: string;
  gates: { name: string; passed: boolean; detail: string }[];
  failures: { stage: string; object: string; reason: string }[];
}

async function withStore<T>(f: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

async function recalibrate(args: readonly string[]): Promise<CliResult> {
  return cli(['recalibrate', '--db', db, '--out', join(dir, 'reports'), '--portfolios', portfolio, '--json', ...args], { cwd: ROOT });
}

function runOf(r: CliResult): JsonRun {
  expect(r.out, r.err.filter((l) => !l.startsWith('{"type"')).join('\n')).toHaveLength(1);
  return JSON.parse(r.out[0] as string) as JsonRun;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aftershock-degenerate-'));
  db = join(dir, 'a.db');
  const doc = JSON.parse(readFileSync(join(ROOT, 'fixtures/portfolios/fixture-accounts.json'), 'utf8')) as { accounts: unknown[] };
  portfolio = join(dir, 'accounts.json');
  writeFileSync(portfolio, JSON.stringify({ ...doc, accounts: doc.accounts.slice(0, ACCOUNTS) }));
  // the good run on the untouched market, promoted
  const good = runOf(await recalibrate(['--market', degenerateMarket(dir, 'none')]));
  expect(good.status).toBe('candidate');
  const promoted = await cli(['promote', good.runId, '--db', db], { cwd: ROOT });
  expect(promoted.code, promoted.err.join('\n')).toBe(0);
  activeRunId = good.runId;
  activeMargins = await withStore((s) => listAccountMargins(s, activeRunId));
  expect(activeMargins).toHaveLength(ACCOUNTS);
}, 180_000);
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Runs the case; checks what every case must satisfy; returns the run. */
async function runCase(kind: DegenerateCase, sides: 'after' | 'both' = 'after'): Promise<JsonRun> {
  const r = await recalibrate(['--market', degenerateMarket(dir, kind, sides)]);
  const run = runOf(r);
  expect(['candidate', 'partial']).toContain(run.status);
  expect(r.code).toBe(run.status === 'partial' ? 3 : 0);
  await withStore(async (s) => {
    const margins = await listAccountMargins(s, run.runId);
    expect(margins.length).toBeGreaterThan(0);
    for (const m of margins) {
      expect(Number.isFinite(m.initialMargin) && m.initialMargin >= 0, `${m.accountId} IM ${m.initialMargin}`).toBe(true);
      expect(Number.isFinite(m.maintenanceMargin) && m.maintenanceMargin >= 0, `${m.accountId} MM ${m.maintenanceMargin}`).toBe(true);
    }
    const stored = await findRun(s, run.runId);
    expect(stored?.status).toBe(run.status);
    // the active calibration and its margins are untouched
    expect((await getActivePointer(s)).runId).toBe(activeRunId);
    expect(await listAccountMargins(s, activeRunId)).toEqual(activeMargins);
  });
  const gate = (name: string) => run.gates.find((g) => g.name === name);
  expect(gate('margins-finite')?.passed).toBe(true);
  return run;
}

const failureOf = (run: JsonRun, object: string) => run.failures.find((f) => f.stage === 'surfaces' && f.object === object);

describe('degenerate after-incident markets through `aftershock recalibrate`', () => {
  for (const kind of ['one-strike-per-expiry', 'bids-only', 'asks-only', 'crossed'] as const) {
    it(`${kind}: every expiry a flagged fallback slice; the run is partial naming each surface built only from fallbacks`, async () => {
      const run = await runCase(kind);
      expect(run.status).toBe('partial');
      for (const u of ['BTC', 'ETH']) {
        expect(failureOf(run, `${u} after`)?.reason).toMatch(/^no expiry fitted to two-sided quotes: all \d+ slices are fallbacks \(\d+ from /);
      }
      // the fallback slices are flat and arbitrage-free, the surfaces exist: every account is margined
      expect(run.gates.find((g) => g.name === 'surfaces-arbitrage-free')?.passed).toBe(true);
      expect(run.failures.filter((f) => f.stage !== 'surfaces')).toEqual([]);
      const notes = await withStore(async (s) => ((await findRun(s, run.runId))?.summary as { notes: { stage: string; object: string; reason: string }[] }).notes);
      expect(notes.filter((n) => n.stage === 'surfaces' && /^(BTC|ETH) after \d{4}-\d{2}-\d{2}$/.test(n.object)).length).toBeGreaterThan(10);
    }, 60_000);
  }

  for (const kind of ['zero-vols', 'absurd-vols'] as const) {
    it(`${kind}: no usable quote, no surface: the surfaces gate fails, accounts with options fail by name, the others are margined`, async () => {
      const run = await runCase(kind);
      expect(run.status).toBe('partial');
      for (const u of ['BTC', 'ETH']) expect(failureOf(run, `${u} after`)?.reason).toMatch(/^surface fit failed/);
      expect(run.failures.some((f) => /^(BTC|ETH) after \d{4}-\d{2}-\d{2}$/.test(f.object)
        && (kind === 'zero-vols' ? /one-sided-only|too-few-quotes/ : /dropped for vols outside the bounds/).test(f.reason))).toBe(true);
      expect(run.gates.find((g) => g.name === 'surfaces-arbitrage-free')).toMatchObject({ passed: false, detail: 'BTC: no surface; ETH: no surface' });
      expect(run.failures.some((f) => f.stage === 'margin')).toBe(true);
    }, 60_000);
  }

  it('zero vols on both sides: no surface before or after, the run is partial, the accounts without options are margined', async () => {
    const run = await runCase('zero-vols', 'both');
    expect(run.status).toBe('partial');
    for (const object of ['BTC before', 'ETH before', 'BTC after', 'ETH after']) expect(failureOf(run, object)?.reason).toMatch(/^surface fit failed/);
    expect(run.gates.find((g) => g.name === 'surfaces-arbitrage-free')?.passed).toBe(false);
  }, 60_000);

  it('no ETH quote at all: the ETH surface is a failure naming the file, ETH accounts fail, BTC is fitted', async () => {
    const run = await runCase('no-eth-quotes');
    expect(run.status).toBe('partial');
    expect(failureOf(run, 'ETH after')?.reason).toContain(`no ETH option quotes with an index in`);
    expect(failureOf(run, 'ETH after')?.reason).toContain(AFTER_SNAPSHOT);
    expect(failureOf(run, 'BTC after')).toBeUndefined();
    expect(run.failures.some((f) => f.stage === 'margin')).toBe(true);
  }, 60_000);

  it('a partial run is refused by promote without a reason; the active calibration stays', async () => {
    const run = await runCase('bids-only');
    const r = await cli(['promote', run.runId, '--db', db], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/partial|gate/);
    await withStore(async (s) => expect((await getActivePointer(s)).runId).toBe(activeRunId));
  }, 60_000);

  it('more bad accounts than are kept: the first 1000 listed, the rest one failure with their count', async () => {
    const doc = JSON.parse(readFileSync(portfolio, 'utf8')) as { accounts: unknown[] };
    const bad = Array.from({ length: 1100 }, (_, i) => ({ id: `BAD-${i}`, desk: 'x', positions: [{ instrument: 'BTC-PERPETUAL', quantity: null }] }));
    const file = join(dir, 'with-bad.json');
    writeFileSync(file, JSON.stringify({ accounts: [...doc.accounts.slice(0, 20), ...bad] }));
    const r = await cli(['recalibrate', '--db', db, '--out', join(dir, 'reports'), '--portfolios', file, '--json', '--market', join(dir, 'market-none')], { cwd: ROOT });
    expect(r.code).toBe(3);
    const run = runOf(r);
    expect(run.status).toBe('partial');
    const load = run.failures.filter((f) => f.stage === 'load');
    expect(load).toHaveLength(1001);
    expect(load[0]).toMatchObject({ object: 'BAD-0' });
    expect(load[1000]).toMatchObject({ object: '100 more accounts' });
    expect(load[1000]?.reason).toMatch(/100 more bad accounts not listed \(only the first 1000 are kept\)/);
  }, 60_000);
});

describe('the surfaces stage on a bids-only chain (unit)', () => {
  it('keeps the fallback surface for pricing and records one failure per underlying', () => {
    const text = rewriteSnapshot(readFileSync(join(ROOT, 'fixtures/market/deribit_2025_2026', AFTER_SNAPSHOT), 'utf8'), degenerate('bids-only'));
    const quotes = parseDeribitSnapshotCsv(text, { file: 'after.csv' }).rows;
    const failures = new StageFailures(undefined, () => 0);
    const side = fitSideMarket({ file: 'after.csv', takenAtMs: Date.UTC(2026, 1, 6, 9, 35, 16), quotes, perpetuals: [], failures: [], omittedFailures: 0 }, 'after', ['BTC'], failures);
    expect(side.fits['BTC']?.surface).not.toBeNull();
    expect(side.market['BTC']?.vol).toBeDefined();
    expect(unfittedSurface(side.fits['BTC']!)).toMatch(/all \d+ slices are fallbacks \(\d+ from one-sided-marks\)/);
    expect(failures.list.filter((f) => f.fatal).map((f) => f.object)).toEqual(['BTC after']);
  });
});
