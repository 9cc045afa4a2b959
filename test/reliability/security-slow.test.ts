/**
 * Security (issue 10): oversized and slow clients against a REAL server on 127.0.0.1 with short timeouts (headers
 * 1 s, whole request 2 s, idle keep-alive 1 s, deadlines checked every 200 ms, 5 requests per connection). A body
 * over the 1 MiB limit gets a 413 problem and the connection closed, without the server reading the rest (declared
 * by Content-Length: answered after 64 KB of 50 MB; chunked: the server stops reading just past the limit). A
 * slowloris client (headers trickled and never finished, or a body trickled a byte at a time) gets a 408 problem
 * and is disconnected while other clients keep getting answers; 300 idle connections are closed at the header
 * deadline and do not starve the server. The default timeouts are those documented in src/api/app.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DEFAULT_SERVER_TIMEOUTS, serverTimeouts, startServer, type RunningServer } from '../../src/api/index.ts';
import { expectProblem } from './support/securityChecks.ts';
import { rawExchange, rawRequest, sleep, type RawResponse } from './support/securityHttp.ts';
import { bearer, createSecurityWorld, type SecurityWorld } from './support/securityWorld.ts';

let w: SecurityWorld;
let server: RunningServer;
const TIMEOUTS = { headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 1000, connectionTimeoutMs: 5000, checkIntervalMs: 200, maxRequestsPerSocket: 5 };
/** How long a test waits for the server to act on a deadline before failing: the deadline, the check period and a wide margin for a loaded machine. */
const GRACE_MS = 8000;

