/**
 * The API's metrics: request counts and latency per route template (never per raw URL, so ids do not explode the
 * series), authentication failures, rate-limited requests, the active calibration (generation, run id, swaps,
 * refresh errors, staleness, accounts served), the key cache, and the process (resident memory, heap, uptime).
 * Latencies in seconds.
 */
import type { CalibrationHolder } from '../calibration/holder.ts';
import type { ApiKeyCache } from '../auth/keyCache.ts';
import { Counter, Gauge, Histogram, MetricsRegistry } from './registry.ts';

/** Upper bounds of the request-latency buckets, seconds. */
export const LATENCY_BUCKETS = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);

/** The metrics an app instance records. */
export interface ApiMetrics {
  readonly registry: MetricsRegistry;
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly authFailures: Counter;
  readonly rateLimited: Counter;
}

/** Creates the registry; gauges read `holder`, `keys` and the process at scrape time. */
export function createApiMetrics(holder: CalibrationHolder, keys: ApiKeyCache, startedAt: number, clock: () => number): ApiMetrics {
  const registry = new MetricsRegistry();
  const requests = registry.register(new Counter('aftershock_http_requests_total', 'HTTP requests answered, by method, route template and status code.', ['method', 'route', 'status']));
  const duration = registry.register(new Histogram('aftershock_http_request_duration_seconds', 'Time from receiving a request to sending its response, by method and route template.', LATENCY_BUCKETS, ['method', 'route']));
  const authFailures = registry.register(new Counter('aftershock_auth_failures_total', 'Requests refused for a missing, malformed or unknown API key.', ['reason']));
  const rateLimited = registry.register(new Counter('aftershock_rate_limited_total', 'Requests refused by the per-key rate limit.'));
  registry.register(new Gauge('aftershock_calibration_generation', 'Generation of the active-calibration pointer the served snapshot was loaded for (-1: none loaded).', [], () => [{ value: holder.current.generation }]));
  registry.register(new Gauge('aftershock_calibration_observed_generation', 'Generation of the active-calibration pointer last read from the store.', [], () => [{ value: holder.observedGeneration }]));
  registry.register(new Gauge('aftershock_calibration_active_info', 'The active run served (value 1, run id in the label; absent when nothing is active).', ['run_id'], () => {
    const run = holder.current.run;
    return run === null ? [] : [{ labels: { run_id: run.id }, value: 1 }];
  }));
  registry.register(new Gauge('aftershock_calibration_stale', '1 when the store\'s active pointer has moved past the served snapshot (a refresh failed or is pending).', [], () => [{ value: holder.stale ? 1 : 0 }]));
  registry.register(new Gauge('aftershock_calibration_swaps', 'Snapshots swapped in since start.', [], () => [{ value: holder.swaps }]));
  registry.register(new Gauge('aftershock_calibration_refresh_errors', 'Failed refreshes of the active calibration since start.', [], () => [{ value: holder.refreshErrors }]));
  registry.register(new Gauge('aftershock_calibration_accounts', 'Accounts in the served snapshot.', [], () => [{ value: holder.current.calibration?.accounts.size ?? 0 }]));
  registry.register(new Gauge('aftershock_calibration_snapshot_age_seconds', 'Seconds since the served snapshot was loaded.', [], () => [{ value: Math.max(0, (clock() - holder.current.loadedAt) / 1000) }]));
  registry.register(new Gauge('aftershock_api_key_cache_entries', 'API keys (and rejected tokens) held by the verification cache.', [], () => [{ value: keys.size }]));
  registry.register(new Gauge('aftershock_api_key_verifications', 'Key verifications that went to the store (scrypt) since start.', [], () => [{ value: keys.verifications }]));
  registry.register(new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], () => [{ value: process.memoryUsage.rss() }]));
  registry.register(new Gauge('nodejs_heap_used_bytes', 'V8 heap in use, bytes.', [], () => [{ value: process.memoryUsage().heapUsed }]));
  registry.register(new Gauge('aftershock_uptime_seconds', 'Seconds since this API instance started.', [], () => [{ value: Math.max(0, (clock() - startedAt) / 1000) }]));
  return { registry, requests, duration, authFailures, rateLimited };
}
