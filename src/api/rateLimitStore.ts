/**
 * The in-memory store of the per-key rate limit (a fixed window per key). It replaces @fastify/rate-limit's own
 * LocalStore, which hands every caller the SAME mutable counter object: when concurrent requests of one key reach
 * the limiter in the same tick (all of them waiting on one key verification, say), each read the count after all
 * of them had incremented it, and a burst of N > max requests was refused entirely instead of serving `max`
 * (found by test/reliability/security-ratelimit.test.ts). Here each caller gets a snapshot of its own increment.
 * At most `maxKeys` keys are tracked; the least recently used goes first.
 */

/** What the limiter reads back from an increment: the count in the window including this request, and ms left. */
export interface RateLimitCount {
  readonly current: number;
  readonly ttl: number;
}

interface Window {
  count: number;
  startedAt: number;
}

/** A fixed-window counter per key (see the module comment); `clock` in ms (default Date.now). */
export class RateLimitStore {
  readonly #windows = new Map<string, Window>();
  readonly #maxKeys: number;
  readonly #clock: () => number;

  constructor(_params?: unknown, options: { readonly maxKeys?: number; readonly clock?: () => number } = {}) {
    this.#maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.#clock = options.clock ?? Date.now;
  }

  /** Counts one request of `key` in a window of `timeWindowMs` and reports its count (the @fastify/rate-limit store interface). */
  incr(key: string, callback: (error: Error | null, result: RateLimitCount) => void, timeWindowMs: number): void {
    const now = this.#clock();
    let w = this.#windows.get(key);
    if (w === undefined || w.startedAt + timeWindowMs <= now) w = { count: 0, startedAt: now };
    else this.#windows.delete(key); // re-inserted below: most recently used last
    w.count++;
    this.#windows.set(key, w);
    while (this.#windows.size > this.#maxKeys) this.#windows.delete(this.#windows.keys().next().value as string);
    callback(null, { current: w.count, ttl: Math.max(0, w.startedAt + timeWindowMs - now) });
  }

  /** A store for a route with its own limit (the plugin's interface; the API uses one limit everywhere). */
  child(): RateLimitStore {
    return new RateLimitStore(undefined, { maxKeys: this.#maxKeys, clock: this.#clock });
  }
}
