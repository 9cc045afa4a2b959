/**
 * The soak's operator and monitor, both through the API as an operator would use it:
 * - {@link Operator}: every interval promotes the next candidate or rolls back (POST /v1/runs/{id}/promote and
 *   POST /v1/rollback with an admin key and `expectedActiveRunId`), in cycles of promote, promote, rollback, rollback
 *   (so the rollbacks walk back through two generations to the base run); each acknowledgement must name the
 *   expected active run and say this server already serves it (`served`), and is passed to the verifier;
 * - {@link MemorySampler}: every few seconds reads GET /metrics (analyst key): the server's resident memory and V8
 *   heap in use (bytes), its snapshot swaps and refresh errors.
 */
import type { Verifier } from './verify.ts';

/** One promotion or rollback as the operator saw it. Times in seconds since the soak started. */
export interface LifecycleEvent {
  readonly action: 'promote' | 'rollback';
  /** The run expected to become active. */
  readonly runId: string;
  readonly ok: boolean;
  readonly status: number;
  readonly generation: number | null;
  readonly servedGeneration: number | null;
  readonly sentAtS: number;
  readonly latencyMs: number;
  readonly detail: string;
}

interface LifecycleBody {
  activeRunId?: unknown;
  generation?: unknown;
  served?: { runId?: unknown; generation?: unknown };
}

/** See the module comment. */
export class Operator {
  readonly events: LifecycleEvent[] = [];
  readonly #url: string;
  readonly #key: string;
  readonly #verifier: Verifier;
  readonly #candidates: string[];
  readonly #stack: string[];
  readonly #t0: number;
  #step = 0;
  #busy: Promise<void> = Promise.resolve();

  constructor(url: string, adminKey: string, baseRunId: string, candidates: readonly string[], verifier: Verifier, t0: number) {
    this.#url = url;
    this.#key = adminKey;
    this.#verifier = verifier;
    this.#candidates = [...candidates];
    this.#stack = [baseRunId];
    this.#t0 = t0;
  }

  /** The run the operator made active last. */
  get active(): string {
    return this.#stack[this.#stack.length - 1] as string;
  }

  /** Resolves when the action in progress (if any) has finished. */
  settled(): Promise<void> {
    return this.#busy;
  }

  /** Runs the next action of the cycle (serialised behind the previous one). */
  act(): Promise<void> {
    this.#busy = this.#busy.then(() => this.#act());
    return this.#busy;
  }

  async #act(): Promise<void> {
    const wantRollback = this.#step % 4 >= 2 && this.#stack.length > 1;
    const next = this.#candidates[0];
    if (!wantRollback && next === undefined && this.#stack.length === 1) return; // out of candidates, back at the base
    this.#step++;
    const rollback = wantRollback || next === undefined;
    const expected = rollback ? (this.#stack[this.#stack.length - 2] as string) : (next as string);
    const path = rollback ? '/v1/rollback' : `/v1/runs/${expected}/promote`;
    const body = rollback ? { expectedActiveRunId: this.active, reason: 'soak rollback' } : { expectedActiveRunId: this.active, reason: 'soak promotion' };
    const t = performance.now();
    let status = 0;
    let text = '';
    try {
      const r = await fetch(`${this.#url}${path}`, {
        method: 'POST',
        headers: { 'authorization': `Bearer ${this.#key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      status = r.status;
      text = await r.text();
    } catch (e) {
      text = (e as Error).message;
    }
    const latencyMs = performance.now() - t;
    let parsed: LifecycleBody = {};
    try {
      parsed = JSON.parse(text) as LifecycleBody;
    } catch {
      // not JSON: reported through detail below
    }
    const generation = typeof parsed.generation === 'number' ? parsed.generation : null;
    const servedGeneration = typeof parsed.served?.generation === 'number' ? parsed.served.generation : null;
    const ok = status === 200 && parsed.activeRunId === expected && generation !== null && servedGeneration === generation && parsed.served?.runId === expected;
    if (ok) {
      if (rollback) this.#stack.pop();
      else {
        this.#candidates.shift();
        this.#stack.push(expected);
      }
      this.#verifier.acknowledged(generation, expected);
    }
    this.events.push({
      action: rollback ? 'rollback' : 'promote', runId: expected, ok, status, generation, servedGeneration,
      sentAtS: (t - this.#t0) / 1000, latencyMs, detail: ok ? '' : text.slice(0, 400),
    });
  }
}

/** One /metrics reading. Time in seconds since the soak started; memory in bytes. */
export interface MemorySample {
  readonly tS: number;
  readonly phase: string;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly swaps: number;
  readonly refreshErrors: number;
}

/** The value of an unlabelled metric in a Prometheus text exposition (NaN when absent). */
export function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m === null ? Number.NaN : Number(m[1]);
}

/** Sum of `aftershock_http_requests_total` series by status class ("2xx", "4xx", "5xx"...). */
export function requestsByStatusClass(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^aftershock_http_requests_total\{[^}]*status="(\d)\d\d"[^}]*\} (\S+)$/gm)) {
    const cls = `${m[1]}xx`;
    out[cls] = (out[cls] ?? 0) + Number(m[2]);
  }
  return out;
}

/** See the module comment. */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  /** Failed scrapes (an unexpected error of the soak). */
  readonly failures: string[] = [];
  readonly #url: string;
  readonly #key: string;
  readonly #t0: number;
  /** The last exposition read. */
  lastText = '';

  constructor(url: string, analystKey: string, t0: number) {
    this.#url = url;
    this.#key = analystKey;
    this.#t0 = t0;
  }

  /** Reads /metrics once and records a sample tagged `phase`. */
  async sample(phase: string): Promise<MemorySample | null> {
    try {
      const r = await fetch(`${this.#url}/metrics`, { headers: { authorization: `Bearer ${this.#key}` } });
      const text = await r.text();
      if (r.status !== 200) throw new Error(`GET /metrics answered ${r.status}: ${text.slice(0, 200)}`);
      this.lastText = text;
      const s: MemorySample = {
        tS: (performance.now() - this.#t0) / 1000,
        phase,
        rssBytes: metricValue(text, 'process_resident_memory_bytes'),
        heapUsedBytes: metricValue(text, 'nodejs_heap_used_bytes'),
        swaps: metricValue(text, 'aftershock_calibration_swaps'),
        refreshErrors: metricValue(text, 'aftershock_calibration_refresh_errors'),
      };
      if (!Number.isFinite(s.rssBytes) || !Number.isFinite(s.heapUsedBytes)) throw new Error('GET /metrics has no process_resident_memory_bytes or nodejs_heap_used_bytes');
      this.samples.push(s);
      return s;
    } catch (e) {
      this.failures.push((e as Error).message);
      return null;
    }
  }
}
