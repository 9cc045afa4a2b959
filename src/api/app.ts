/**
 * buildApp: a fresh fastify instance with the API plugin registered and ready (for `app.inject()` in tests and for
 * the server). Sets the body limit (default 1 MiB), request ids, and the logger: pino, with the Authorization and
 * Cookie headers redacted and a request serializer that logs method, path and client address only (never headers,
 * never the query string, so tokens can appear in no log line).
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
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
}

/** Default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

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
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
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
