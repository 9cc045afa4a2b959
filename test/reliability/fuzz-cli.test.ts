/**
 * Fuzzed bad input through the CLI (issue 10, part 1), in-process on a private SQLite store holding one promoted run:
 * `recalibrate` with a truncated, mis-encoded or arbitrary incident JSON, a missing market directory, a portfolio file
 * that is not JSON. Each ends with exit code 2 and a message naming the file, and leaves the stored runs and the
 * active calibration exactly as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, sqliteWithActiveRun } from '../cli/helpers.ts';

const INCIDENT = 'fixtures/incidents/2026-02-05-drawdown.json';
const SEED = 20261124;

let dir = '';
let db = '';
let fixture: Awaited<ReturnType<typeof sqliteWithActiveRun>> | undefined;
const storeState = (): Promise<unknown> => (fixture as NonNullable<typeof fixture>).state();

beforeAll(async () => {
  fixture = await sqliteWithActiveRun('aftershock-fuzz-cli-');
  dir = fixture.dir;
  db = fixture.db;
});
afterAll(() => fixture?.cleanup());

/** `recalibrate` on the test store with `args`; asserts exit 2, a message naming `file`, and an unchanged store. */
async function expectRejected(args: readonly string[], file: string): Promise<void> {
  const before = await storeState();
  const r = await cli(['recalibrate', '--db', db, '--out', join(dir, 'reports'), ...args]);
  const said = [...r.err, ...r.out].join('\n');
  expect(r.code, said).toBe(2);
  expect(said).toContain(file.split('/').slice(-2).join('/')); // the CLI prints paths relative to the cwd
  expect(said).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  expect(await storeState()).toEqual(before);
}

describe('recalibrate with bad inputs', () => {
  it('the store starts with one active run', async () => {
    const s = (await storeState()) as { runs: { id: string; status: string }[]; active: { runId: string } };
    expect(s.active.runId).toBe('run-active');
    expect(s.runs.map((r) => [r.id, r.status])).toEqual([['run-active', 'active']]);
  });

  it('a truncated, mis-encoded or arbitrary incident JSON: exit 2 naming the file, store unchanged', async () => {
    const text = readFileSync(INCIDENT, 'utf8').trimEnd();
    const bad = fc.oneof(
      fc.nat({ max: text.length - 2 }).map((n) => text.slice(0, n)),
      fc.constant(Buffer.from(text, 'utf16le').toString('utf8')),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    let i = 0;
    await fc.assert(fc.asyncProperty(bad, async (content) => {
      const file = join(dir, `incident-${i++}.json`);
      writeFileSync(file, content);
      await expectRejected(['--incident', file], file);
    }), { seed: SEED, numRuns: 25 });
  }, 60_000);

  it('a missing market directory: exit 2 naming it, store unchanged', async () => {
    const missing = join(dir, 'no-such-market');
    await expectRejected(['--market', missing], missing);
  }, 30_000);

  it('a portfolio file that is not JSON: exit 2 naming it, store unchanged', async () => {
    const file = join(dir, 'portfolios.json');
    writeFileSync(file, '{"accounts": [ {"id": "A", "desk": "x", "positions": [');
    await expectRejected(['--portfolios', file], file);
  }, 60_000);
});
