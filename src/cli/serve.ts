/**
 * `aftershock serve [--port 8080] [--host 127.0.0.1]`: the risk-desk HTTP API (DESIGN.md §8) on the store named by
 * the global `--db` (else DATABASE_URL, else the embedded SQLite file). Prints the URL once listening (one JSON object
 * with --json), writes the request log as JSON lines to the error stream, and returns when the server has shut down
 * (SIGINT/SIGTERM, or the optional abort signal): fastify first, then the store. POST /v1/runs starts
 * `aftershock recalibrate` children on the same store through the jobs layer's process launcher (input names resolved
 * under the package's fixtures/ and models/), unless another launcher is passed in.
 *
 * Connection limits (src/api/app.ts ServerTimeouts; defaults DEFAULT_SERVER_TIMEOUTS), all integers, in ms unless
 * named otherwise: `--headers-timeout-ms` (>= 1), `--request-timeout-ms` (0: none), `--keep-alive-timeout-ms` (>= 1),
 * `--connection-timeout-ms` (0: none), `--max-requests-per-socket` (0: unlimited). A value out of range, or
 * headers allowed longer than the whole request, is a usage error (exit 2) naming the flag, before the store is
 * opened. The deadline check period (checkIntervalMs, 1 s) is not a flag: it only sets how precisely the deadlines
 * are enforced.
 */
import { InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_SERVER_TIMEOUTS, serverTimeouts, startServer, type ApiLoggerOptions, type RunLauncher, type RunningServer, type ServerTimeouts,
} from '../api/index.ts';
import { DatabaseConfigError, resolveDatabaseTarget } from '../config/index.ts';
// the launcher module alone: the jobs facade would load the whole pipeline into the server process
import { createProcessLauncher } from '../jobs/launch.ts';
import { startEmbeddedScheduler } from '../jobs/batch/embeddedScheduler.ts';
import { DEFAULT_BOSS_SCHEMA } from '../jobs/batch/boss.ts';
import { createBatchLauncher } from '../jobs/batch/launcher.ts';
import { markInterruptedRuns, openStore } from '../store/index.ts';
import { RUN_LEASE_MS } from './db.ts';
import { CliInputError, type Io } from './io.ts';

/**
 * Extras for embedding and tests: stop the server with `signal`; start runs with `launcher` (default: the process
 * launcher); `onListening` is called with the running server once it listens (before the URL is printed).
 */
export interface ServeExtras {
  readonly signal?: AbortSignal;
  readonly launcher?: RunLauncher;
  readonly onListening?: (server: RunningServer) => void;
}

/** The connection-limit flags: the ServerTimeouts field (also commander's name of the option), flag, least value, help. */
const TIMEOUT_FLAGS = [
  { field: 'headersTimeoutMs', flag: '--headers-timeout-ms', min: 1, help: 'the request line and headers must arrive within this, ms' },
  { field: 'requestTimeoutMs', flag: '--request-timeout-ms', min: 0, help: 'the whole request (headers and body) must arrive within this, ms (0: no limit)' },
  { field: 'keepAliveTimeoutMs', flag: '--keep-alive-timeout-ms', min: 1, help: 'an idle kept-alive connection is closed after this, ms (behind a proxy: above its idle timeout)' },
  { field: 'connectionTimeoutMs', flag: '--connection-timeout-ms', min: 0, help: 'a socket silent both ways for this long is destroyed, ms (0: never)' },
  { field: 'maxRequestsPerSocket', flag: '--max-requests-per-socket', min: 0, help: 'requests served on one connection before it is closed (0: unlimited)' },
] as const satisfies readonly { readonly field: keyof ServerTimeouts; readonly flag: string; readonly min: number; readonly help: string }[];

/** Largest value of a connection-limit flag: a day in ms (a million requests per connection). */
const MAX_TIMEOUT_MS = 86_400_000;
const MAX_REQUESTS_PER_SOCKET = 1_000_000;

/** The values of the connection-limit flags given (commander names them by their ServerTimeouts field). */
export type TimeoutFlagValues = { readonly [K in (typeof TIMEOUT_FLAGS)[number]['field']]?: number };

/**
 * The ServerTimeouts of the given connection-limit flags over the defaults; throws a CliInputError (exit 2) whose
 * message names the flags, and whose `field` is the first flag named, when they are inconsistent.
 */
