/**
 * The soak's server process: `node --expose-gc --import tsx scripts/soak/support/serve.ts <db>` runs the real server
 * (src/api startServer) on 127.0.0.1 on a free port over the store `<db>`, as `aftershock serve --poll-ms 1000` does:
 * snapshot polling every second, the per-key rate limiter on (with a budget far above the soak's load, so the limiter's
 * bookkeeping is exercised but never refuses) and request logging at `warn` (every 5xx and server error is a JSON line
 * on stderr; ordinary requests write nothing). It prints `{"url": ...}` on stdout once listening.
 *
 * Over the IPC channel the parent may send `{ "type": "gc" }`: the process runs two full garbage collections (needs
 * --expose-gc) and answers `{ "type": "memory", rss, heapUsed, heapTotal, external, arrayBuffers }` (bytes, from
 * process.memoryUsage()) — the post-GC heap the soak's leak bound is about. SIGTERM shuts down gracefully.
 */
import { startServer } from '../../../src/api/index.ts';
import { openStore } from '../../../src/store/index.ts';

/** A memory report sent over IPC (bytes). */
export interface MemoryMessage {
  readonly type: 'memory';
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

const db = process.argv[2];
if (db === undefined) {
  process.stderr.write('usage: serve.ts <db>\n');
  process.exit(2);
}
const store = await openStore(db);
const server = await startServer({
  store,
  host: '127.0.0.1',
  port: 0,
  pollIntervalMs: 1000,
  rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 },
  logger: { level: 'warn', stream: { write: (l) => process.stderr.write(l) } },
});
process.on('message', (m: unknown) => {
  if ((m as { type?: unknown } | null)?.type !== 'gc') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const u = process.memoryUsage();
  const reply: MemoryMessage = { type: 'memory', rss: u.rss, heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external, arrayBuffers: u.arrayBuffers };
  process.send?.(reply);
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
await server.closed;
process.disconnect?.();
process.exit(0);
