/**
 * The options of the API and the per-instance runtime built from them: the store, the calibration holder, the key
 * cache, the failed-authentication budget, the metrics and the launcher. One runtime serves one app; `buildApp` creates it and decorates the app with
 * it (`app.aftershock`), so tests and the server can look at the calibration being served.
 */
import { ActiveKeyIds, storeKeyIdLookup } from './auth/activeKeyIds.ts';
import type { Store } from '../store/index.ts';
import { verifyApiKey } from '../store/index.ts';
import { ApiKeyCache } from './auth/keyCache.ts';
import { AuthFailureBudget, DEFAULT_AUTH_FAILURE_LIMIT, type AuthFailureLimitOptions } from './authFailureBudget.ts';
import { CalibrationHolder } from './calibration/holder.ts';
import type { CalibrationSnapshot } from './calibration/snapshot.ts';
import type { RunLauncher } from './launcher.ts';
import { createBatchLauncher, type BatchLauncher } from '../jobs/batch/launcher.ts';
import { createApiMetrics, type ApiMetrics } from './metrics/apiMetrics.ts';

/**
 * Per-key request budget: at most `max` requests per `timeWindowMs`. Requests without a valid key never reach it
 * (the key check refuses them first); their cost is bounded by {@link ApiOptions.authFailureLimit} instead.
 */
export interface RateLimitOptions {
  readonly max: number;
  readonly timeWindowMs: number;
}

/** Options of the API plugin and of buildApp. */
export interface ApiOptions {
  /** The open store (its owner closes it; the app never does). */
  readonly store: Store;
  /** Starts recalibrations for POST /v1/runs; absent or null: that route answers 503. */
  readonly launcher?: RunLauncher | null;
  /**
   * Starts stress batches for POST /v1/stress-batches and mirrors stress-batch schedules. Default: a launcher on the
   * store (SQLite: shards in this process in the background; PostgreSQL: pg-boss on the store's URL, unless the URL
   * hides a password, then none). Null: POST /v1/stress-batches answers 503. A launcher passed in is not closed.
   */
  readonly batches?: BatchLauncher | null;
  /** Poll period of the store's active pointer, ms (default 1000; 0: no polling, only API promotions swap). */
  readonly pollIntervalMs?: number;
  /** How long verified keys are trusted without the store, ms (default 30 000), and rejected tokens remembered (default 5 000). */
  readonly keyCacheTtlMs?: number;
  readonly keyCacheNegativeTtlMs?: number;
  /** Per-key rate limit (default 3000 requests per minute); false disables it. */
  readonly rateLimit?: RateLimitOptions | false;
  /**
   * Per-client-address budget of failed authentications (authFailureBudget.ts): default 20 per minute, or false
   * (none) when `rateLimit` is false; false disables it; a value given here applies whatever `rateLimit` is.
   */
  readonly authFailureLimit?: AuthFailureLimitOptions | false;
  /** Serve OpenAPI and Swagger UI at /docs (default true). */
  readonly docs?: boolean;
  /** Clock, ms UTC (default Date.now). */
  readonly clock?: () => number;
  /** Verifies a presented key (default: the store's verifyApiKey). */
  readonly verifyKey?: (store: Store, token: string) => ReturnType<typeof verifyApiKey>;
}

/** Default per-key rate limit: 3000 requests a minute (50 a second sustained). */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = Object.freeze({ max: 3000, timeWindowMs: 60_000 });

/** The per-instance state of the API. */
export interface ApiRuntime {
  readonly store: Store;
  readonly holder: CalibrationHolder;
  readonly keys: ApiKeyCache;
  readonly metrics: ApiMetrics;
  readonly launcher: RunLauncher | null;
  readonly batches: BatchLauncher | null;
  /** Whether the runtime made `batches` (the plugin then closes it with the app). */
  readonly ownsBatches: boolean;
  readonly rateLimit: RateLimitOptions | false;
  /** The failed-authentication budget, or null when disabled. */
  readonly authFailures: AuthFailureBudget | null;
  /**
   * Per key id budget of failed authentications, used only for requests from an address over `authFailures`: a token
   * naming an active key still gets its check, charged here (null when the budget is off).
   */
  readonly authFailuresPerKey: AuthFailureBudget | null;
  /** Active key ids (no KDF), for requests from an address over its budget. */
  readonly keyIds: ActiveKeyIds;
  readonly docs: boolean;
  readonly clock: () => number;
  readonly startedAt: number;
  /** Where holder errors and swaps are reported (the plugin points it at the app's logger). */
  readonly log: RuntimeLog;
}

/** Where the runtime reports holder errors and swaps; the plugin points it at the app's logger. */
export interface RuntimeLog {
  error(obj: unknown, msg: string): void;
  info(obj: unknown, msg: string): void;
}

/** Builds the runtime of `options` (nothing is loaded yet: the plugin loads the first snapshot). */
export function createApiRuntime(options: ApiOptions): ApiRuntime {
  const clock = options.clock ?? Date.now;
  const verify = options.verifyKey ?? verifyApiKey;
  const log: RuntimeLog = { error: () => undefined, info: () => undefined };
  const holder = new CalibrationHolder(options.store, {
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    clock,
    onError: (e) => log.error({ err: e }, 'refreshing the active calibration failed; serving the previous snapshot'),
    onSwap: (s: CalibrationSnapshot, prev: CalibrationSnapshot) =>
      log.info({ generation: s.generation, runId: s.run?.id ?? null, previousGeneration: prev.generation }, 'active calibration swapped'),
  });
  const keys = new ApiKeyCache((token) => verify(options.store, token), {
    ...(options.keyCacheTtlMs === undefined ? {} : { ttlMs: options.keyCacheTtlMs }),
    ...(options.keyCacheNegativeTtlMs === undefined ? {} : { negativeTtlMs: options.keyCacheNegativeTtlMs }),
    clock,
  });
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const failureLimit = options.authFailureLimit ?? (rateLimit === false ? false : DEFAULT_AUTH_FAILURE_LIMIT);
  const startedAt = clock();
  const ownsBatches = options.batches === undefined;
  return {
    store: options.store,
    holder,
    keys,
    metrics: createApiMetrics(holder, keys, startedAt, clock),
    launcher: options.launcher ?? null,
    batches: ownsBatches ? defaultBatchLauncher(options.store, log) : (options.batches ?? null),
    ownsBatches,
    rateLimit,
    authFailures: failureLimit === false ? null : new AuthFailureBudget(failureLimit, { clock }),
    authFailuresPerKey: failureLimit === false ? null : new AuthFailureBudget(failureLimit, { clock }),
    keyIds: new ActiveKeyIds(storeKeyIdLookup(options.store), {
      ...(options.keyCacheTtlMs === undefined ? {} : { ttlMs: options.keyCacheTtlMs }),
      ...(options.keyCacheNegativeTtlMs === undefined ? {} : { negativeTtlMs: options.keyCacheNegativeTtlMs }),
      clock,
    }),
    docs: options.docs ?? true,
    clock,
    startedAt,
    log,
  };
}

/** The default batch launcher of `store` (see ApiOptions.batches). */
function defaultBatchLauncher(store: Store, log: RuntimeLog): BatchLauncher | null {
  const onError = (e: unknown, batchId: string): void => log.error({ err: e, batchId }, 'stress batch failed');
  if (store.dialect === 'sqlite') return createBatchLauncher({ store, onError });
  if (store.target.includes('***')) return null;
  return createBatchLauncher({ store, onError, boss: { url: store.target } });
}