beforeAll(async () => {
  w = await createSecurityWorld('sqlite');
  server = await startServer({
    store: w.store, port: 0, handleSignals: false, closeStore: false, pollIntervalMs: 0, rateLimit: false,
    launcher: w.launcher, batches: w.batches, timeouts: TIMEOUTS,
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await w?.cleanup();
});

const asResponse = (r: RawResponse) => ({ statusCode: r.status ?? 0, headers: r.headers, body: r.body });
const head = (method: string, path: string, extra: string) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${w.keys.retail}\r\nContent-Type: application/json\r\n${extra}\r\n`;

/** A normal authenticated read over a fresh connection. */
async function healthyRead(): Promise<number | null> {
  const r = await fetch(`${server.url}/v1/accounts/ACC-R1/margin`, { headers: bearer(w.keys.retail) });
  await r.arrayBuffer();
  return r.status;
}

describe('oversized bodies', () => {
  it('Content-Length of 50 MB: 413 problem after 64 KB sent, connection closed', async () => {
    const ex = await rawExchange(server.port, head('POST', '/v1/margin/what-if', 'Content-Length: 52428800\r\n'));
    await ex.write(Buffer.alloc(64 * 1024, 0x20));
    const r = await ex.result(GRACE_MS);
    ex.destroy();
    console.info(`declared 50 MB: ${r.status} after ${ex.bytesWritten} bytes sent; closed after ${r.closedMs?.toFixed(0)} ms`);
    expectProblem(asResponse(r), 413, 'declared 50 MB');
    expect(r.headers['connection']).toBe('close');
    expect(r.closed).toBe(true);
    expect(ex.bytesWritten).toBeLessThan(100 * 1024);
  });

  it('chunked without a length: 413 problem, the server stops reading just past 1 MiB', async () => {
    const ex = await rawExchange(server.port, head('POST', '/v1/margin/what-if', 'Transfer-Encoding: chunked\r\n'));
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
    let sent = 0;
    const limit = 32 * 1024 * 1024;
    let res = await ex.response(1);
    while (sent < limit && !res.closed && res.status === null) {
      if (!(await ex.write(chunk))) break;
      sent += chunk.length;
      res = await ex.response(1);
    }
    const r = await ex.result(GRACE_MS);
    ex.destroy();
    console.info(`chunked: ${r.status} after ${(sent / 1048576).toFixed(2)} MiB written by the client; closed: ${r.closed}`);
    expectProblem(asResponse(r), 413, 'chunked over the limit');
    expect(r.closed).toBe(true);
    expect(sent).toBeLessThan(8 * 1024 * 1024); // kernel buffers absorb some; never the 32 MiB on offer
  });
});

describe('slow clients', () => {
  it('a body trickled a byte at a time: 408 problem and disconnected at the request deadline; others are served meanwhile', async () => {
    const ex = await rawExchange(server.port, head('POST', '/v1/margin/what-if', 'Content-Length: 1000\r\n'));
    const served: (number | null)[] = [];
    let res = await ex.response(1);
    for (let i = 0; i < 40 && !res.closed; i++) {
      await ex.write('{');
      if (i % 5 === 0) served.push(await healthyRead());
      res = await ex.response(250);
    }
    const r = await ex.result(GRACE_MS);
    ex.destroy();
    console.info(`body slowloris: ${r.status}, closed after ${r.closedMs?.toFixed(0)} ms; ${served.length} other reads meanwhile: ${served.join(',')}`);
    expectProblem(asResponse(r), 408, 'slow body');
    expect(r.closed).toBe(true);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(served.every((s) => s === 200)).toBe(true);
  });

  it('headers never finished: 408 problem and disconnected at the header deadline', async () => {
    const ex = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let res = await ex.response(1);
    for (let i = 0; i < 40 && !res.closed; i++) {
      await ex.write(`X-Slow-${i}: x\r\n`);
      res = await ex.response(200);
    }
    const r = await ex.result(GRACE_MS);
    ex.destroy();
    console.info(`header slowloris: ${r.status}, closed after ${r.closedMs?.toFixed(0)} ms`);
    expectProblem(asResponse(r), 408, 'slow headers');
    expect(r.closed).toBe(true);
    expect(await healthyRead()).toBe(200);
  });

  it('300 idle connections do not starve the server and are closed at the header deadline', async () => {
    const idle = await Promise.all(Array.from({ length: 300 }, () => rawExchange(server.port)));
    try {
      const statuses = await Promise.all(Array.from({ length: 10 }, () => healthyRead()));
      expect(statuses).toEqual(Array(10).fill(200));
      const results = await Promise.all(idle.map((ex) => ex.result(GRACE_MS)));
      const closed = results.filter((r) => r.closed).length;
      const slowest = Math.max(...results.map((r) => r.closedMs ?? Infinity));
      console.info(`300 idle connections: ${closed} closed by the server, the last after ${slowest.toFixed(0)} ms`);
      expect(closed).toBe(300);
    } finally {
      for (const ex of idle) ex.destroy();
    }
  }, 30_000);

  it('an idle kept-alive connection is closed after keepAliveTimeout; a connection serves at most maxRequestsPerSocket', async () => {
    const ex = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const first = await ex.response(GRACE_MS);
    expect(first.status).toBe(200);
    const r = await ex.result(GRACE_MS);
    ex.destroy();
    expect(r.closed).toBe(true);
    console.info(`kept-alive idle connection closed after ${r.closedMs?.toFixed(0)} ms`);

    const many = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(8));
    const all = await many.result(GRACE_MS);
    many.destroy();
    // Node serves the first maxRequestsPerSocket (the last with Connection: close) and refuses the pipelined rest (503)
    const served = all.raw.split('HTTP/1.1 200').length - 1;
    console.info(`8 pipelined requests on one connection: ${served} served, statuses ${[...all.raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]).join(',')}`);
    expect(served).toBe(TIMEOUTS.maxRequestsPerSocket);
    expect(all.raw).toMatch(/connection: close/i);
    expect(all.closed).toBe(true);
  });
});

describe('timeout configuration', () => {
  it('defaults are those documented; inconsistent settings are refused naming the field', async () => {
    expect(serverTimeouts()).toEqual(DEFAULT_SERVER_TIMEOUTS);
    expect(DEFAULT_SERVER_TIMEOUTS).toEqual({
      headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 10_000, connectionTimeoutMs: 120_000, maxRequestsPerSocket: 0, checkIntervalMs: 1000,
    });
    const app = await buildApp({ store: w.store, pollIntervalMs: 0, batches: null });
    try {
      expect({
        headers: app.server.headersTimeout, request: app.server.requestTimeout, keepAlive: app.server.keepAliveTimeout,
        socket: app.server.timeout, perSocket: app.server.maxRequestsPerSocket,
      }).toEqual({ headers: 10_000, request: 30_000, keepAlive: 10_000, socket: 120_000, perSocket: 0 });
    } finally {
      await app.close();
    }
    expect(() => serverTimeouts({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).toThrow(/headersTimeoutMs/);
    expect(() => serverTimeouts({ keepAliveTimeoutMs: 0 })).toThrow(/keepAliveTimeoutMs/);
    expect(() => serverTimeouts({ connectionTimeoutMs: -1 })).toThrow(/connectionTimeoutMs/);
    expect(() => serverTimeouts({ checkIntervalMs: 0.5 })).toThrow(/checkIntervalMs/);
    // a silent server socket answers once, with a problem, through the raw path as well
    const r = await rawRequest(server.port, 'BREW /health HTCPCP/1.0\r\n\r\n');
    expectProblem(asResponse(r), 400, 'not HTTP');
    await sleep(1);
  });
});
