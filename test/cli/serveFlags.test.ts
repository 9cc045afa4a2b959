/**
 * `aftershock serve` connection-limit flags (src/cli/serve.ts): a malformed, out-of-range or inconsistent value is a
 * usage error (exit 2) naming the flag, raised before the store is opened; given values reach the HTTP server
 * (read back from the listening server's own settings), and act: with `--max-requests-per-socket 2` the third and
 * fourth pipelined requests on one connection get Node's 503 as an application/problem+json body
 * (src/api/clientError.ts), and with `--request-timeout-ms 1000` a body trickled a byte at a time gets a 408
 * problem and the connection closed, long before the 30 s default would.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { DEFAULT_SERVER_TIMEOUTS, type RunningServer } from '../../src/api/index.ts';
import { registerServe, timeoutsOfFlags } from '../../src/cli/serve.ts';
import { createApiKey } from '../../src/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { expectProblem } from '../reliability/support/securityChecks.ts';
import { parseRaw, rawExchange, type RawResponse } from '../reliability/support/securityHttp.ts';
import { cli } from './helpers.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aftershock-serve-flags-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('bad values: exit 2 naming the flag, nothing opened', () => {
  const CASES: readonly [string, readonly string[], string][] = [
    ['not a number', ['--request-timeout-ms', 'soon'], '--request-timeout-ms'],
    ['a fraction', ['--headers-timeout-ms', '1.5'], '--headers-timeout-ms'],
    ['zero keep-alive', ['--keep-alive-timeout-ms', '0'], '--keep-alive-timeout-ms'],
    ['above a day', ['--connection-timeout-ms', '86400001'], '--connection-timeout-ms'],
    ['too many per socket', ['--max-requests-per-socket', '2000000'], '--max-requests-per-socket'],
    ['headers longer than the request', ['--headers-timeout-ms', '5000', '--request-timeout-ms', '1000'], '--headers-timeout-ms'],
  ];

  it.each(CASES)('%s', async (_what, flags, flag) => {
    const db = join(dir, `never-${flag.slice(2)}`, 'aftershock.db');
    const r = await cli(['--db', db, 'serve', '--port', '0', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(flag);
    expect(existsSync(db)).toBe(false); // the store was never opened (nor created)
    const json = await cli(['--json', '--db', db, 'serve', '--port', '0', ...flags]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out.at(-1) ?? '{}').error.message).toContain(flag);
  });

  it('the inconsistency names both flags and their values', async () => {
    const r = await cli(['--json', '--db', join(dir, 'never', 'x.db'), 'serve', '--headers-timeout-ms', '5000', '--request-timeout-ms', '1000']);
    const error = (JSON.parse(r.out.at(-1) ?? '{}') as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({ type: 'CliInputError', field: 'headers-timeout-ms' });
    expect(error['message']).toBe('--headers-timeout-ms (5000) must be in (0, --request-timeout-ms = 1000]');
    expect(timeoutsOfFlags({})).toEqual(DEFAULT_SERVER_TIMEOUTS);
    expect(timeoutsOfFlags({ requestTimeoutMs: 0, headersTimeoutMs: 60_000 })).toMatchObject({ requestTimeoutMs: 0, headersTimeoutMs: 60_000 });
  });
});

describe('values reach the server', () => {
  let db: TestDatabase;
  let key: string;
  let server: RunningServer;
  let stop: AbortController;
  let done: Promise<unknown>;
  const err: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    key = (await createApiKey(await db.open(), { role: 'analyst', actor: 'test' })).key;
    const program = new Command('aftershock').option('--json').option('--db <target>').exitOverride();
    stop = new AbortController();
    let listening: (s: RunningServer) => void = () => undefined;
    const started = new Promise<RunningServer>((resolve) => {
      listening = resolve;
    });
    registerServe(program, { out: () => undefined, err: (l) => err.push(l) }, { signal: stop.signal, onListening: (s) => listening(s) });
    done = program.parseAsync([
      '--db', db.target, '--json', 'serve', '--port', '0', '--poll-ms', '0', '--log-level', 'warn',
      '--headers-timeout-ms', '800', '--request-timeout-ms', '1000', '--keep-alive-timeout-ms', '1500',
      '--connection-timeout-ms', '9000', '--max-requests-per-socket', '2',
    ], { from: 'user' });
    server = await Promise.race([started, done.then(() => Promise.reject(new Error(`serve ended early: ${err.join('\n')}`)))]);
  }, 60_000);
  afterAll(async () => {
    stop?.abort();
    await done?.catch(() => undefined);
    await db?.cleanup();
  });

  it('the listening server carries every flag', () => {
    const s = server.app.server;
    expect({ headers: s.headersTimeout, request: s.requestTimeout, keepAlive: s.keepAliveTimeout, socket: s.timeout, perSocket: s.maxRequestsPerSocket })
      .toEqual({ headers: 800, request: 1000, keepAlive: 1500, socket: 9000, perSocket: 2 });
  });

  it('--max-requests-per-socket 2: the 3rd and 4th pipelined requests get 503 problems', async () => {
    const ex = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(4));
    const all = await ex.result(10_000);
    ex.destroy();
    const answers = splitResponses(all.raw);
    console.info(`4 pipelined requests, --max-requests-per-socket 2: statuses ${answers.map((a) => a.status).join(',')}; closed ${all.closed} after ${all.closedMs?.toFixed(0)} ms`);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 503, 503]);
    for (const a of answers.slice(2)) {
      const p = expectProblem({ statusCode: a.status ?? 0, headers: a.headers, body: a.body }, 503, 'dropped request');
      expect(p).toMatchObject({ type: 'urn:aftershock:problem:unavailable', instance: '/health', requestId: '' });
      expect(String(p['detail'])).toMatch(/new connection/);
      expect(a.headers['connection']).toBe('close');
    }
    expect(all.closed).toBe(true);
  });

  it('--request-timeout-ms 1000: a body trickled a byte at a time gets a 408 problem and is disconnected', async () => {
    const ex = await rawExchange(server.port, `POST /v1/margin/what-if HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
    let res = await ex.response(1);
    let sent = 0;
    // at most 40 bytes, one per 250 ms: 10 s, a third of the 30 s default
    for (; sent < 40 && !res.closed && res.status === null; sent++) {
      await ex.write('{');
      res = await ex.response(250);
    }
    const r = await ex.result(10_000);
    ex.destroy();
    console.info(`slow body with --request-timeout-ms 1000: ${r.status} after ${sent} bytes; closed after ${r.closedMs?.toFixed(0)} ms`);
    expectProblem({ statusCode: r.status ?? 0, headers: r.headers, body: r.body }, 408, 'slow body');
    expect(r.closed).toBe(true);
    expect(sent).toBeLessThan(40);
  });
});

/** The responses of a pipelined exchange, in order (each with a Content-Length body). */
function splitResponses(raw: string): Pick<RawResponse, 'status' | 'headers' | 'body'>[] {
  const out: Pick<RawResponse, 'status' | 'headers' | 'body'>[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = parseRaw(rest.slice(0, end + 4));
    const length = Number(head.headers['content-length'] ?? 0);
    out.push({ ...head, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}
