/**
 * The active calibration is swapped atomically: while promotions and rollbacks run through the API, hundreds of
 * concurrent account-margin and what-if reads each answer wholly from run A or wholly from run B (run id, generation,
 * initial and maintenance margin, collateral, excess all of one run; a what-if of the account's own book equals that
 * same run's stored margin), and each reader sees generations in order. A promotion made directly in the store (as
 * the CLI does) is noticed by the poll; a refresh that fails keeps the previous snapshot and says so in /health.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { openStore, promoteRun } from '../../src/store/index.ts';
import { bearer, createApiFixture, type ApiFixture } from './support/fixture.ts';
import { seedRun, TEST_ACCOUNTS } from './support/seed.ts';

let f: ApiFixture | undefined;
afterEach(async () => {
  await f?.cleanup();
  f = undefined;
});

/** Whether `runId` can be active at `generation` in this test (A: 1 and after each rollback; B copies: after each promotion). */
function generationsOf(runId: string, generation: number): boolean {
  return runId === 'run-A' ? generation % 2 === 1 : runId.startsWith('run-B') && generation % 2 === 0;
}

describe('atomic swap under concurrent reads', () => {
  it('every response is wholly run A or wholly run B while promote/rollback cycles run', async () => {
    f = await createApiFixture();
    const fx = f;
    const app = await fx.app();
    const accounts = TEST_ACCOUNTS.map((a) => a.id);
    const readers = 24;
    const cycles = 3;
    let stop = false;
    let reads = 0;
    const seen = { A: 0, B: 0 };
    const failures: string[] = [];

    const reader = async (w: number): Promise<void> => {
      let lastGeneration = 0;
      for (let i = 0; !stop; i++) {
        const acc = TEST_ACCOUNTS[(w + i) % accounts.length]!;
        const whatIf = i % 3 === 2;
        const r = whatIf
          ? await app.inject({ method: 'POST', url: '/v1/margin/what-if', headers: bearer(fx.keys.admin), payload: { accountId: acc.id, positions: [{ instrument: 'USDC', quantity: 0 }] } })
          : await app.inject({ method: 'GET', url: `/v1/accounts/${acc.id}/margin`, headers: bearer(fx.keys.analyst) });
        reads++;
        if (r.statusCode !== 200) {
          failures.push(`${acc.id}: ${r.statusCode} ${r.body.slice(0, 200)}`);
          continue;
        }
        const b = r.json() as Record<string, any>;
        const runId = b.runId as string;
        const stored = (runId === 'run-A' ? fx.runA : fx.runB).margins.get(acc.id); // run-B2, run-B3 store B's numbers
        if (stored === undefined || !generationsOf(runId, b.generation)) failures.push(`${acc.id}: run ${runId} at generation ${b.generation}`);
        else if (whatIf) {
          // the stored book plus a zero position: exactly the stored margins of the same run
          const ok = b.initialMarginUsd === stored.initialMargin && b.maintenanceMarginUsd === stored.maintenanceMargin
            && b.account.current.initialMarginUsd === stored.initialMargin && b.account.current.collateralValueUsd === stored.collateralValue;
          if (!ok) failures.push(`${acc.id}: what-if mixes runs: ${JSON.stringify(b).slice(0, 300)}`);
        } else {
          const ok = b.initialMarginUsd === stored.initialMargin && b.maintenanceMarginUsd === stored.maintenanceMargin
            && b.collateralValueUsd === stored.collateralValue && b.excessUsd === stored.collateralValue - stored.initialMargin
            && b.preIncident.initialMarginUsd === (stored.attribution as any).preIncident.initialMarginUsd;
          if (!ok) failures.push(`${acc.id}: account margin mixes runs: ${JSON.stringify(b).slice(0, 300)}`);
        }
        if (b.generation < lastGeneration) failures.push(`reader ${w}: generation went back from ${lastGeneration} to ${b.generation}`);
        lastGeneration = b.generation;
        if (runId === 'run-A') seen.A++;
        else seen.B++;
      }
    };
    const waitForReads = async (n: number): Promise<void> => {
      const target = reads + n;
      while (reads < target) await new Promise((r) => setImmediate(r));
    };

    const running = Array.from({ length: readers }, (_, w) => reader(w));
    for (let c = 0; c < cycles; c++) {
      // a rolled-back run can never be active again: each cycle promotes a fresh candidate with B's results
      const candidate = c === 0 ? 'run-B' : (await seedRun(fx.store, { id: `run-B${c + 1}`, scale: 1.5, incident: true, seed: 20260206, collateralScale: 0.9 })).runId;
      await waitForReads(100);
      const p = await app.inject({ method: 'POST', url: `/v1/runs/${candidate}/promote`, headers: bearer(fx.keys.admin), payload: { reason: `cycle ${c}`, expectedActiveRunId: 'run-A' } });
      expect(p.statusCode, p.body).toBe(200);
      await waitForReads(100);
      const rb = await app.inject({ method: 'POST', url: '/v1/rollback', headers: bearer(fx.keys.admin), payload: { expectedActiveRunId: candidate } });
      expect(rb.statusCode, rb.body).toBe(200);
    }
    await waitForReads(100);
    stop = true;
    await Promise.all(running);
    console.info(`atomic swap: ${reads} concurrent reads by ${readers} readers, ${seen.A} from run A, ${seen.B} from B's copies`);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThanOrEqual(300);
    expect(seen.A).toBeGreaterThan(0);
    expect(seen.B).toBeGreaterThan(0);
  });
});

