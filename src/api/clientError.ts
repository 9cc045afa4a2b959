/**
 * Answers Node's HTTP layer gives before fastify sees a request, made application/problem+json like every other
 * error:
 *
 * - Errors of Node's HTTP parser, raised before a request exists (so before fastify's routing and error handler): a
 *   request or its headers not received in time (408), headers too large (431), bytes that are not HTTP (400). The
 *   answer is written straight to the socket with `Connection: close`, and the socket is then closed. A socket that
 *   is already gone, or that has already started a response, is just destroyed ({@link clientErrorHandler}).
 * - Requests beyond `maxRequestsPerSocket` on one kept-alive connection: Node answers each of them itself with an
 *   empty 503 (`res.writeHead(503); res.end()` right after emitting the server's 'dropRequest' event, Node 18.7+;
 *   no fastify hook runs for them). The server is created with {@link ProblemServerResponse} as its response class
 *   (Node's `ServerResponse` server option, passed through fastify's `http` option), which turns exactly those
 *   answers into a 503 `unavailable` problem ("send it again on a new connection"). Node itself announces
 *   `Connection: close` on them and closes the connection at its keep-alive timeout.
 */
import { EventEmitter } from 'node:events';
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { ApiProblem, PROBLEM_CONTENT_TYPE, PROBLEM_KINDS, problemBody, problemType, type ProblemKind } from './problem.ts';

/** An error of Node's HTTP parser (`code` as Node names it, e.g. ERR_HTTP_REQUEST_TIMEOUT, HPE_HEADER_OVERFLOW). */
export interface ConnectionErrorLike extends Error {
  readonly code?: string;
}

const BY_CODE: Readonly<Record<string, { readonly kind: ProblemKind; readonly detail: string }>> = {
  ERR_HTTP_REQUEST_TIMEOUT: { kind: 'request-timeout', detail: 'the request was not received in time' },
  HPE_HEADER_OVERFLOW: { kind: 'headers-too-large', detail: 'the request headers are too large' },
};

/** The raw HTTP response for a client error `code` (exported for tests). */
export function clientErrorResponse(code: string | undefined): string {
  const p = (code === undefined ? undefined : BY_CODE[code]) ?? { kind: 'malformed-request' as const, detail: 'the request is not valid HTTP' };
  const { status, title } = PROBLEM_KINDS[p.kind];
  const body = JSON.stringify({ type: problemType(p.kind), title, status, detail: p.detail, instance: '', requestId: '' });
  return `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** fastify's clientErrorHandler (see the module comment). */
export function clientErrorHandler(error: ConnectionErrorLike, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // a response already under way (bytes written) cannot be replaced: just close
  if (socket.writable && socket.bytesWritten === 0) {
    socket.end(clientErrorResponse(error.code));
    socket.destroySoon();
  } else {
    socket.destroy(error);
  }
}

/** The detail of the 503 problem answering a request beyond maxRequestsPerSocket. */
export const DROPPED_REQUEST_DETAIL = 'this connection has carried as many requests as the server allows on one connection; send the request again on a new connection';

/** Requests Node dropped for maxRequestsPerSocket (marked by the servers' 'dropRequest' listener). */
const dropped = new WeakSet<IncomingMessage>();
/** Servers whose 'dropRequest' event is already listened to. */
const watched = new WeakSet<EventEmitter>();

function markDropped(request: IncomingMessage): void {
  dropped.add(request);
}

/** The problem body of a dropped request (its path as `instance`; no request id: fastify never saw it). */
export function droppedRequestBody(url: string | undefined): string {
  return JSON.stringify(problemBody(new ApiProblem('unavailable', DROPPED_REQUEST_DETAIL), url ?? '', ''));
}

/**
 * Node's ServerResponse, except that the 503 Node writes for a request beyond maxRequestsPerSocket becomes a
 * problem (see the module comment). Every other response is untouched. Node constructs the response of a request
 * before it decides to drop it, so the constructor subscribes to the 'dropRequest' event of the request's server
 * (once per server: fastify may bind several for one host name) before that event can fire.
 */
export class ProblemServerResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  constructor(req: Request, ...rest: unknown[]) {
    // Node passes (req, { highWaterMark, rejectNonStandardBodyWrites }); the types declare req only
    super(...([req, ...rest] as [Request]));
    const server = (req.socket as (Socket & { readonly server?: unknown }) | null)?.server;
    if (server instanceof EventEmitter && !watched.has(server)) {
      watched.add(server);
      server.on('dropRequest', markDropped);
    }
  }

  override writeHead(statusCode: number, ...rest: unknown[]): this {
    if (!dropped.has(this.req)) return super.writeHead(statusCode, ...(rest as [string?, (OutgoingHttpHeaders | OutgoingHttpHeader[])?]));
    const body = droppedRequestBody(this.req.url);
    super.writeHead(PROBLEM_KINDS.unavailable.status, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    this.write(body); // Node calls end() right after writeHead(503)
    return this;
  }
}
