/**
 * Two recalibrations at once on one store (two processes, one SQLite file; and on PostgreSQL when reachable), with
 * the same inputs: both finish as candidates with distinct run ids (the second gets the `-2` suffix), each with all of
 * its own payloads, identical report JSON apart from the run id, and neither touches the active calibration.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getActiveRun, getRunReport, listAccountMargins, listRuns, type Store } from '../../src/store/index.ts';
import { BACKENDS, createTestDatabase, skipBackend, type TestDatabase } from '../support/db.ts';
import { smallPortfolio } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./crashChild.ts', import.meta.url));
const portfolio = smallPortfolio(60);

function runChild(target: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, 'never', portfolio], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(BACKENDS)('two recalibrations at once on %s', async (backend) => {
  const skip = await skipBackend(backend, 'concurrent recalibrations');
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase(backend);
    store = await db.open();
  });
  afterAll(async () => {
    if (!skip) await db.cleanup();
  });

  it.skipIf(skip)('both finish complete, with distinct ids and their own payloads', async () => {
    const [a, b] = await Promise.all([runChild(db.target), runChild(db.target)]);
    expect(a.code, a.stderr.slice(-500)).toBe(0);
    expect(b.code, b.stderr.slice(-500)).toBe(0);
    expect(a.stdout + b.stdout).toContain('finished without reaching the stage');
    const runs = await listRuns(store);
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.status)).toEqual(['candidate', 'candidate']);
    const ids = runs.map((r) => r.id).sort();
    expect(ids[1]).toBe(`${ids[0]}-2`);
    const reports = [];
    for (const r of runs) {
      expect(await listAccountMargins(store, r.id)).toHaveLength(60);
      const report = await getRunReport(store, r.id);
      reports.push(report!.json.split(r.id).join('<run>'));
    }
    expect(reports[1]).toBe(reports[0]);
    expect(await getActiveRun(store)).toBeNull();
  }, 180_000);
});
