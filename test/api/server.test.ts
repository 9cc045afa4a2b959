/**
 * The real server over TCP: startServer on 127.0.0.1 (any free port) answers over HTTP and closes fastify and then
 * the store; `aftershock serve` (registerServe on a program with the global --db and --json options) serves the
 * store named by --db until stopped, with the jobs layer's run launcher. Also the documents every client relies on: OpenAPI at /docs/json (every route,
 * the bearer scheme), Swagger UI at /docs, /health, and the Prometheus exposition at /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { startServer } from '../../src/api/index.ts';
import { registerServe } from '../../src/cli/serve.ts';
import { openStore } from '../../src/store/index.ts';
import { bearer, createApiFixture, type ApiFixture } from './support/fixture.ts';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

describe('startServer', () => {
  it('serves over HTTP on 127.0.0.1 and closes fastify, then the store', async () => {
    const store = await openStore(f.dbPath);
    const server = await startServer({ store, port: 0, handleSignals: false, pollIntervalMs: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      const margin = await fetch(`${server.url}/v1/accounts/ACC-R1/margin`, { headers: bearer(f.keys.retail) });
      expect(await margin.json()).toMatchObject({ accountId: 'ACC-R1', runId: 'run-A' });
      const refused = await fetch(`${server.url}/v1/accounts/ACC-R1/margin`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await server.close();
    }
    await server.closed;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await expect(store.db.selectFrom('runs').select('id').execute()).rejects.toThrow(); // the store is closed
  });
});

describe('aftershock serve', () => {
  it('serves the --db store until stopped and prints where', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const program = new Command('aftershock').option('--json').option('--db <target>').exitOverride();
    const stop = new AbortController();
    registerServe(program, io, { signal: stop.signal });
    const done = program.parseAsync(['--db', f.dbPath, '--json', 'serve', '--port', '0', '--poll-ms', '0'], { from: 'user' });
    while (out.length === 0) await new Promise((r) => setTimeout(r, 10));
    const info = JSON.parse(out[0]!) as { url: string; port: number; store: string };
    expect(info.store).toBe(f.dbPath);
    const r = await fetch(`${info.url}/v1/accounts/ACC-M1/margin`, { headers: bearer(f.keys.mm) });
    expect(await r.json()).toMatchObject({ accountId: 'ACC-M1', runId: 'run-A' });
    // POST /v1/runs goes to the jobs layer's process launcher, which resolves names under fixtures/ (no child for an unknown one)
    const run = await fetch(`${info.url}/v1/runs`, {
      method: 'POST', headers: { ...bearer(f.keys.analyst), 'content-type': 'application/json' }, body: JSON.stringify({ incident: 'no-such-incident' }),
    });
    expect(run.status).toBe(422);
    expect(await run.json()).toMatchObject({ errors: [{ in: 'body', field: 'incident', reason: 'no incident named no-such-incident' }] });
    stop.abort();
    await done;
    expect(err.length).toBeGreaterThan(0); // the request log went to the error stream
    expect(err.join('\n')).not.toContain(f.keys.mm);
  });

  it('rejects a bad port as a usage error', async () => {
    const program = new Command('aftershock').option('--db <target>').exitOverride().configureOutput({ writeErr: () => undefined });
    registerServe(program, { out: () => undefined, err: () => undefined });
    await expect(program.parseAsync(['serve', '--port', '70000'], { from: 'user' })).rejects.toThrow(/port must be an integer/);
  });
});

describe('documents', () => {
  it('OpenAPI lists every route with the bearer scheme; Swagger UI is served; /metrics counts per route template', async () => {
    const app = await f.app();
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      openapi: string; paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>; components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/health', '/metrics', '/v1/accounts/{id}/margin', '/v1/correlation', '/v1/margin/what-if', '/v1/rollback', '/v1/runs',
      '/v1/runs/{id}', '/v1/runs/{id}/promote', '/v1/runs/{id}/report', '/v1/scenarios', '/v1/schedules', '/v1/schedules/{id}',
      '/v1/stress-batches', '/v1/stress-batches/{id}', '/v1/stress-batches/{id}/report', '/v1/stress-tests', '/v1/surfaces/{underlying}',
    ]);
    expect(Object.keys(doc.paths['/v1/schedules']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/stress-batches']!).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/v1/margin/what-if']!['post']!.requestBody).toBeDefined();
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/health']!['get']!.security).toEqual([]);
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toMatch(/swagger/i);

    for (const id of ['ACC-R1', 'ACC-R2', 'ACC-R1']) await app.inject({ method: 'GET', url: `/v1/accounts/${id}/margin`, headers: bearer(f.keys.retail) });
    await app.inject({ method: 'GET', url: '/v1/accounts/ACC-R1/margin' });
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(f.keys.analyst) });
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = metrics.body;
    expect(text).toMatch(/^aftershock_http_requests_total\{method="GET",route="\/v1\/accounts\/:id\/margin",status="200"\} 3$/m);
    expect(text).toMatch(/^aftershock_http_requests_total\{method="GET",route="\/v1\/accounts\/:id\/margin",status="401"\} 1$/m);
    expect(text).toMatch(/^aftershock_http_request_duration_seconds_count\{method="GET",route="\/v1\/accounts\/:id\/margin"\} 4$/m);
    expect(text).toMatch(/^aftershock_http_request_duration_seconds_bucket\{method="GET",route="\/v1\/accounts\/:id\/margin",le="\+Inf"\} 4$/m);
    expect(text).toMatch(/^aftershock_calibration_generation 1$/m);
    expect(text).toMatch(/^aftershock_calibration_active_info\{run_id="run-A"\} 1$/m);
    expect(text).toMatch(/^aftershock_auth_failures_total\{reason="missing"\} 1$/m);
    expect(text).not.toMatch(/ACC-R2/); // ids never become label values
  });
});
