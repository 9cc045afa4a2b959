/**
 * Two promotions at once, and a promotion racing a rollback, on SQLite and on PostgreSQL: two processes running the
 * `aftershock` command line (src/cli/main.ts, kept loaded so both are told to go at the same instant) on candidates
 * made by the store API, several rounds each, while a third connection reads the active pointer in a loop. Proved:
 * - at every read, the pointer names exactly one run, that run is the only `active` one and it is a finished run;
 * - of two promotions of candidates compared against the same active run, exactly one wins and the other is
 *   refused (exit 2, `conflict`): no lost update;
 * - replaying the audit log in order is a valid serial history: each promotion's `previousActiveRunId` is what was
 *   active just before it, each rollback leaves the run that was active and re-activates the run that one
 *   superseded, generations count up by one, and the replay ends at the stored pointer with every run's status.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, finishRun, getActivePointer, listAudit, listRuns, promoteRun, type Store } from '../../src/store/index.ts';
import { BACKENDS, createTestDatabase, skipBackend, type TestDatabase } from '../support/db.ts';
import { startPromoter, type CliResult, type Promoter } from './support/faultsRun.ts';

const ROUNDS = 15;

/** A finished candidate compared against the run active now (its baseline). */
async function candidate(store: Store, id: string): Promise<string> {
  await createRun(store, { id, inputHashes: { portfolios: id }, modelVersions: {}, codeVersion: 'aftershock@faults-test', seed: 1 });
  await finishRun(store, id, { status: 'candidate', summary: { gates: [{ name: 'margins-finite', passed: true, detail: 'test' }] } });
  return id;
}

interface Sample {
  readonly pointer: string | null;
  readonly actives: number;
  readonly activeId: string | null;
  readonly finished: number;
}

