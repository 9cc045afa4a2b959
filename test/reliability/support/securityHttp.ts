/**
 * Raw HTTP/1.1 over TCP for the security suite: requests no HTTP client would send (duplicate Authorization headers,
 * NUL bytes, 20 KB headers, a body trickled a byte at a time, headers never finished), with the server's answer
 * parsed as far as it went and when the server closed the socket. Times in ms from `performance.now()`.
 */
import { connect, type Socket } from 'node:net';

/** A response as read off the socket. */
export interface RawResponse {
  /** Status code, or null when the server closed without answering. */
  readonly status: number | null;
  /** Header names lower-cased; repeated headers joined by ', '. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Everything received. */
  readonly raw: string;
  /** Whether the server closed (or reset) the connection. */
  readonly closed: boolean;
  /** ms from the start of the exchange to the first response byte (null: none), and to the close (null: not closed). */
  readonly firstByteMs: number | null;
  readonly closedMs: number | null;
}

/** Parses what was received into status, headers and body. */
export function parseRaw(raw: string): Pick<RawResponse, 'status' | 'headers' | 'body'> {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: m === null ? null : Number(m[1]), headers, body: end < 0 ? '' : raw.slice(end + 4) };
}

/** An open exchange: write more, then wait for the answer (or the close). */
export interface RawExchange {
  readonly socket: Socket;
  write(data: string | Buffer): Promise<boolean>;
  /** Resolves when the server closed the socket or `timeoutMs` passed (then `closed` is false), with what was received. */
  result(timeoutMs: number): Promise<RawResponse>;
  /** Resolves with what was received once a complete response (headers + Content-Length body) has arrived, or at close/timeout. */
  response(timeoutMs: number): Promise<RawResponse>;
  /** Bytes written so far that the kernel accepted. */
  readonly bytesWritten: number;
  destroy(): void;
}

/** Opens a connection to 127.0.0.1:`port` and writes `initial`. */
export async function rawExchange(port: number, initial: string | Buffer = ''): Promise<RawExchange> {
  const started = performance.now();
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined); // a reset is a close for our purposes
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let raw = '';
  let firstByteMs: number | null = null;
  let closedMs: number | null = null;
  const waiters = new Set<() => void>();
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    firstByteMs ??= performance.now() - started;
    raw += chunk;
    for (const w of [...waiters]) w();
  });
  socket.on('close', () => {
    closedMs ??= performance.now() - started;
    for (const w of [...waiters]) w();
  });
  const snapshot = (): RawResponse => ({ ...parseRaw(raw), raw, closed: closedMs !== null, firstByteMs, closedMs });
  const complete = (): boolean => {
    const p = parseRaw(raw);
    if (p.status === null || raw.indexOf('\r\n\r\n') < 0) return false;
    const length = Number(p.headers['content-length'] ?? NaN);
    return Number.isFinite(length) ? Buffer.byteLength(p.body, 'latin1') >= length : false;
  };
  const waitFor = (done: () => boolean, timeoutMs: number): Promise<RawResponse> => new Promise((resolve) => {
    const check = (): void => {
      if (!done() && closedMs === null) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(snapshot());
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      resolve(snapshot());
    }, timeoutMs);
    waiters.add(check);
    check();
  });
  const exchange: RawExchange = {
    socket,
    write: (data) => new Promise((resolve) => {
      if (socket.destroyed || !socket.writable) {
        resolve(false);
        return;
      }
      socket.write(data, (err) => resolve(err === undefined || err === null));
    }),
    result: (timeoutMs) => waitFor(() => false, timeoutMs),
    response: (timeoutMs) => waitFor(complete, timeoutMs),
    get bytesWritten() {
      return socket.bytesWritten;
    },
    destroy: () => socket.destroy(),
  };
  if (initial.length > 0) await exchange.write(initial);
  return exchange;
}

/** One request with `Connection: close` written at once; the response read to the close (or `timeoutMs`). */
export async function rawRequest(port: number, text: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  const ex = await rawExchange(port, text);
  try {
    return await ex.response(timeoutMs);
  } finally {
    ex.destroy();
  }
}

/** `ms` of waiting. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