export function timeoutsOfFlags(values: TimeoutFlagValues): ServerTimeouts {
  const given: Partial<Record<keyof ServerTimeouts, number>> = {};
  for (const t of TIMEOUT_FLAGS) {
    const v = values[t.field];
    if (v !== undefined) given[t.field] = v;
  }
  try {
    return serverTimeouts(given);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const pattern = (field: string, flags = ''): RegExp => new RegExp(`(?:timeouts\\.)?${field}\\b`, flags);
    const first = TIMEOUT_FLAGS.map((t) => ({ t, at: e.message.search(pattern(t.field)) })).filter((x) => x.at >= 0).sort((x, y) => x.at - y.at)[0];
    const message = TIMEOUT_FLAGS.reduce((m, t) => m.replace(pattern(t.field, 'g'), t.flag), e.message);
    throw new CliInputError(message, first === undefined ? {} : { field: first.t.flag.slice(2) });
  }
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got "${value}"`);
    return n;
  };
}

function level(value: string): NonNullable<ApiLoggerOptions['level']> {
  if (!(LEVELS as readonly string[]).includes(value)) throw new InvalidArgumentError(`log level must be one of ${LEVELS.join(', ')}, got "${value}"`);
  return value as NonNullable<ApiLoggerOptions['level']>;
}

/** Adds the `serve` command to `program`. */
export function registerServe(program: Command, io: Io, extras: ServeExtras = {}): void {
  const command = program.command('serve')
    .description('serve the risk-desk HTTP API (OpenAPI at /docs) on the store')
    .option('--port <n>', 'TCP port (0: any free port)', integer('port', 0, 65535), 8080)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--poll-ms <n>', 'how often to check the store for a promotion made elsewhere, ms (0: never)', integer('poll-ms', 0, 3_600_000), 1000)
    .option('--log-level <level>', `request log level (${LEVELS.join(', ')})`, level, 'info' as const);
  for (const t of TIMEOUT_FLAGS) {
    const max = t.field === 'maxRequestsPerSocket' ? MAX_REQUESTS_PER_SOCKET : MAX_TIMEOUT_MS;
    command.option(`${t.flag} <n>`, `${t.help} (default: ${DEFAULT_SERVER_TIMEOUTS[t.field]})`, integer(t.flag.slice(2), t.min, max));
  }
  command
    .action(async (o: { port: number; host: string; pollMs: number; logLevel: NonNullable<ApiLoggerOptions['level']> } & TimeoutFlagValues) => {
      const timeouts = timeoutsOfFlags(o); // usage errors before anything is opened
      const globals = program.opts<{ db?: string; json?: boolean }>();
      let target;
      try {
        target = resolveDatabaseTarget({ db: globals.db });
      } catch (e) {
        if (e instanceof DatabaseConfigError) throw new CliInputError(e.message);
        throw e;
      }
      const store = await openStore(target.target);
      const interrupted = await markInterruptedRuns(store, { leaseMs: RUN_LEASE_MS });
      if (interrupted.length > 0) io.err(`marked ${interrupted.length} run(s) interrupted (no heartbeat for over ${RUN_LEASE_MS / 1000} s): ${interrupted.join(', ')}`);
      // embedded mode runs the stored stress-batch schedules in-process (croner); on PostgreSQL `aftershock worker`
      // processes take them through pg-boss, so the server does not
      const scheduler = store.dialect === 'sqlite'
        ? await startEmbeddedScheduler(store, { onError: (e, id) => io.err(`schedule ${id ?? '?'}: ${e instanceof Error ? e.message : String(e)}`) })
        : null;
      // on PostgreSQL the API enqueues stress batches through pg-boss on the store's own (unredacted) URL
      const batches = store.dialect === 'postgres'
        ? createBatchLauncher({ store, boss: { url: target.target, schema: process.env['AFTERSHOCK_BOSS_SCHEMA'] ?? DEFAULT_BOSS_SCHEMA } })
        : undefined;
      let server;
      try {
        server = await startServer({
          store,
          host: o.host,
          port: o.port,
          pollIntervalMs: o.pollMs,
          timeouts,
          logger: { level: o.logLevel, stream: { write: (line) => io.err(line.trimEnd()) } },
          launcher: extras.launcher ?? createProcessLauncher({ dbTarget: target.target }),
          ...(batches === undefined ? {} : { batches }),
        });
      } catch (e) {
        scheduler?.stop();
        await batches?.close();
        await store.close();
        throw e;
      }
      extras.onListening?.(server);
      if (globals.json) io.out(JSON.stringify({ url: server.url, host: server.host, port: server.port, docs: `${server.url}/docs`, store: store.target }));
      else io.out(`aftershock API listening on ${server.url} (docs at ${server.url}/docs; store ${store.target})`);
      if (extras.signal !== undefined) {
        if (extras.signal.aborted) void server.close();
        else extras.signal.addEventListener('abort', () => void server.close(), { once: true });
      }
      await server.closed;
      scheduler?.stop();
      await batches?.close();
      if (!globals.json) io.out('aftershock API stopped');
    });
}
