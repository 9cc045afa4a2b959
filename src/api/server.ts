/**
 * The HTTP server: builds the app, listens, and shuts down gracefully. On SIGINT or SIGTERM (or `close()`), fastify
 * stops accepting connections, finishes the requests in flight (answering 503 to new ones on kept-alive
 * connections), stops polling, and then the store is closed. A second signal during shutdown gets Node's default
 * behaviour (the process ends at once).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from './app.ts';

/** Options of {@link startServer}. */
export interface StartServerOptions extends BuildAppOptions {
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 8080; 0 for any free port). */
  readonly port?: number;
  /** Install SIGINT/SIGTERM handlers (default true). */
  readonly handleSignals?: boolean;
  /** Close the store on shutdown (default true). */
  readonly closeStore?: boolean;
}

/** A listening server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Shuts down (idempotent): fastify, then the store. */
  close(): Promise<void>;
  /** Resolves when the server has shut down (after a signal or close()). */
  readonly closed: Promise<void>;
}

/** Builds the app and listens (see the module comment). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const app = await buildApp(options);
  try {
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    app.log.info({ signal }, 'shutting down');
    void close();
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      try {
        await app.close();
      } finally {
        if (options.closeStore !== false) await options.store.close();
        resolveClosed();
      }
    })();
    return closing;
  };
  if (options.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { app, url: `http://${host}:${address.port}`, host: address.address, port: address.port, close, closed };
}
