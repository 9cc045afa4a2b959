/**
 * Errors Node's HTTP parser raises before a request exists (so before fastify's routing and error handler): a
 * request or its headers not received in time (408), headers too large (431), bytes that are not HTTP (400). The
 * answer is an application/problem+json body like every other error, written straight to the socket with
 * `Connection: close`, and the socket is then closed. A socket that is already gone, or that has already started a
 * response, is just destroyed.
 */
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, PROBLEM_KINDS, problemType, type ProblemKind } from './problem.ts';

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
