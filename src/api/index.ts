/**
 * The risk-desk HTTP API (DESIGN.md §8): `buildApp(options)` for a ready fastify instance (tests use `inject`),
 * `aftershockApi` to register the API on an instance of your own, `startServer` to listen with graceful shutdown.
 * Runs are started through an injected {@link RunLauncher}.
 */
export { buildApp, DEFAULT_BODY_LIMIT, DEFAULT_SERVER_TIMEOUTS, REDACTED_PATHS, serverTimeouts } from './app.ts';
export type { BuildAppOptions, ApiLoggerOptions, ServerTimeouts } from './app.ts';
export { aftershockApi, API_VERSION } from './plugin.ts';
export type { AftershockApiOptions } from './plugin.ts';
export { startServer } from './server.ts';
export type { StartServerOptions, RunningServer } from './server.ts';
export { createApiRuntime, DEFAULT_RATE_LIMIT } from './runtime.ts';
export type { ApiOptions, ApiRuntime, RateLimitOptions } from './runtime.ts';
export { checkInputName, checkRecalibrationRequest } from './launcher.ts';
export type { RecalibrationRequest, RunLauncher } from './launcher.ts';
export { PERMISSIONS, roleMay } from './auth/permissions.ts';
export type { Permission, Principal } from './auth/permissions.ts';
export { ApiKeyCache, tokenDigest } from './auth/keyCache.ts';
export { CalibrationHolder } from './calibration/holder.ts';
export type { CalibrationSnapshot, RunCalibration, AccountEntry, MarginEngine } from './calibration/snapshot.ts';
export { readAttribution } from './calibration/attribution.ts';
export type { Attribution, AttributionReading } from './calibration/attribution.ts';
export { ApiProblem, PROBLEM_KINDS, problemType } from './problem.ts';
export type { ProblemBody, ProblemKind, FieldIssue } from './problem.ts';
export { MetricsRegistry, Counter, Gauge, Histogram, PROMETHEUS_CONTENT_TYPE } from './metrics/registry.ts';
export { AuthFailureBudget, DEFAULT_AUTH_FAILURE_LIMIT, clientKeyOf, type AuthFailureLimitOptions } from './authFailureBudget.ts';
