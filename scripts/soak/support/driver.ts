/**
 * An open-loop HTTP load generator over keep-alive connections (node:http): requests are due at a steady `rate` per
 * second from the start (checked every 5 ms), each taken from the planner and sent on a free connection; at most
 * `connections` are in flight. A request that falls due while every connection is busy is not sent and counted as
 * `shed` (the server, or the generator sharing its CPU, could not keep up): the soak reports it rather than queueing
 * without bound. Latency is from handing the request to the socket to the last byte of the answer, in ms, recorded
 * per route kind for the phase in which the request was sent; completions are counted per second.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { ROUTE_KINDS, type PlannedRequest, type RouteKind, type RequestPlanner } from './requests.ts';
import type { Outcome, Verifier } from './verify.ts';

/** The soak phases; only `measured` latencies and throughput are reported. */
export type Phase = 'warm-up' | 'measured';

/** A growable array of doubles. */
export class Samples {
  #data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.length++] = v;
  }
  /** The i-th value (0 <= i < length). */
  at(i: number): number {
    return this.#data[i] as number;
  }
  /** A sorted copy. */
  sorted(): Float64Array {
    return this.#data.slice(0, this.length).sort();
  }
}

/** Per-kind counters of one phase. */
export interface KindStats {
  readonly latencyMs: Samples;
  readonly outcomes: Record<Outcome, number>;
}

function emptyStats(): Record<RouteKind, KindStats> {
  return Object.fromEntries(ROUTE_KINDS.map((k) => [k, { latencyMs: new Samples(), outcomes: { 'ok': 0, 'expected-error': 0, 'unexpected': 0, 'mismatch': 0 } }])) as Record<RouteKind, KindStats>;
}

/** Options of {@link LoadDriver}. */
export interface DriverOptions {
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  /** Requests per second. */
  readonly rate: number;
  readonly connections: number;
  readonly planner: RequestPlanner;
  readonly verifier: Verifier;
  /** Local (source) address of the requests marked `hostile` (default: the same as the others). */
  readonly hostileAddress?: string;
  /** Per-request timeout, ms (default 10 000): a timeout is an unexpected error. */
  readonly timeoutMs?: number;
}

/** See the module comment. */
export class LoadDriver {
  readonly #opts: DriverOptions;
  readonly #agent: Agent;
  readonly #host: string;
  readonly #port: number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #startedAt = 0;
  #due = 0;
  #inFlight = 0;
  #idle: (() => void) | null = null;
  phase: Phase = 'warm-up';
  /** Counters per phase and kind. */
  readonly stats: Record<Phase, Record<RouteKind, KindStats>> = { 'warm-up': emptyStats(), 'measured': emptyStats() };
  /** Measured-phase answers in completion order: when each was sent (performance.now() ms) and its latency (ms). */
  readonly timeline = { sentAt: new Samples(), latencyMs: new Samples() };
  /** Answers completed in each second since the measured phase began (index: whole seconds). */
  readonly perSecond: number[] = [];
  #measuredAt = 0;
  /** Per connection: requests sent on it and when its last answer ended (to describe a transport failure). */
  readonly #sockets = new WeakMap<Socket, { requests: number; lastDoneAt: number | null }>();
  sent = 0;
  shed = 0;
  /** When each shed request fell due (performance.now() ms). */
  readonly shedAt = new Samples();
  maxInFlight = 0;

  constructor(opts: DriverOptions) {
    this.#opts = opts;
    const u = new URL(opts.url);
    this.#host = u.hostname;
    this.#port = Number(u.port);
    // idle connections are closed by this side after 5 s, before the server's keep-alive timeout (10 s): Node's agent
    // ignores the server's Keep-Alive hint unless it has a timeout of its own, and reusing a connection the server is
    // closing at that moment fails with ECONNRESET (a client race, not a server error)
    this.#agent = new Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections, timeout: 5000 });
  }

  /** Starts sending at the steady rate. */
  start(): void {
    if (this.#timer !== null) return;
    this.#startedAt = performance.now();
    this.#due = 0;
    this.#timer = setInterval(() => this.#tick(), 5);
  }

  /** Switches phase (requests sent from now on count for `phase`). */
  setPhase(phase: Phase): void {
    this.phase = phase;
    if (phase === 'measured') this.#measuredAt = performance.now();
  }

  /** Stops sending and waits for the answers in flight (start() resumes the steady rate from then on). */
  async pause(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    this.#idle = null;
  }

  /** Pauses and closes the connections. */
  async close(): Promise<void> {
    await this.pause();
    this.#agent.destroy();
  }

  #tick(): void {
    const target = Math.floor(((performance.now() - this.#startedAt) / 1000) * this.#opts.rate);
    while (this.#due < target) {
      this.#due++;
      if (this.#inFlight >= this.#opts.connections) {
        this.shed++;
        this.shedAt.push(performance.now());
        continue;
      }
      this.#send(this.#opts.planner.next());
    }
  }

  #send(req: PlannedRequest): void {
    const phase = this.phase;
    const floor = this.#opts.verifier.floor;
    this.#inFlight++;
    this.sent++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    let done = false;
    const t0 = performance.now();
    let socketInfo: { requests: number; lastDoneAt: number | null } | null = null;
    let onSocket = 'no connection yet';
    const finish = (outcome: Outcome): void => {
      if (done) return;
      done = true;
      const now = performance.now();
      const s = this.stats[phase][req.kind];
      s.outcomes[outcome]++;
      s.latencyMs.push(now - t0);
      if (phase === 'measured') {
        this.timeline.sentAt.push(t0);
        this.timeline.latencyMs.push(now - t0);
        const second = Math.floor((now - this.#measuredAt) / 1000);
        while (this.perSecond.length <= second) this.perSecond.push(0);
        this.perSecond[second] = (this.perSecond[second] as number) + 1;
      }
      if (socketInfo !== null) socketInfo.lastDoneAt = now;
      if (--this.#inFlight === 0 && this.#idle !== null) this.#idle();
    };
    const r = httpRequest({
      agent: this.#agent, host: this.#host, port: this.#port, method: req.method, path: req.path,
      ...(req.hostile && this.#opts.hostileAddress !== undefined ? { localAddress: this.#opts.hostileAddress } : {}),
      headers: req.body === null ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
      timeout: this.#opts.timeoutMs ?? 10_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => {
        this.#opts.verifier.failed(req, `${e.message} (${onSocket})`);
        finish('unexpected');
      });
      res.on('end', () => {
        if (done) return;
        const answer = {
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          wwwAuthenticate: res.headers['www-authenticate'],
          retryAfter: typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        finish(this.#opts.verifier.check(req, answer, floor));
      });
    });
    r.on('socket', (socket: Socket) => {
      let info = this.#sockets.get(socket);
      if (info === undefined) this.#sockets.set(socket, (info = { requests: 0, lastDoneAt: null }));
      info.requests++;
      onSocket = `request ${info.requests} of its connection, ${info.lastDoneAt === null ? 'a new connection' : `idle ${(t0 - info.lastDoneAt).toFixed(0)} ms before`}`;
      socketInfo = info;
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${this.#opts.timeoutMs ?? 10_000} ms`)));
    r.on('error', (e) => {
      if (done) return;
      this.#opts.verifier.failed(req, `${e.message} (${onSocket})`);
      finish('unexpected');
    });
    r.end(req.body ?? undefined);
  }
}
