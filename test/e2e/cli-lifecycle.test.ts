/**
 * The real `aftershock` bin as a child process on a fresh SQLite database: `runs list --json` and `keys create`
 * exit 0 with one parsable JSON document on stdout, the key verifies against the store, and a usage error exits 2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, verifyApiKey } from '../../src/store/index.ts';

const BIN = resolve(fileURLToPath(new URL('../../bin/aftershock.js', import.meta.url)));

interface Exit {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function aftershock(args: readonly string[], cwd: string): Promise<Exit> {
  return new Promise((done) => {
    // DATABASE_URL removed so that only --db decides
    const env = { ...process.env };
    delete env['DATABASE_URL'];
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

describe('aftershock bin (child process) on a fresh database', () => {
  let dir = '';
  let db = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aftershock-e2e-cli-'));
    db = join(dir, 'fresh', 'aftershock.db');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs list --json: exit 0, one JSON document, no runs', async () => {
    const r = await aftershock(['runs', 'list', '--json', '--db', db], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({ database: { kind: 'sqlite', source: 'flag' }, activeRunId: null, runs: [] });
  });

  it('keys create: exit 0, the printed key verifies against the store; --json gives one document', async () => {
    const text = await aftershock(['keys', 'create', '--role', 'analyst', '--label', 'e2e', '--db', db], dir);
    expect(text.code).toBe(0);
    const key = text.stdout.trimEnd().split('\n').at(-1)!;
    expect(key).toMatch(/^ak_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);

    const json = await aftershock(['--json', 'keys', 'create', '--role', 'desk', '--desk', 'eu', '--db', db], dir);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { key: string; id: string; role: string; desk: string };
    expect(doc).toMatchObject({ role: 'desk', desk: 'eu' });

    const store = await openStore(db);
    try {
      expect(await verifyApiKey(store, key)).toMatchObject({ role: 'analyst', label: 'e2e' });
      expect(await verifyApiKey(store, doc.key)).toMatchObject({ id: doc.id, role: 'desk', desk: 'eu' });
    } finally {
      await store.close();
    }
  });

  it('bad input exits 2 with a JSON error document', async () => {
    const r = await aftershock(['keys', 'create', '--role', 'root', '--json', '--db', db], dir);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { type: 'UsageError' } });
    expect(r.stderr).toMatch(/Allowed choices are desk, analyst, admin/);
  });
});
