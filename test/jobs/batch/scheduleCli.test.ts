/**
 * `aftershock schedule add|list|remove|batches|report` on an embedded (SQLite) store, in-process: a stress-batch
 * schedule is stored with the absolute portfolio path; an invalid cron expression, a missing file and an unknown id
 * are exit 2 naming the field; `worker` refuses a SQLite store with exit 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.ts';
import { listSchedules, openStore } from '../../../src/store/index.ts';

async function cli(args: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'aftershock-schedule-cli-'));
const db = join(dir, 'store.db');
const portfolio = join(dir, 'accounts.json');
writeFileSync(portfolio, JSON.stringify({ accounts: [] }));

describe('schedule commands (SQLite)', () => {

  it('adds, lists and removes a stress-batch schedule; refuses bad input with exit 2', async () => {
    const add = await cli(['--db', db, '--json', 'schedule', 'add', '--id', 'eod', '--cron', '0 18 * * *', '--portfolios', portfolio, '--shard-size', '250']);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out[0]!).schedule).toMatchObject({ id: 'eod', cron: '0 18 * * *', jobKind: 'stress-batch', payload: { portfolios: portfolio, shardSize: 250 }, enabled: true });
    const list = await cli(['--db', db, 'schedule', 'list']);
    expect(list.code).toBe(0);
    expect(list.out.at(-1)).toBe('1 schedule(s)');
    expect(list.out.join('\n')).toMatch(/eod\s+0 18 \* \* \*\s+stress-batch/);

    const badCron = await cli(['--db', db, 'schedule', 'add', '--cron', '61 * * * *', '--portfolios', portfolio]);
    expect(badCron.code).toBe(2);
    expect(badCron.err.join('\n')).toMatch(/--cron: not a valid cron expression "61 \* \* \* \*"/);
    const noFile = await cli(['--db', db, 'schedule', 'add', '--cron', '0 * * * *', '--portfolios', join(dir, 'missing.json')]);
    expect(noFile.code).toBe(2);
    expect(noFile.err.join('\n')).toMatch(/--portfolios: no such file/);
    const badSize = await cli(['--db', db, 'schedule', 'add', '--cron', '0 * * * *', '--portfolios', portfolio, '--shard-size', '0']);
    expect(badSize.code).toBe(2);

    const batches = await cli(['--db', db, 'schedule', 'batches']);
    expect(batches).toMatchObject({ code: 0, out: ['0 batch(es)'] });
    expect((await cli(['--db', db, 'schedule', 'report', 'nope'])).code).toBe(2);

    expect((await cli(['--db', db, 'schedule', 'remove', 'eod'])).out).toEqual(['removed schedule eod']);
    expect((await cli(['--db', db, 'schedule', 'remove', 'eod'])).code).toBe(2);
    const store = await openStore(db);
    try {
      expect(await listSchedules(store)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('worker refuses an embedded store', async () => {
    const r = await cli(['--db', db, 'worker']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/needs a PostgreSQL store/);
  });
});
