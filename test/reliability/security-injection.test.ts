/**
 * Security (issue 10): injection through every parameter of every route (path parameters, query values and keys,
 * every string field of the bodies, request headers), on SQLite and on PostgreSQL (skipped, saying so, without a
 * test server): SQL metacharacters, `' OR 1=1 --`, `; DROP TABLE`, NUL bytes, CR/LF, unicode (RTL override,
 * astral, combining, overlong-looking), prototype-pollution keys. Every answer is < 500; an error is a problem
 * that leaks nothing of the server; no response header carries CR/LF or a smuggled header; Object.prototype stays
 * clean; and a dump of every table is identical before and after. A final test promotes and rolls back with the
 * payloads as audited reasons and reads them back verbatim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { listAudit } from '../../src/store/index.ts';
import type { RecalibrationRequest, RunLauncher } from '../../src/api/index.ts';
import type { BatchLauncher } from '../../src/jobs/batch/launcher.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { expectCleanHeaders, expectProblem, type AnyResponse } from './support/securityChecks.ts';
import { dumpDiff, dumpStore, type StoreDump } from './support/securityDump.ts';
import { ROUTE_CASES, urlOf, type RouteCase } from './support/securityRoutes.ts';
import { bearer, createSecurityWorld, type SecurityWorld } from './support/securityWorld.ts';

/** The payloads: each is put, alone, into one parameter at a time. */
export const PAYLOADS: readonly string[] = [
  "' OR 1=1 --", "' OR '1'='1", '" OR ""="', "1; DROP TABLE runs; --", "'; DROP TABLE api_keys; --", "run-A' --", "run-A'/*",
  "') UNION SELECT id, secret_hash FROM api_keys --", '1 AND SLEEP(5)', "'; SELECT pg_sleep(5); --", '%27%20OR%201%3D1', '\\', "'",
  '\u0000', 'run-A\u0000', 'ACC-R1\u0000x', '%00', 'a\r\nX-Injected: 1', 'a\r\n\r\n<html>', 'a\nSet-Cookie: s=1', '\u2028\u2029',
  '\u202eACC-R1', 'ACC-R1\u0301', '\u{1f600}\u{10ffff}', '\ud800', '\ufeffrun-A', 'ÀÁÂ\u00ff', '__proto__', 'constructor', 'prototype',
  '{"$gt":""}', '${7*7}', '<script>alert(1)</script>', '../../../../etc/passwd', 'x'.repeat(5000),
];

/** Roles by least power. */
function keyFor(w: SecurityWorld, c: RouteCase): string {
  return c.minRole === 'admin' ? w.keys.admin : c.minRole === 'analyst' ? w.keys.analyst : w.keys.retail;
}

/** A copy of `v` with the string at `path` replaced by `value`. */
function replaceAt(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = value;
  return copy;
}

/** Paths of every string (and id-like number) leaf of `v`. */
function stringPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringPaths(x, [...at, i]));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...at, k]));
  return [];
}

