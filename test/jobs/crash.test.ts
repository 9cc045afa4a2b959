/**
 * A recalibration killed with SIGKILL at every stage boundary (and inside the store stage) leaves the active
 * calibration and every stored run exactly as they were; the killed run stays `running` until its lease expires and
 * is then marked `interrupted`, and can never be promoted.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECALIBRATION_STAGES, runRecalibrationJob } from '../../src/jobs/index.ts';
import {
  getActivePointer, getRun, listAccountMargins, listRuns, markInterruptedRuns, promoteRun, RunLifecycleError, type Store,
} from '../../src/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { INCIDENT, ROOT, smallPortfolio } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./crashChild.ts', import.meta.url));
const portfolio = smallPortfolio(40);

async function state(store: Store, activeId: string): Promise<unknown> {
  return {
    pointer: await getActivePointer(store),
    runs: (await listRuns(store)).filter((r) => r.status !== 'running' && r.status !== 'interrupted').map((r) => [r.id, r.status, r.promotedAt]),
    margins: (await listAccountMargins(store, activeId)).map((m) => [m.accountId, m.initialMargin, m.collateralValue]),
  };
}

describe('SIGKILL in every stage of a recalibration (SQLite)', () => {
  let db: TestDatabase;
  let store: Store;
  let activeId: string;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    store = await db.open();
    const first = await runRecalibrationJob({ store, codeVersion: 'aftershock@crash-test', request: { root: ROOT, incident: INCIDENT, portfolios: portfolio } });
    await promoteRun(store, first.run.id, { actor: 'test', gates: first.gates });
    activeId = first.run.id;
  }, 120_000);
  afterAll(async () => db.cleanup());

  it.each([...RECALIBRATION_STAGES, 'store:report', 'finish'])('killed at %s', async (stage) => {
    const before = await state(store, activeId);
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, db.target, stage, portfolio], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stdout).toContain(`reached ${stage}`);
    expect(child.signal).toBe('SIGKILL');
    const killedId = /reached \S+ (\S+)/.exec(child.stdout)?.[1] as string;
    expect((await getRun(store, killedId)).status).toBe('running');
    expect(await state(store, activeId)).toEqual(before);
    const interrupted = await markInterruptedRuns(store, { leaseMs: 0 });
    expect(interrupted).toContain(killedId);
    expect((await getRun(store, killedId)).status).toBe('interrupted');
    await expect(promoteRun(store, killedId, { actor: 'test', reason: 'try anyway', gates: [] })).rejects.toThrow(RunLifecycleError);
    expect(await state(store, activeId)).toEqual(before);
  }, 150_000);
});
