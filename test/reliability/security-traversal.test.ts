/**
 * Security (issue 10): path traversal through report routes, the docs' static files, and every input name the API
 * takes (POST /v1/runs, POST /v1/stress-batches, schedule payloads). Report ids are store keys, never paths: every
 * traversal form (../, %2e%2e%2f, double encoding, absolute and drive paths, encoded NULs) is a 4xx problem that
 * serves no file. Input names are refused with a 422 naming the field BEFORE any launcher runs: the recording run
 * launcher is never called, the real batch launcher creates no batch (a decoy `../secret.json` exists), the store
 * is unchanged, and the jobs layer's process launcher itself refuses the same names with spawn() never called.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createProcessLauncher } from '../../src/jobs/launch.ts';
import { expectProblem } from './support/securityChecks.ts';
import { dumpDiff, dumpStore, type StoreDump } from './support/securityDump.ts';
import { bearer, createSecurityWorld, type SecurityWorld } from './support/securityWorld.ts';

const spawned = vi.hoisted(() => [] as unknown[][]);
vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  return {
    ...original,
    spawn: (...args: unknown[]) => {
      spawned.push(args);
      throw new Error('spawn() must not be reached by a refused name');
    },
  };
});

let w: SecurityWorld;
let app: FastifyInstance;
let before: StoreDump;

beforeAll(async () => {
  w = await createSecurityWorld('sqlite');
  app = await w.app();
  before = await dumpStore(w.store);
}, 60_000);
afterAll(async () => {
  await w?.cleanup();
});

/** Traversal forms as they appear in a URL path segment (already encoded as an attacker would send them). */
const URL_FORMS = [
  '..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2E%2E%2F%2E%2E%2Fpackage.json', '%252e%252e%252fpackage.json',
  '..%5C..%5Cpackage.json', '%2Fetc%2Fpasswd', 'C%3A%5CWindows%5Cwin.ini', 'run-A%00', 'run-A%00.html', '%00', '..%00', '....%2F%2F....%2F%2Fetc%2Fpasswd',
  '..%3B%2F', 'file%3A%2F%2F%2Fetc%2Fpasswd', '%C0%AE%C0%AE%2F', '%E2%80%AE..', '..', '.', '~root', '%7e%2f.ssh',
];
/** The same, unencoded, in names posted in JSON bodies. */
const NAMES = [
  '../../etc/passwd', '..', '../secret', '..\\..\\secret', '/etc/passwd', 'C:\\Windows\\win.ini', 'C:secret', '\\\\server\\share',
  '.hidden', './desk-book', 'desk-book/../../secret', 'desk-book\u0000', 'desk-book\u0000../../etc/passwd', '%2e%2e%2fsecret',
  'desk-book.json/..', '....//secret', '~/secret', 'file:///etc/passwd', 'desk-book\n', ' desk-book', 'x'.repeat(129),
];
const SERVED_A_FILE = /root:.*:0:0:|"name":\s*"aftershock"|\[fonts\]|BEGIN .*PRIVATE KEY/;

