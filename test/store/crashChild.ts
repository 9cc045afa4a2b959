/**
 * Child process for the crash tests: opens the store at argv[2] and dies by SIGKILL at the point named by argv[3],
 * after printing "reached <mode>" so the parent knows the writes before the kill were sent.
 * - mid-promotion: inside one transaction, supersedes the active run, activates argv[4], moves the pointer and
 *   appends an audit entry, then is killed before COMMIT.
 * - mid-job: creates run argv[4], reports progress (heartbeat), then is killed while the run is `running`.
 */
import { sql } from 'kysely';
import { createRun, openStore, updateRunProgress, withTransaction } from '../../src/store/index.ts';

const [target, mode, runId] = process.argv.slice(2) as [string, string, string];
const store = await openStore(target);
const die = (): never => {
  process.stdout.write(`reached ${mode}\n`, () => process.kill(process.pid, 'SIGKILL'));
  // never returns: wait for the signal
  return new Promise<never>(() => undefined) as never;
};

if (mode === 'mid-promotion') {
  await withTransaction(store, async (tx) => {
    await tx.updateTable('runs').set({ status: 'superseded' }).where('status', '=', 'active').execute();
    await tx.updateTable('runs').set({ status: 'active', promoted_at: Date.now() }).where('id', '=', runId).execute();
    await tx.updateTable('active_calibration').set({ run_id: runId, generation: sql`generation + 1` }).where('id', '=', 1).execute();
    await tx.insertInto('audit_log').values({ at: Date.now(), actor: 'crash-child', action: 'promote', target: runId, reason: null, details: null }).execute();
    await die();
  });
} else if (mode === 'mid-job') {
  await createRun(store, { id: runId, inputHashes: {}, modelVersions: {}, codeVersion: 'crash-child', seed: 1, owner: `child:${process.pid}` });
  await updateRunProgress(store, runId, { stage: 'revaluation', progress: 0.4 });
  await die();
} else {
  throw new Error(`unknown mode ${mode}`);
}
