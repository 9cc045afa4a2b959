/**
 * buildApp: a fresh fastify instance with the API plugin registered and ready (for `app.inject()` in tests and for
 * the server). Sets the body limit (default 1 MiB), request ids, the connection timeouts (see
 * {@link DEFAULT_SERVER_TIMEOUTS}: a client that sends its headers or body too slowly, or sits idle, is cut off
 * with a 408 problem; a request beyond `maxRequestsPerSocket` on one connection gets a 503 problem), and the
 * logger: pino, with the Authorization and Cookie headers redacted and a request serializer that logs method, path
 * and client address only (never headers, never the query string, so tokens can appear in no log line).
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { clientErrorHandler, ProblemServerResponse } from './clientError.ts';
import { handleError } from './errorHandler.ts';
import { aftershockApi } from './plugin.ts';
import { createApiRuntime, type ApiOptions } from './runtime.ts';
import './fastifyTypes.ts';

/** Logger settings: level (default 'info') and where the JSON lines go (default stdout). */
export interface ApiLoggerOptions {
  readonly level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly stream?: { write(line: string): void };
}

/** Options of {@link buildApp}: the API options plus the HTTP-level settings. */
export interface BuildAppOptions extends ApiOptions {
  /** Largest request body, bytes (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** Logging (default: none). */
  readonly logger?: ApiLoggerOptions | false;
  /** Trust X-Forwarded-* headers (behind a reverse proxy; default false). */
  readonly trustProxy?: boolean;
  /** Connection timeouts of the HTTP server, ms (defaults: {@link DEFAULT_SERVER_TIMEOUTS}). */
  readonly timeouts?: Partial<ServerTimeouts>;
}

/** Default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * How long the HTTP server waits for a client, all in ms (0: no limit, except keepAliveTimeoutMs and
 * checkIntervalMs, which must be > 0). A slow client (slowloris: headers or body
 * trickled byte by byte, or a connection that never sends anything) holds a socket only until `headersTimeoutMs` /
 * `requestTimeoutMs`, then gets a 408 problem and the socket is closed. These bound RECEIVING the request; a
 * handler taking long to answer (POST /v1/runs waits for the child job to create its run) is bounded by
 * `connectionTimeoutMs` of socket inactivity only.
 */
export interface ServerTimeouts {
  /** The request line and headers must have arrived within this (Node's headersTimeout). */
  readonly headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived within this (Node's requestTimeout); >= headersTimeoutMs. */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this (Node's keepAliveTimeout). */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic in either direction for this long is destroyed (fastify's connectionTimeout). */
  readonly connectionTimeoutMs: number;
  /** Requests served on one connection before the server closes it (0: unlimited). */
  readonly maxRequestsPerSocket: number;
  /** How often the server checks the header and request deadlines (Node's connectionsCheckingInterval). */
  readonly checkIntervalMs: number;
}

/**
 * Defaults: headers within 10 s, the whole request (a 1 MiB body included) within 30 s, idle keep-alive closed
 * after 10 s (behind a reverse proxy, raise it above the proxy's own idle timeout), a silent socket destroyed after
 * 120 s (above the run launcher's 60 s wait for a child to start), no limit of requests per connection (a limit
 * makes Node answer 503 to requests a client already sent on the connection after its last allowed one, and
 * keep-alive clients that do not watch `Connection: close`, load generators and some proxies among them, then get
 * 503s until the socket closes: found by scripts/bench/api.ts; set `maxRequestsPerSocket` to rotate connections
 * behind a balancer), deadlines checked every second (Node's default is every 30 s, which would let a slow client hold a socket up to 30 s past its
 * deadline).
 */
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  connectionTimeoutMs: 120_000,
  maxRequestsPerSocket: 0,
  checkIntervalMs: 1000,
});

/** The timeouts of `given` over the defaults; throws a RangeError naming the field for a negative or inconsistent one. */
export function serverTimeouts(given: Partial<ServerTimeouts> = {}): ServerTimeouts {
  const t: ServerTimeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...given };
  for (const [name, v] of Object.entries(t)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`timeouts.${name} must be an integer >= 0 (ms), got ${String(v)}`);
  }
  if (t.checkIntervalMs === 0) throw new RangeError('timeouts.checkIntervalMs must be > 0');
  if (t.keepAliveTimeoutMs === 0) throw new RangeError('timeouts.keepAliveTimeoutMs must be > 0'); // fastify reads 0 as its 72 s default
  if (t.requestTimeoutMs > 0 && (t.headersTimeoutMs === 0 || t.headersTimeoutMs > t.requestTimeoutMs)) {
    throw new RangeError(`timeouts.headersTimeoutMs (${t.headersTimeoutMs}) must be in (0, requestTimeoutMs = ${t.requestTimeoutMs}]`);
  }
  return Object.freeze(t);
}

/** Headers that never reach a log line. */
export const REDACTED_PATHS = Object.freeze(['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie']);

function loggerOptions(logger: ApiLoggerOptions | false | undefined): NonNullable<FastifyServerOptions['logger']> {
  if (logger === undefined || logger === false) return false;
  return {
    level: logger.level ?? 'info',
    ...(logger.stream === undefined ? {} : { stream: logger.stream }),
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        path: req.url.split('?')[0] ?? '',
        remoteAddress: req.ip,
      }),
    },
  };
}

/** A ready fastify instance serving the API (decorated with its runtime as `app.aftershock`). */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const timeouts = serverTimeouts(options.timeouts);
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      // Node's own 503 for requests beyond maxRequestsPerSocket becomes a problem too (clientError.ts)
      ServerResponse: ProblemServerResponse,
    },
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionTimeout: timeouts.connectionTimeoutMs,
    maxRequestsPerSocket: timeouts.maxRequestsPerSocket,
    clientErrorHandler,
    logger: loggerOptions(options.logger),
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // the first snapshot of a large calibration (accounts, matrix) may take longer than fastify's 10 s default
    pluginTimeout: 120_000,
    // errors raised before routing (a malformed percent-encoding in the URL) are problems too
    frameworkErrors: (error, request, reply) => {
      handleError(error, request, reply);
    },
  });
  const runtime = createApiRuntime(options);
  app.decorate('aftershock', runtime);
  try {
    await app.register(aftershockApi, { ...options, runtime });
    await app.ready();
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  return app;
}
