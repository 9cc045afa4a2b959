/**
 * Every route of the API, as the app itself lists them, and the security suite's description of each: the least
 * role allowed, valid path parameters, query and body (the starting points of the injection and traversal probes),
 * and whether a success changes the store. `appRoutes(app)` reads the route tree of a built app (fastify's
 * printRoutes, every method of every path, HEAD included); `routePermissions` registers the API plugin on a bare
 * fastify with an onRoute hook and reports each route's declared permission. `uncovered(routes)` lists the routes
 * the table below does not describe: the suite fails on any, so a new route cannot go unprobed.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { aftershockApi, type ApiOptions } from '../../../src/api/index.ts';

/** One route: method and fastify URL template (e.g. `GET /v1/runs/:id`). */
export interface AppRoute {
  readonly method: string;
  readonly url: string;
}

/** Routes of a built app from its route tree (fastify printRoutes without common prefixes). */
export function appRoutes(app: FastifyInstance): AppRoute[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: AppRoute[] = [];
  for (const line of text.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (m === null) continue;
    const depth = (m[1] as string).length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${m[2] as string}`;
    stack.push(m[2] as string);
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) out.push({ method, url: path });
  }
  return out.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

/** `METHOD url` -> the permission its config declares (null: none), from the plugin registered with an onRoute hook. */
export async function routePermissions(options: ApiOptions): Promise<Map<string, string | null>> {
  const bare = Fastify();
  const seen = new Map<string, string | null>();
  bare.addHook('onRoute', (route) => {
    const permission = (route.config as { permission?: unknown } | undefined)?.permission;
    for (const method of [route.method].flat()) seen.set(`${method} ${route.url}`, typeof permission === 'string' ? permission : null);
  });
  try {
    await bare.register(aftershockApi, options);
    await bare.ready();
  } finally {
    await bare.close();
  }
  return seen;
}

/** Roles in increasing power. */
export type Role = 'desk' | 'analyst' | 'admin';

/** The suite's description of one route (see the module comment). */
export interface RouteCase {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** fastify URL template. */
  readonly url: string;
  /** Least role allowed (the README's table: desk < analyst < admin); public routes: 'public'. */
  readonly minRole: Role | 'public';
  /** Valid path parameters. */
  readonly params?: Readonly<Record<string, string>>;
  /** A valid query (its keys are injection points). */
  readonly query?: Readonly<Record<string, string>>;
  /** A valid JSON body (its string fields are injection points). */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Whether a success changes the store. */
  readonly mutates?: boolean;
}

const POSITIONS = [{ instrument: 'BTC-PERPETUAL', quantity: 1 }];

/** Every route of the API (HEAD routes are probed through their GET case). */
export const ROUTE_CASES: readonly RouteCase[] = Object.freeze([
  { method: 'GET', url: '/health', minRole: 'public' },
  { method: 'GET', url: '/docs', minRole: 'public' },
  { method: 'GET', url: '/docs/', minRole: 'public' },
  { method: 'GET', url: '/docs/json', minRole: 'public' },
  { method: 'GET', url: '/docs/yaml', minRole: 'public' },
  { method: 'GET', url: '/docs/static/index.html', minRole: 'public' },
  { method: 'GET', url: '/docs/static/swagger-initializer.js', minRole: 'public' },
  { method: 'GET', url: '/docs/*', minRole: 'public', params: { '*': 'static/swagger-ui.css' } },
  { method: 'GET', url: '/v1/accounts/:id/margin', minRole: 'desk', params: { id: 'ACC-R1' } },
  { method: 'POST', url: '/v1/margin/what-if', minRole: 'desk', body: { positions: POSITIONS, accountId: 'ACC-R1', worst: 3 } },
  { method: 'GET', url: '/v1/surfaces/:underlying', minRole: 'desk', params: { underlying: 'BTC' }, query: { run: 'run-B' } },
  { method: 'GET', url: '/v1/correlation', minRole: 'desk', query: { run: 'run-B' } },
  { method: 'GET', url: '/v1/scenarios', minRole: 'desk', query: { run: 'run-B' } },
  { method: 'POST', url: '/v1/runs', minRole: 'analyst', body: { incident: '2026-02-05-drawdown', market: 'market', portfolios: 'fixture-accounts', models: 'default' }, mutates: true },
  { method: 'GET', url: '/v1/runs', minRole: 'analyst', query: { status: 'candidate', limit: '10' } },
  { method: 'GET', url: '/v1/runs/:id', minRole: 'analyst', params: { id: 'run-B' } },
  { method: 'GET', url: '/v1/runs/:id/report', minRole: 'analyst', params: { id: 'run-A' }, query: { format: 'json' } },
  { method: 'POST', url: '/v1/runs/:id/promote', minRole: 'admin', params: { id: 'run-B' }, body: { reason: 'security suite', expectedActiveRunId: 'run-A' }, mutates: true },
  { method: 'POST', url: '/v1/rollback', minRole: 'admin', body: { reason: 'security suite', expectedActiveRunId: 'run-B' }, mutates: true },
  { method: 'POST', url: '/v1/stress-tests', minRole: 'analyst', body: { portfolios: [{ id: 'p1', positions: POSITIONS }], accountIds: ['ACC-R1'], worst: 3 } },
  { method: 'POST', url: '/v1/stress-batches', minRole: 'analyst', body: { portfolios: 'desk-book', shardSize: 10 }, mutates: true },
  { method: 'GET', url: '/v1/stress-batches', minRole: 'analyst', query: { schedule: 'sched-sec', limit: '10' } },
  { method: 'GET', url: '/v1/stress-batches/:id', minRole: 'analyst', params: { id: 'batch-sec' } },
  { method: 'GET', url: '/v1/stress-batches/:id/report', minRole: 'analyst', params: { id: 'batch-sec' }, query: { top: '5' } },
  { method: 'GET', url: '/v1/schedules', minRole: 'analyst' },
  { method: 'POST', url: '/v1/schedules', minRole: 'analyst', body: { id: 'sched-new', cron: '0 4 * * *', jobKind: 'stress', payload: { note: 'x' }, enabled: false }, mutates: true },
  { method: 'DELETE', url: '/v1/schedules/:id', minRole: 'analyst', params: { id: 'sched-sec' }, mutates: true },
  { method: 'GET', url: '/metrics', minRole: 'analyst' },
] satisfies RouteCase[]);

/** The routes of `routes` no case describes (a HEAD route is covered by the GET case of its URL). */
export function uncovered(routes: readonly AppRoute[], cases: readonly RouteCase[] = ROUTE_CASES): string[] {
  const have = new Set(cases.map((c) => `${c.method} ${c.url}`));
  return routes
    .filter((r) => !have.has(`${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`))
    .map((r) => `${r.method} ${r.url}`);
}

/** encodeURIComponent, or for a string it cannot encode (a lone surrogate) the percent-encoding of its WTF-8 bytes. */
export function enc(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    let out = '';
    for (const ch of v) {
      const cp = ch.codePointAt(0) as number;
      if (cp >= 0xd800 && cp <= 0xdfff) out += `%${(0xe0 | (cp >> 12)).toString(16)}%${(0x80 | ((cp >> 6) & 0x3f)).toString(16)}%${(0x80 | (cp & 0x3f)).toString(16)}`.toUpperCase();
      else out += encodeURIComponent(ch);
    }
    return out;
  }
}

/** The concrete URL of a case with `params` (encoded with {@link enc} unless `raw`) and `query`. */
export function urlOf(c: RouteCase, params: Readonly<Record<string, string>> = c.params ?? {}, query: Readonly<Record<string, string>> | null = null, raw = false): string {
  let path = c.url;
  for (const [k, v] of Object.entries(params)) path = path.replace(k === '*' ? '*' : `:${k}`, raw ? v : k === '*' ? v : enc(v));
  if (query === null || Object.keys(query).length === 0) return path;
  return `${path}?${Object.entries(query).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`;
}

/** Whether `role` may use a case (the README's table). */
export function roleAllowed(role: Role, c: RouteCase): boolean {
  if (c.minRole === 'public') return true;
  const rank = { desk: 0, analyst: 1, admin: 2 } as const;
  return rank[role] >= rank[c.minRole];
}

/** The keys of a problem body. */
export const PROBLEM_KEYS = ['detail', 'errors', 'instance', 'requestId', 'status', 'title', 'type'];

/** Text that must never appear in an error body: stack frames, SQL, file paths, engine names, key material. */
export const LEAKS = /\bat [\w.<>]+ \(|\n\s+at |stack|select |insert into|delete from|drop table|sqlite|postgres|syntax error|no such (table|column)|\/tmp\/|\/work\/|node_modules|\.ts\b|ak_[0-9a-f]{16}\./i;
