/**
 * A full disk and unwritable places for `aftershock report` (real child processes of the CLI): /dev/full (ENOSPC on
 * write), a write cut off part-way by a file size limit (EFBIG: the realistic full disk, on a temporary file in a
 * real directory), a directory that cannot be created (a path through a regular file: ENOTDIR) and one that is not
 * writable (EACCES, as an unprivileged user when the tests run as root). Each ends with exit 1 and one line naming
 * the path and the reason, leaves no file (and no temporary file) at the target and an existing report there
 * untouched, and changes nothing stored. The same command without the fault writes the stored bytes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRun, finishRun, openStore, promoteRun, putRunReport, type Store,
} from '../../src/store/index.ts';
import { BIN, startCli, tempDir } from './support/faultsRun.ts';
import { storedState } from './support/faultsState.ts';

const RUN = 'faults-report-run';
/** A 4 MiB report: past the 1 MiB file size limit of the EFBIG case. */
const HTML = `<!doctype html><title>report</title><pre>${'margin '.repeat(4 * 1024 * 1024 / 7)}</pre>\n`;
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
/**
 * Why the EACCES case cannot run here, or null. As root it runs the CLI as uid 65534, which must be able to read the
 * checkout: a clone inside a `mktemp -d` directory (mode 0700) is not searchable by other users, and the child would
 * fail to start instead of failing to write.
 */
const eaccesUnavailable: string | null = (() => {
  if (!('uid' in unprivileged)) return null;
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(BIN)}, require('fs').constants.R_OK)`], { ...unprivileged, stdio: 'ignore' });
  return probe.status === 0 ? null : `running as root, and uid 65534 cannot read ${BIN} (a parent directory of the checkout is not searchable by other users), so no unprivileged writer can be started`;
})();
if (eaccesUnavailable !== null) console.info(`[faults] skipping the read-only directory case: ${eaccesUnavailable}`);

describe('`aftershock report` onto a full disk or an unwritable place', () => {
  const dir = tempDir('report');
  const file = join(dir.path, 'store.db');
  let store: Store;
  let before: Record<string, unknown>;

  const report = async (out: string, options: Parameters<typeof startCli>[1] = {}) => {
    const exit = await startCli(['--db', file, 'report', RUN, '--out', out], options).exited;
    const errorLine = exit.stderr.split('\n').filter((l) => l.startsWith('error: '));
    return { ...exit, errorLine: errorLine.join('\n') };
  };

  beforeAll(async () => {
    // reachable by the unprivileged user: the directory, the database and its WAL files
    chmodSync(dir.path, 0o777);
    store = await openStore(file);
    await createRun(store, { id: RUN, inputHashes: {}, modelVersions: {}, codeVersion: 'aftershock@faults-test', seed: 1 });
    await putRunReport(store, RUN, { json: '{"report":1}', html: HTML });
    await finishRun(store, RUN, { status: 'candidate', summary: {} });
    await promoteRun(store, RUN, { actor: 'test', gates: [] });
    for (const f of readdirSync(dir.path)) chmodSync(join(dir.path, f), 0o666);
    before = await storedState(store);
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('/dev/full: exit 1, "no space left on device", /dev/full still the device, nothing stored changed', async () => {
    const r = await report('/dev/full');
    console.log(`[faults] report --out /dev/full: exit ${r.code}: ${r.errorLine}`);
    expect(r.code).toBe(1);
    expect(r.errorLine).toBe('error: cannot write /dev/full: no space left on device (ENOSPC)');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((n) => n.startsWith('full.'))).toEqual([]);
    expect(await storedState(store)).toEqual(before);
  }, 60_000);

  it('a write cut off part-way (file size limit, EFBIG): exit 1, no temporary file left, the old report at the target intact', async () => {
    const out = join(dir.path, 'limited');
    mkdirSync(out);
    const target = join(out, `${RUN}.html`);
    writeFileSync(target, 'the report written yesterday');
    const r = await report(out, { fileSizeLimitKb: 1024 });
    console.log(`[faults] report under a 1 MiB file size limit: exit ${r.code}: ${r.errorLine}`);
    expect(r.code).toBe(1);
    expect(r.errorLine).toBe(`error: cannot write ${target}: file too large (file size limit reached) (EFBIG)`);
    expect(readdirSync(out)).toEqual([`${RUN}.html`]);
    expect(readFileSync(target, 'utf8')).toBe('the report written yesterday');
    expect(await storedState(store)).toEqual(before);
  }, 60_000);

  it('a directory that cannot be created (a path through a regular file): exit 1 naming it, ENOTDIR', async () => {
    const plain = join(dir.path, 'plain-file');
    writeFileSync(plain, 'not a directory');
    const out = join(plain, 'reports');
    const r = await report(out);
    expect(r.code).toBe(1);
    expect(r.errorLine).toBe(`error: cannot create the directory ${out}: a component of the path is not a directory (ENOTDIR)`);
    expect(readFileSync(plain, 'utf8')).toBe('not a directory');
    expect(await storedState(store)).toEqual(before);
  }, 60_000);

  it.skipIf(eaccesUnavailable !== null)('a directory that is not writable, existing or to be created in it: exit 1, EACCES, nothing written', async () => {
    const readOnly = join(dir.path, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    const into = await report(readOnly, unprivileged);
    console.log(`[faults] report into a read-only directory${'uid' in unprivileged ? ' (as uid 65534)' : ''}: exit ${into.code}: ${into.errorLine}`);
    expect(into.code, into.stderr.slice(-500)).toBe(1);
    expect(into.errorLine).toBe(`error: cannot write ${join(readOnly, `${RUN}.html`)}: permission denied (EACCES)`);
    const below = await report(join(readOnly, 'new'), unprivileged);
    expect(below.code).toBe(1);
    expect(below.errorLine).toBe(`error: cannot create the directory ${join(readOnly, 'new')}: permission denied (EACCES)`);
    expect(readdirSync(readOnly)).toEqual([]);
    expect(await storedState(store)).toEqual(before);
  }, 60_000);

  it('without a fault the same command writes the stored bytes', async () => {
    const out = join(dir.path, 'fine');
    const r = await report(out, { fileSizeLimitKb: 1024 * 1024 });
    expect(r.code, r.stderr.slice(-500)).toBe(0);
    const written = readFileSync(join(out, `${RUN}.html`));
    expect(createHash('sha256').update(written).digest('hex')).toBe(createHash('sha256').update(HTML).digest('hex'));
    expect(existsSync(join(out, `${RUN}.html`))).toBe(true);
    expect(readdirSync(out)).toEqual([`${RUN}.html`]);
  }, 60_000);
});
