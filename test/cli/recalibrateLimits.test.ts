/**
 * `recalibrate --max-table-mb / --max-portfolio-mb / --max-document-mb` (issue 10: bounded inputs): a bad value is refused
 * naming the flag; a limit below an input's size refuses that file before reading it, naming the file, its size and
 * the limit; either way exit 2 and the store (runs, active pointer) unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, sqliteWithActiveRun } from './helpers.ts';

let fixture: Awaited<ReturnType<typeof sqliteWithActiveRun>>;

beforeAll(async () => {
  fixture = await sqliteWithActiveRun('aftershock-cli-limits-');
});
afterAll(() => fixture?.cleanup());

async function refused(args: readonly string[]): Promise<string> {
  const before = await fixture.state();
  const r = await cli(['recalibrate', '--db', fixture.db, '--out', join(fixture.dir, 'reports'), ...args]);
  const said = [...r.err, ...r.out].join('\n');
  expect(r.code, said).toBe(2);
  expect(said).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(await fixture.state()).toEqual(before);
  return said;
}

describe('recalibrate input size limits', () => {
  it('a value that is not a positive size in MiB is refused naming the flag', async () => {
    for (const [flag, value] of [['--max-table-mb', '0'], ['--max-portfolio-mb', '-3'], ['--max-document-mb', 'lots'], ['--max-table-mb', '1e9']] as const) {
      expect(await refused([flag, value])).toContain(flag);
    }
  });

  it('a CSV above --max-table-mb is refused before reading, naming the file, its size and the limit', async () => {
    const said = await refused(['--max-table-mb', '0.1']); // 104857 bytes; every fixture snapshot is larger
    expect(said).toMatch(/deribit_options_snapshot_\d{8}T\d{6}Z\.csv|perpetual_futures_prices\.csv|crypto_daily/);
    expect(said).toContain('104857');
  });

  it('a portfolio above --max-portfolio-mb is refused naming the portfolio file and its size', async () => {
    const size = statSync('fixtures/portfolios/fixture-accounts.json').size;
    const said = await refused(['--max-portfolio-mb', '0.5']);
    expect(said).toContain('fixture-accounts.json');
    expect(said).toContain(String(size));
  });

  it('an incident above --max-document-mb is refused naming the incident file', async () => {
    const said = await refused(['--max-document-mb', '0.0001']);
    expect(said).toContain('2026-02-05-drawdown.json');
  });
});