describe('report and resource routes: ids are store keys, never paths', () => {
  it('every traversal form on every id-taking GET route: 4xx problem, no file served', async () => {
    const templates = ['/v1/runs/{id}/report', '/v1/runs/{id}/report?format=html', '/v1/runs/{id}', '/v1/stress-batches/{id}', '/v1/stress-batches/{id}/report', '/v1/accounts/{id}/margin', '/v1/surfaces/{id}'];
    let probes = 0;
    for (const t of templates) {
      for (const form of URL_FORMS) {
        const url = t.replace('{id}', form);
        const r = await app.inject({ method: 'GET', url, headers: bearer(w.keys.admin) });
        expectProblem(r, (s) => s >= 400 && s < 500, `GET ${url}`, [decodeURIComponentSafe(form), form]);
        expect(r.body).not.toMatch(SERVED_A_FILE);
        probes++;
      }
    }
    // dot segments written out in the path: the router does not resolve them into another route or a file
    for (const url of ['/v1/runs/../../etc/passwd/report', '/v1/runs/run-A/../../../package.json', '/v1/stress-batches/..%2f..%2f/report']) {
      const r = await app.inject({ method: 'GET', url, headers: bearer(w.keys.admin) });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, url).toBeLessThan(500);
      expect(r.body).not.toMatch(SERVED_A_FILE);
      probes++;
    }
    expect(probes).toBeGreaterThan(140);
  });

  it('the docs\' static files do not leave their directory', async () => {
    for (const path of ['../../package.json', '..%2f..%2fpackage.json', '%2e%2e/%2e%2e/package.json', '..%5c..%5cpackage.json', '%2fetc%2fpasswd', '....//....//package.json', 'static/..%2f..%2f..%2fpackage.json', 'static/%00']) {
      const r = await app.inject({ method: 'GET', url: `/docs/${path}` });
      expect(r.statusCode, path).not.toBe(200);
      expect(r.statusCode, path).toBeLessThan(500);
      expect(r.body, path).not.toMatch(SERVED_A_FILE);
    }
  });
});

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

describe('input names: refused before any launcher or process', () => {
  it('POST /v1/runs: each field with each traversal name is a 422 naming the field; the launcher is never called', async () => {
    for (const field of ['incident', 'market', 'portfolios', 'models'] as const) {
      for (const name of NAMES) {
        const body = { incident: '2026-02-05-drawdown', [field]: name };
        const r = await app.inject({ method: 'POST', url: '/v1/runs', headers: bearer(w.keys.analyst), payload: body });
        const p = expectProblem(r, 422, `runs ${field}=${JSON.stringify(name)}`, [name]);
        expect((p['errors'] as { field: string }[])[0]?.field, `${field}=${JSON.stringify(name)}`).toBe(field);
      }
    }
    expect(w.launched).toEqual([]);
  });

  it('POST /v1/stress-batches and stress-batch / recalibrate schedules: 422, no batch, no schedule', async () => {
    for (const name of NAMES) {
      const r = await app.inject({ method: 'POST', url: '/v1/stress-batches', headers: bearer(w.keys.analyst), payload: { portfolios: name } });
      const p = expectProblem(r, 422, `batch ${JSON.stringify(name)}`, [name]);
      expect((p['errors'] as { field: string }[])[0]?.field).toBe('portfolios');
      for (const payload of [{ portfolios: name }, { incident: name }, { incident: 'ok', portfolios: name }]) {
        const jobKind = 'incident' in payload ? 'recalibrate' : 'stress-batch';
        const s = await app.inject({ method: 'POST', url: '/v1/schedules', headers: bearer(w.keys.analyst), payload: { cron: '0 5 * * *', jobKind, payload } });
        const q = expectProblem(s, 422, `schedule ${jobKind} ${JSON.stringify(payload)}`, [name]);
        expect((q['errors'] as { field: string }[])[0]?.field, JSON.stringify(payload)).toMatch(/^payload(\.|$)/);
      }
    }
    // the one real name works, and the decoy one level up was never reachable
    expect(() => w.batches.resolvePortfolios('desk-book')).not.toThrow();
    expect(() => w.batches.resolvePortfolios('../secret')).toThrow(/not a path/);
    expect(dumpDiff(before, await dumpStore(w.store))).toEqual([]);
  });

  it("the jobs layer's process launcher refuses the same names without spawning", async () => {
    const launcher = createProcessLauncher({ dbTarget: '/nonexistent/aftershock.db' });
    for (const field of ['incident', 'market', 'portfolios'] as const) {
      for (const name of NAMES) {
        const request = { incident: '2026-02-05-drawdown', [field]: name };
        let error: unknown = null;
        try {
          await launcher.start(request, 'key:test');
        } catch (e) {
          error = e;
        }
        expect(error, `${field}=${JSON.stringify(name)}`).toMatchObject({ field });
      }
    }
    expect(spawned).toEqual([]);
  });
});
