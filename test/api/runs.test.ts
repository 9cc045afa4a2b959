/**
 * The run and lifecycle routes: starting runs through an injected launcher (a fake that creates the run with the
 * store's createRun), the names-only rule, run status and reports by format/Accept/ETag, promotion (gates from the
 * run summary, reasons, conflicts) and rollback, each followed by reads of the new calibration; schedules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RecalibrationRequest, RunLauncher } from '../../src/api/index.ts';
import { createRun, getActivePointer, listAudit, listSchedules, updateRunProgress } from '../../src/store/index.ts';
import { bearer, createApiFixture, type ApiFixture } from './support/fixture.ts';
import { seedRun } from './support/seed.ts';

let f: ApiFixture;
let app: FastifyInstance;
const started: { request: RecalibrationRequest; actor: string; runId: string }[] = [];

beforeAll(async () => {
  f = await createApiFixture();
  const launcher: RunLauncher = {
    async start(request, actor) {
      if (request.incident === 'unknown-incident') throw Object.assign(new Error('/srv/inputs/unknown-incident.json: ENOENT'), { field: 'incident', publicMessage: 'no such incident' });
      const run = await createRun(f.store, { kind: 'recalibration', inputHashes: {}, modelVersions: {}, codeVersion: 'test', seed: 1, options: { request, actor } });
      started.push({ request, actor, runId: run.id });
      return { runId: run.id };
    },
  };
  app = await f.app({ launcher });
});
afterAll(async () => {
  await f?.cleanup();
});

function call(method: 'GET' | 'POST' | 'DELETE', url: string, key: string, payload?: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method, url, headers: { ...bearer(key), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('POST /v1/runs', () => {
  it('starts a run through the launcher and answers 202 with its id and location', async () => {
    const r = await call('POST', '/v1/runs', f.keys.analyst, { incident: '2026-02-05-drawdown', portfolios: 'fixture-accounts.json' });
    expect(r.statusCode).toBe(202);
    const body = r.json() as { runId: string; status: string; location: string };
    expect(body.status).toBe('running');
    expect(r.headers['location']).toBe(`/v1/runs/${body.runId}`);
    expect(started.at(-1)).toMatchObject({ runId: body.runId, request: { incident: '2026-02-05-drawdown', portfolios: 'fixture-accounts.json' }, actor: expect.stringMatching(/^key:[0-9a-f]{16}$/) });
    await updateRunProgress(f.store, body.runId, { stage: 'surfaces', progress: 0.25 });
    const status = (await call('GET', body.location, f.keys.analyst)).json() as Record<string, unknown>;
    expect(status).toMatchObject({ id: body.runId, status: 'running', stage: 'surfaces', progress: 0.25, active: false });
  });

  it('refuses paths and traversal with 422 naming the field, and never reaches the launcher', async () => {
    const before = started.length;
    for (const [field, value] of [['incident', '../../etc/passwd'], ['market', 'data/market'], ['models', '..'], ['portfolios', 'C:\\x'], ['incident', '.env']] as const) {
      const r = await call('POST', '/v1/runs', f.keys.analyst, { incident: 'x', [field]: value });
      expect(r.statusCode, value).toBe(422);
      expect(r.json()).toMatchObject({ errors: [{ in: 'body', field }] });
      if (value.length > 2) expect(r.body).not.toContain(value); // the offending value is not echoed
    }
    expect(started.length).toBe(before);
  });

  it('turns a launcher field error into 422 without its internal message', async () => {
    const r = await call('POST', '/v1/runs', f.keys.analyst, { incident: 'unknown-incident' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ detail: 'body.incident: no such incident' });
    expect(r.body).not.toMatch(/srv|ENOENT/);
  });

  it('answers 503 without a launcher', async () => {
    const bare = await f.app();
    const r = await bare.inject({ method: 'POST', url: '/v1/runs', headers: bearer(f.keys.admin), payload: { incident: 'x' } });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('runs and reports', () => {
  it('lists runs newest first with filters', async () => {
    const all = (await call('GET', '/v1/runs', f.keys.analyst)).json() as { runs: { id: string; status: string; active: boolean }[] };
    expect(all.runs.map((r) => r.id)).toContain('run-A');
    expect(all.runs.find((r) => r.id === 'run-A')).toMatchObject({ status: 'active', active: true });
    const candidates = (await call('GET', '/v1/runs?status=candidate&limit=5', f.keys.analyst)).json() as { runs: { id: string }[] };
    expect(candidates.runs.map((r) => r.id)).toEqual(['run-B']);
    expect((await call('GET', '/v1/runs?limit=0', f.keys.analyst)).statusCode).toBe(422);
    expect((await call('GET', '/v1/runs?status=bogus', f.keys.analyst)).statusCode).toBe(422);
    expect((await call('GET', '/v1/runs/run-Z', f.keys.analyst)).statusCode).toBe(404);
  });

  it('serves the stored report as JSON or HTML by ?format= or Accept, with an ETag', async () => {
    const json = await call('GET', '/v1/runs/run-A/report', f.keys.analyst);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json()).toEqual({ runId: 'run-A', accounts: 9, scale: 1 });
    const etag = json.headers['etag'] as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const html = await call('GET', '/v1/runs/run-A/report', f.keys.analyst, undefined, { accept: 'text/html' });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('<h1>Run run-A</h1>');
    expect((await call('GET', '/v1/runs/run-A/report?format=html', f.keys.analyst)).body).toBe(html.body);
    expect((await call('GET', '/v1/runs/run-A/report', f.keys.analyst, undefined, { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await call('GET', '/v1/runs/run-A/report', f.keys.analyst, undefined, { accept: 'image/png' })).statusCode).toBe(406);
    expect((await call('GET', '/v1/runs/run-A/report?format=pdf', f.keys.analyst)).statusCode).toBe(422);
    const none = await call('GET', `/v1/runs/${started[0]!.runId}/report`, f.keys.analyst);
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ detail: expect.stringMatching(/no report/) });
  });
});

describe('promote and rollback', () => {
  it('promotes B, serves it at once, rolls back to A, and audits both with the key as actor', async () => {
    const p = await call('POST', '/v1/runs/run-B/promote', f.keys.admin, { reason: 'post-incident recalibration' });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ activeRunId: 'run-B', previousActiveRunId: 'run-A', generation: 2, served: { runId: 'run-B', generation: 2 } });
    const m = (await call('GET', '/v1/accounts/ACC-M1/margin', f.keys.mm)).json() as Record<string, unknown>;
    expect(m).toMatchObject({ runId: 'run-B', generation: 2, initialMarginUsd: f.runB.margins.get('ACC-M1')!.initialMargin });
    const hedge = { positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }] };
    const underB = (await call('POST', '/v1/margin/what-if', f.keys.mm, hedge)).json() as { runId: string; components: { incidentAddOnUsd: number } };
    expect(underB.runId).toBe('run-B');
    expect(underB.components.incidentAddOnUsd).toBeGreaterThan(0); // B carries the incident add-on, A does not
    const again = await call('POST', '/v1/runs/run-B/promote', f.keys.admin, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ detail: expect.stringMatching(/^not-promotable/) });
    const rb = await call('POST', '/v1/rollback', f.keys.admin, { reason: 'drill' });
    expect(rb.json()).toMatchObject({ activeRunId: 'run-A', previousActiveRunId: 'run-B', generation: 3, served: { runId: 'run-A', generation: 3 } });
    expect((await call('GET', '/v1/accounts/ACC-M1/margin', f.keys.mm)).json()).toMatchObject({ runId: 'run-A', generation: 3 });
    expect(((await call('POST', '/v1/margin/what-if', f.keys.mm, hedge)).json() as { components: { incidentAddOnUsd: number } }).components.incidentAddOnUsd).toBe(0);
    const noPrevious = await call('POST', '/v1/rollback', f.keys.admin);
    expect(noPrevious.statusCode).toBe(409);
    const audit = await listAudit(f.store, { action: 'promote' });
    expect(audit.at(-1)).toMatchObject({ target: 'run-B', reason: 'post-incident recalibration', actor: expect.stringMatching(/^key:/) });
    expect((await listAudit(f.store, { action: 'rollback' })).at(-1)).toMatchObject({ target: 'run-A', reason: 'drill' });
  });

  it('passes the gates recorded by the pipeline: a failed gate needs a reason (422), a stale baseline is a conflict (409)', async () => {
    await seedRun(f.store, { id: 'run-C', seed: 3, gates: [{ name: 'backtest-zone', passed: false, detail: 'red zone' }] });
    const noReason = await call('POST', '/v1/runs/run-C/promote', f.keys.admin, {});
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ detail: expect.stringMatching(/gates-failed.*backtest-zone/) });
    const ok = await call('POST', '/v1/runs/run-C/promote', f.keys.admin, { reason: 'accepted by the risk committee' });
    expect(ok.statusCode).toBe(200);
    // run-D was compared against run-C; promoting B's successor with a stale expectation conflicts
    await seedRun(f.store, { id: 'run-D', seed: 4 });
    const stale = await call('POST', '/v1/runs/run-D/promote', f.keys.admin, { expectedActiveRunId: 'run-A' });
    expect(stale.statusCode).toBe(409);
    expect((await getActivePointer(f.store)).runId).toBe('run-C');
    expect((await call('POST', '/v1/runs/run-Z/promote', f.keys.admin, {})).statusCode).toBe(404);
  });
});

describe('schedules', () => {
  it('creates (cron checked by croner, UTC), lists and deletes schedules', async () => {
    const c = await call('POST', '/v1/schedules', f.keys.analyst, { id: 'nightly-stress', cron: '30 2 * * *', jobKind: 'stress', payload: { accounts: 'all' } });
    expect(c.statusCode).toBe(201);
    const created = c.json() as { nextRunAt: string };
    expect(created).toMatchObject({ id: 'nightly-stress', cron: '30 2 * * *', jobKind: 'stress', enabled: true, payload: { accounts: 'all' } });
    expect(created.nextRunAt).toMatch(/T02:30:00\.000Z$/);
    expect(Date.parse(created.nextRunAt) - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(Date.parse(created.nextRunAt)).toBeGreaterThan(Date.now());
    expect((await call('POST', '/v1/schedules', f.keys.analyst, { id: 'nightly-stress', cron: '0 1 * * *', jobKind: 'stress' })).statusCode).toBe(409);
    for (const cron of ['61 * * * *', '* * * *', 'every day at noon', '0 0 31 2 * * *']) {
      const bad = await call('POST', '/v1/schedules', f.keys.analyst, { cron, jobKind: 'stress' });
      expect(bad.statusCode, cron).toBe(422);
      expect(bad.json()).toMatchObject({ errors: [{ field: 'cron' }] });
    }
    const rec = await call('POST', '/v1/schedules', f.keys.analyst, { cron: '0 6 * * 1', jobKind: 'recalibrate', payload: { incident: '../x' } });
    expect(rec.statusCode).toBe(422);
    expect(rec.json()).toMatchObject({ errors: [{ field: 'payload.incident' }] });
    const list = (await call('GET', '/v1/schedules', f.keys.analyst)).json() as { schedules: { id: string }[] };
    expect(list.schedules.map((s) => s.id)).toEqual(['nightly-stress']);
    expect((await call('DELETE', '/v1/schedules/nightly-stress', f.keys.analyst)).statusCode).toBe(204);
    expect((await call('DELETE', '/v1/schedules/nightly-stress', f.keys.analyst)).statusCode).toBe(404);
    expect(await listSchedules(f.store)).toEqual([]);
  });
});