describe('polling', () => {
  it('notices a promotion made directly in the store by another connection', async () => {
    f = await createApiFixture();
    const fx = f;
    const app = await fx.app({ pollIntervalMs: 20 });
    const before = await app.inject({ method: 'GET', url: '/v1/accounts/ACC-V1/margin', headers: bearer(fx.keys.analyst) });
    expect(before.json()).toMatchObject({ runId: 'run-A', generation: 1 });
    const cli = await openStore(fx.dbPath); // as `aftershock promote` would, in another process
    try {
      await promoteRun(cli, 'run-B', { actor: 'cli', gates: [] });
    } finally {
      await cli.close();
    }
    await vi.waitFor(() => {
      expect(app.aftershock.holder.current.generation).toBe(2);
    }, { timeout: 10_000, interval: 10 });
    const after = await app.inject({ method: 'GET', url: '/v1/accounts/ACC-V1/margin', headers: bearer(fx.keys.analyst) });
    expect(after.json()).toMatchObject({ runId: 'run-B', generation: 2, initialMarginUsd: fx.runB.margins.get('ACC-V1')!.initialMargin });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', calibration: { active: true, generation: 2, stale: false } });
  });

  it('keeps serving the previous snapshot when a refresh fails, and reports it', async () => {
    f = await createApiFixture();
    const fx = f;
    const errors: unknown[] = [];
    const app = await fx.app({ pollIntervalMs: 20, logger: { level: 'error', stream: { write: (l) => errors.push(JSON.parse(l)) } } });
    await sql`drop table account_margins`.execute(fx.store.db); // run B's margins can no longer be loaded
    await promoteRun(fx.store, 'run-B', { actor: 'cli', gates: [] });
    await vi.waitFor(() => {
      expect(app.aftershock.holder.refreshErrors).toBeGreaterThan(0);
    }, { timeout: 10_000, interval: 10 });
    const r = await app.inject({ method: 'GET', url: '/v1/accounts/ACC-V1/margin', headers: bearer(fx.keys.analyst) });
    expect(r.json()).toMatchObject({ runId: 'run-A', generation: 1, initialMarginUsd: fx.runA.margins.get('ACC-V1')!.initialMargin });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'degraded', calibration: { generation: 1, stale: true } });
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(fx.keys.analyst) });
    expect(metrics.body).toMatch(/^aftershock_calibration_stale 1$/m);
    expect(metrics.body).toMatch(/^aftershock_calibration_observed_generation 2$/m);
    expect(errors.length).toBeGreaterThan(0);
  });
});