/** Reads the invariant in one statement (one snapshot) until `stop` is set; returns the reads. */
async function watch(store: Store, stop: { done: boolean }): Promise<Sample[]> {
  const samples: Sample[] = [];
  while (!stop.done) {
    const r = await sql<{ pointer: string | null; actives: number | string; active_id: string | null; finished: number | string }>`
      select (select run_id from active_calibration where id = 1) as pointer,
             (select count(*) from runs where status = 'active') as actives,
             (select min(id) from runs where status = 'active') as active_id,
             (select count(*) from runs r join active_calibration a on a.run_id = r.id where r.finished_at is not null) as finished`.execute(store.db);
    const row = r.rows[0]!;
    samples.push({ pointer: row.pointer, actives: Number(row.actives), activeId: row.active_id, finished: Number(row.finished) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return samples;
}

/** Replays the audit log; returns the active run at the end, or throws naming the first inconsistent entry. */
async function replayAudit(store: Store): Promise<{ active: string | null; promotions: number; rollbacks: number }> {
  let active: string | null = null;
  let generation = 0;
  const previousOf = new Map<string, string | null>();
  const status = new Map<string, string>();
  let promotions = 0;
  let rollbacks = 0;
  for (const e of (await listAudit(store, { limit: 10_000 })).sort((a, b) => a.seq - b.seq)) {
    const d = e.details as { previousActiveRunId?: string | null; rolledBackRunId?: string; generation: number };
    if (e.action === 'promote') {
      promotions++;
      expect(d.previousActiveRunId, `audit #${e.seq}: promotion of ${e.target}`).toBe(active);
      if (active !== null) status.set(active, 'superseded');
      previousOf.set(e.target as string, active);
      active = e.target;
    } else if (e.action === 'rollback') {
      rollbacks++;
      expect(d.rolledBackRunId, `audit #${e.seq}: rollback`).toBe(active);
      expect(e.target, `audit #${e.seq}: rollback of ${String(active)}`).toBe(previousOf.get(active as string));
      status.set(active as string, 'rolled-back');
      active = e.target;
    } else continue;
    status.set(active as string, 'active');
    expect(d.generation, `audit #${e.seq}: generation`).toBe(++generation);
  }
  const pointer = await getActivePointer(store);
  expect(pointer).toMatchObject({ runId: active, generation });
  const runs = await listRuns(store, { limit: 10_000 });
  for (const [id, s] of status) expect(runs.find((r) => r.id === id)?.status, `run ${id}`).toBe(s);
  return { active, promotions, rollbacks };
}

function errorCode(r: CliResult): string | undefined {
  const doc = r.out.length > 0 ? (JSON.parse(r.out[r.out.length - 1] as string) as { error?: { code?: string } }) : {};
  return doc.error?.code;
}

describe.each(BACKENDS)('two promotions at once, and promote racing rollback, on %s', async (backend) => {
  const skip = await skipBackend(backend, 'faults: concurrent promotions');
  let db: TestDatabase;
  let store: Store;
  let alice: Promoter;
  let bob: Promoter;

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase(backend);
    store = await db.open();
    alice = startPromoter();
    bob = startPromoter();
    const first = await candidate(store, 'r0');
    await promoteRun(store, first, { actor: 'test', gates: [] });
    // both processes load the command line and open the store once before the races
    await Promise.all([alice.exec(['--db', db.target, '--json', 'runs', 'list']), bob.exec(['--db', db.target, '--json', 'runs', 'list'])]);
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await Promise.all([alice.close(), bob.close()]);
    await db.cleanup();
  });

  it.skipIf(skip)(`${ROUNDS} rounds: exactly one of two promotions wins, promote vs rollback serialises, the pointer always names one finished run`, async () => {
    const stop = { done: false };
    const watching = watch(store, stop);
    const outcomes: string[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const activeBefore = (await getActivePointer(store)).runId;
        const b = await candidate(store, `b${round}`);
        const c = await candidate(store, `c${round}`);
        const [pb, pc] = await Promise.all([
          alice.exec(['--db', db.target, '--json', 'promote', b]),
          bob.exec(['--db', db.target, '--json', 'promote', c]),
        ]);
        expect([pb.code, pc.code].sort(), JSON.stringify([pb, pc])).toEqual([0, 2]);
        const loser = pb.code === 0 ? pc : pb;
        expect(errorCode(loser)).toBe('conflict');
        const winner = pb.code === 0 ? b : c;
        expect((await getActivePointer(store)).runId).toBe(winner);
        const won = JSON.parse(pb.code === 0 ? (pb.out[0] as string) : (pc.out[0] as string)) as { previousActiveRunId: string | null };
        expect(won.previousActiveRunId).toBe(activeBefore);

        const d = await candidate(store, `d${round}`);
        const [pd, rb] = await Promise.all([
          alice.exec(['--db', db.target, '--json', 'promote', d]),
          bob.exec(['--db', db.target, '--json', 'rollback', '--reason', `race ${round}`]),
        ]);
        expect(rb.code, JSON.stringify(rb)).toBe(0);
        const rolled = JSON.parse(rb.out[0] as string) as { active: string; rolledBack: string };
        if (pd.code === 0) {
          // promotion first: the rollback undid it and went back to the winner
          expect(rolled).toMatchObject({ rolledBack: d, active: winner });
          outcomes.push('promote-then-rollback');
        } else {
          // rollback first: back to the run the winner superseded; the promotion, compared against the winner, refused
          expect(pd.code).toBe(2);
          expect(errorCode(pd)).toBe('conflict');
          expect(rolled).toMatchObject({ rolledBack: winner, active: activeBefore });
          outcomes.push('rollback-then-conflict');
        }
      }
    } finally {
      stop.done = true;
    }
    const samples = await watching;
    const bad = samples.filter((s) => s.actives !== 1 || s.activeId !== s.pointer || s.finished !== 1);
    const replay = await replayAudit(store);
    console.log(`[faults] ${backend}: ${ROUNDS} promote/promote races (one conflict each), promote/rollback outcomes ${JSON.stringify(outcomes)}; ` +
      `${samples.length} reads of the pointer, ${bad.length} bad; audit replay: ${replay.promotions} promotions, ${replay.rollbacks} rollbacks, consistent`);
    expect(samples.length).toBeGreaterThan(ROUNDS);
    expect(bad).toEqual([]);
    expect(replay.rollbacks).toBe(ROUNDS);
    expect(replay.promotions).toBe(1 + ROUNDS + outcomes.filter((o) => o === 'promote-then-rollback').length);
  }, 90_000);
});