describe.each(BACKENDS)('injection on %s', (backend) => {
  let w: SecurityWorld;
  let app: FastifyInstance;
  let before: StoreDump;
  let skip = false;
  const launched: RecalibrationRequest[] = [];
  const statuses = new Map<number, number>();
  let requests = 0;

  beforeAll(async () => {
    skip = await skipBackend(backend, 'security-injection');
    if (skip) return;
    w = await createSecurityWorld(backend);
    // a launcher that records and stores nothing: a successful POST /v1/runs must leave the store as it was
    const launcher: RunLauncher = { start: async (r) => { launched.push(r); return { runId: 'run-launched' }; } };
    // the real name check of the batch launcher, then a batch that is not stored
    const batches: BatchLauncher = {
      ...w.batches,
      start: async (request) => {
        w.batches.resolvePortfolios(request.portfolios);
        return { id: 'batch-probe', scheduleId: null, runId: 'run-A', status: 'done', shardCount: 0, shardSize: 1, accountCount: 0, source: {}, createdAt: 0, finishedAt: 0, error: null };
      },
    };
    app = await w.app({ launcher, batches });
    before = await dumpStore(w.store);
  }, 120_000);
  afterAll(async () => {
    await w?.cleanup();
  });

  /** Sends and checks one request; returns the response. */
  async function probe(what: string, options: InjectOptions & { readonly url: string }, echoes: readonly string[]): Promise<AnyResponse | null> {
    let r;
    try {
      r = await app.inject(options);
    } catch (e) {
      // the client library refuses to send it (e.g. CR/LF in a header value): nothing reached the server
      if (/invalid|header/i.test((e as Error).message)) return null;
      throw e;
    }
    requests++;
    statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    // on PostgreSQL this world's batch launcher has no pg-boss: a well-formed batch request is a designed 503
    const designed503 = backend === 'postgres' && r.statusCode === 503 && options.url.startsWith('/v1/stress-batches') && r.body.includes('problem:unavailable');
    if (!designed503) expect(r.statusCode, `${what}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
    if (r.statusCode >= 400 && r.body !== '') expectProblem(r, () => true, what, echoes);
    expectCleanHeaders(r, what);
    if (r.statusCode === 201 && options.url.startsWith('/v1/schedules')) {
      // a schedule made by a probe (stored verbatim, see the body test): removed through the API
      const created = JSON.parse(r.body) as { id: string };
      const del = await app.inject({ method: 'DELETE', url: `/v1/schedules/${encodeURIComponent(created.id)}`, headers: bearer(w.keys.analyst) });
      expect(del.statusCode, `deleting schedule ${JSON.stringify(created.id)}`).toBe(204);
    }
    return r;
  }

  /** The cases as probed: a promotion of the active run (409), so no probe can change the active calibration. */
  const CASES: readonly RouteCase[] = ROUTE_CASES.map((c) =>
    c.url === '/v1/runs/:id/promote' ? { ...c, params: { id: 'run-A' }, body: { reason: 'probe', expectedActiveRunId: 'run-A' } }
      : c.method === 'DELETE' ? { ...c, params: { id: 'sched-none' } } : c,
  );

  it('path parameters and query values of every route', async (ctx) => {
    if (skip) return ctx.skip();
    for (const c of CASES) {
      const headers = c.minRole === 'public' ? {} : bearer(keyFor(w, c));
      const payload = c.body === undefined ? {} : { payload: c.body as object };
      for (const p of PAYLOADS) {
        for (const name of Object.keys(c.params ?? {})) {
          await probe(`${c.method} ${c.url} :${name}=${JSON.stringify(p).slice(0, 40)}`, { method: c.method, url: urlOf(c, { ...c.params, [name]: p }, c.query ?? null), headers, ...payload }, [p]);
        }
        for (const name of Object.keys(c.query ?? {})) {
          await probe(`${c.method} ${c.url} ?${name}=${JSON.stringify(p).slice(0, 40)}`, { method: c.method, url: urlOf(c, c.params, { ...c.query, [name]: p }), headers, ...payload }, [p]);
        }
        // the payload as an unknown query key
        await probe(`${c.method} ${c.url} ?<key>`, { method: c.method, url: urlOf(c, c.params, { ...c.query, [p]: '1' }), headers, ...payload }, [p]);
      }
    }
  }, 120_000);

  it('every string field of every body', async (ctx) => {
    if (skip) return ctx.skip();
    for (const c of CASES.filter((x) => x.body !== undefined)) {
      const headers = bearer(keyFor(w, c));
      for (const path of stringPaths(c.body)) {
        for (const p of PAYLOADS) {
          const body = replaceAt(c.body, path, p);
          const r = await probe(`${c.method} ${c.url} body.${path.join('.')}=${JSON.stringify(p).slice(0, 40)}`, { method: c.method, url: urlOf(c), headers, payload: body as object }, [p]);
          if (r !== null && r.statusCode === 201 && c.url === '/v1/schedules') {
            // the schedule carries the string verbatim (probe() has removed it again)
            const created = JSON.parse(r.body) as { id: string; payload: unknown };
            expect({ id: created.id, payload: created.payload }).toEqual({ id: (body as { id: string }).id, payload: (body as { payload: unknown }).payload });
          }
        }
      }
    }
    expect(launched.every((r) => Object.values(r).every((v) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) && !v.includes('..')))).toBe(true);
  }, 120_000);

  it('request headers: Accept, If-None-Match, Content-Type, X-Request-Id, User-Agent, Referer, Accept-Language', async (ctx) => {
    if (skip) return ctx.skip();
    // every other payload (the CR/LF ones always: the client refuses them, which is itself the check), to stay in budget
    const payloads = PAYLOADS.filter((p, i) => i % 2 === 0 || /[\r\n]/.test(p));
    for (const c of CASES) {
      const auth = c.minRole === 'public' ? {} : bearer(keyFor(w, c));
      for (const p of payloads) {
        for (const name of ['accept', 'if-none-match', 'content-type', 'x-request-id', 'user-agent', 'referer', 'accept-language']) {
          if (name === 'content-type' && c.body === undefined) continue;
          await probe(`${c.method} ${c.url} ${name}: ${JSON.stringify(p).slice(0, 40)}`, {
            method: c.method, url: urlOf(c, c.params, c.query ?? null), headers: { ...auth, [name]: p },
            ...(c.body === undefined ? {} : { payload: JSON.stringify(c.body) }),
          }, [p]);
        }
      }
    }
  }, 120_000);

  it('prototype-pollution keys in bodies and query strings: refused or ignored, Object.prototype clean', async (ctx) => {
    if (skip) return ctx.skip();
    for (const c of CASES) {
      const headers = c.minRole === 'public' ? {} : { ...bearer(keyFor(w, c)), 'content-type': 'application/json' };
      const bodies = c.body === undefined ? [] : [
        `{"__proto__": {"polluted": "yes", "role": "admin"}, ${JSON.stringify(c.body).slice(1)}`,
        `{"constructor": {"prototype": {"polluted": "yes"}}, ${JSON.stringify(c.body).slice(1)}`,
        JSON.stringify({ ...c.body, payload: JSON.parse('{"__proto__": {"polluted": "yes"}}') as unknown }).replace('"payload":{}', '"payload":{"__proto__":{"polluted":"yes"}}'),
        '{"\\u005f_proto__": {"polluted": "yes"}}',
      ];
      for (const b of bodies) {
        const r = await probe(`${c.method} ${c.url} body ${b.slice(0, 60)}`, { method: c.method, url: urlOf(c), headers, payload: b }, []);
        expect(r?.statusCode ?? 400, `${c.url} ${b.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      }
      for (const q of ['__proto__[polluted]=yes', 'constructor[prototype][polluted]=yes', '__proto__.polluted=yes', 'constructor.prototype.polluted=yes', '__proto__=x']) {
        const base = urlOf(c, c.params, c.query ?? null);
        await probe(`${c.method} ${c.url} ?${q}`, { method: c.method, url: `${base}${base.includes('?') ? '&' : '?'}${q}`, headers, ...(c.body === undefined ? {} : { payload: JSON.stringify(c.body) }) }, []);
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  }, 120_000);

  it('the store is unchanged by all of it', async (ctx) => {
    if (skip) return ctx.skip();
    console.info(`[${backend}] ${requests} injection requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(requests).toBeGreaterThan(5000);
    expect(dumpDiff(before, await dumpStore(w.store))).toEqual([]);
  }, 60_000);

  it('promotion and rollback store the payloads as reasons verbatim', async (ctx) => {
    if (skip) return ctx.skip();
    const reason = PAYLOADS.filter((p) => !p.includes('\u0000') && !p.includes('\ud800') && p.length < 1000).join(' | ');
    const promote = await app.inject({ method: 'POST', url: '/v1/runs/run-B/promote', headers: bearer(w.keys.admin), payload: { reason } });
    expect(promote.statusCode, promote.body).toBe(200);
    const rollback = await app.inject({ method: 'POST', url: '/v1/rollback', headers: bearer(w.keys.admin), payload: { reason } });
    expect(rollback.statusCode, rollback.body).toBe(200);
    const audit = await listAudit(w.store, {});
    expect(audit.filter((a) => a.reason === reason).map((a) => a.action).sort()).toEqual(['promote', 'rollback']);
    const runs = await app.inject({ method: 'GET', url: '/v1/runs', headers: bearer(w.keys.analyst) });
    expect((runs.json() as { runs: { id: string; active: boolean }[] }).runs.find((r) => r.active)?.id).toBe('run-A');
  }, 60_000);
});
