/**
 * HTTP API benchmark (issue 8): the real server (src/api/server.ts) on 127.0.0.1, driven by autocannon.
 *
 *   npx tsx scripts/bench/api.ts                       # 10 s per row, 10 connections
 *   npx tsx scripts/bench/api.ts --duration 20 --connections 16
 *   npx tsx scripts/bench/api.ts --profile /tmp/prof   # V8 CPU profile of the server process into that directory
 *
 * Setup (not timed): a temporary SQLite store seeded like a real calibration, with the 3000 accounts of
 * fixtures/portfolios/fixture-accounts.json (ids, desks, books, collateral at 2026-02-04 spot prices), a synthetic P&L
 * matrix over the 741 instruments those books hold x 1100 FHS-like scenarios (test/api/support/seed.ts: heavy-tailed
 * BTC returns, ETH correlated, delta + gamma P&L per unit), the released fhs-es margin model with the incident add-on,
 * and every account's margin computed by the run's own scenarioMargin. One analyst key.
 *
 * The server runs in a child process (its own event loop and V8, as in production: `--serve` mode of this script)
 * with polling on (1 s), the per-key rate limiter on (with a budget far above the load) and request logging at
 * `warn` (no per-request lines). The parent runs autocannon: a 2 s warm-up, then for `--duration` seconds
 * - GET /v1/accounts/{id}/margin, ids rotating over all 3000 accounts (autocannon `setupRequest`);
 * - POST /v1/margin/what-if with one seeded 50-position portfolio drawn from the calibration's instruments.
 * Goals: reads >= 10 000 req/s with p99 <= 10 ms; what-if p99 <= 20 ms. On the 2-core development machine the load
 * generator shares the CPU with the server (and with anything else running): the output prints the load average and
 * the CPU seconds each process used, so the figures can be read as what they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startServer } from '../../src/api/index.ts';
import { createRng } from '../../src/math/index.ts';
import { createApiKey, openStore, promoteRun } from '../../src/store/index.ts';
import { seedRun, type SeedAccount, type SeedInstrument } from '../../test/api/support/seed.ts';
import { renderTable } from './support/table.ts';
import { formatLoad, machineInfo } from './support/timing.ts';

const { values: argv } = parseArgs({
  options: {
    serve: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    scenarios: { type: 'string', default: '1100' },
    seed: { type: 'string', default: '20260205' },
    profile: { type: 'string' },
  },
});

const ROOT = join(import.meta.dirname, '..', '..');
/** Spot prices of 2026-02-04 (BTC-PERPETUAL and ETH-PERPETUAL marks of the fixture snapshot), USD. */
const SPOT: Readonly<Record<string, number>> = { BTC: 73_083, ETH: 2_143.35, USDC: 1, USDT: 1 };

// ---------------------------------------------------------------------------------------------- server (child) mode

if (argv.serve !== undefined) {
  const store = await openStore(argv.serve);
  const server = await startServer({
    store,
    host: '127.0.0.1',
    port: 0,
    pollIntervalMs: 1000,
    rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 },
    logger: { level: 'warn', stream: { write: (l) => process.stderr.write(l) } },
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  await server.closed;
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------- driver mode

/** autocannon has no bundled types: the part of its programmatic API used here. */
interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number; readonly max: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly duration: number;
  /** Responses per status code, e.g. { "200": { count: 1234 } }. */
  readonly statusCodeStats?: Readonly<Record<string, { readonly count: number }>>;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (opts: {
  url: string; connections: number; duration: number; pipelining?: number; headers?: Record<string, string>;
  method?: string; body?: string; requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface FixtureAccount {
  readonly id: string;
  readonly desk: string;
  readonly positions: readonly { readonly instrument: string; readonly quantity: number }[];
  readonly collateral: readonly { readonly asset: string; readonly quantity: number }[];
}

/** One instrument row from its Deribit name: delta and convexity per unit of a rough book at 2026-02-04 spot. */
function instrumentOf(name: string): SeedInstrument {
  const [under = name, , strike, type] = name.split('-');
  const spot = SPOT[under];
  if (spot === undefined || under === 'USDC' || under === 'USDT') return { id: name, underlying: null, deltaUsdPerUnit: 0, gammaUsdPerUnit: 0 };
  if (type === 'C' || type === 'P') {
    const moneyness = Math.log(spot / Number(strike));
    const callDelta = 1 / (1 + Math.exp(-4 * moneyness)); // a smooth stand-in for N(d1)
    const delta = type === 'C' ? callDelta : callDelta - 1;
    return { id: name, underlying: under, deltaUsdPerUnit: delta * spot, gammaUsdPerUnit: 2 * spot * callDelta * (1 - callDelta) };
  }
  return { id: name, underlying: under, deltaUsdPerUnit: spot, gammaUsdPerUnit: 0 }; // perpetual, future or spot
}

function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ = 100 ticks
}

async function seed(dir: string): Promise<{ db: string; key: string; ids: string[]; portfolio: { instrument: string; quantity: number }[]; instruments: number; scenarios: number }> {
  const doc = JSON.parse(readFileSync(join(ROOT, 'fixtures/portfolios/fixture-accounts.json'), 'utf8')) as { accounts: FixtureAccount[] };
  const names = [...new Set(doc.accounts.flatMap((a) => a.positions.map((p) => p.instrument)))].sort();
  const instruments = names.map(instrumentOf);
  const accounts: SeedAccount[] = doc.accounts.map((a) => ({
    id: a.id,
    desk: a.desk,
    positions: a.positions,
    collateralUsd: a.collateral.reduce((s, c) => s + c.quantity * (SPOT[c.asset] ?? 0), 0),
  }));
  const db = join(dir, 'bench.db');
  const store = await openStore(db);
  try {
    const scenarioCount = Number(argv.scenarios);
    await seedRun(store, { id: 'bench-run', instruments, accounts, scenarioCount, seed: Number(argv.seed), incident: true });
    await promoteRun(store, 'bench-run', { actor: 'bench', gates: [] });
    const { key } = await createApiKey(store, { role: 'analyst', actor: 'bench' });
    const rng = createRng(Number(argv.seed) + 1);
    const picked = new Set<number>();
    while (picked.size < 50) picked.add(rng.nextInt(instruments.length));
    const portfolio = [...picked].map((i) => ({ instrument: names[i] as string, quantity: Math.round((rng.nextFloat64() * 20 - 10) * 10) / 10 || 1 }));
    return { db, key, ids: accounts.map((a) => a.id), portfolio, instruments: instruments.length, scenarios: scenarioCount };
  } finally {
    await store.close();
  }
}

async function startChild(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...(argv.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${argv.profile}`]), '--import', 'tsx', join(ROOT, 'scripts/bench/api.ts'), '--serve', db], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return { child, url };
}

interface Row {
  readonly name: string;
  readonly result: AutocannonResult;
  readonly serverCpu: number;
  readonly clientCpu: number;
  readonly goalP99: number;
  readonly goalRate: number | null;
}

async function measure(name: string, pid: number, goalP99: number, goalRate: number | null, run: (duration: number) => Promise<AutocannonResult>): Promise<Row> {
  await run(2); // warm-up: JIT, key cache, connections
  const s0 = cpuSecondsOf(pid);
  const c0 = process.cpuUsage();
  const result = await run(Number(argv.duration));
  const c1 = process.cpuUsage(c0);
  return { name, result, serverCpu: cpuSecondsOf(pid) - s0, clientCpu: (c1.user + c1.system) / 1e6, goalP99, goalRate };
}

const dir = mkdtempSync(join(tmpdir(), 'aftershock-bench-api-'));
let child: ChildProcess | undefined;
try {
  const info = machineInfo();
  console.log(`node ${info.node}, ${info.cpuModel} x ${info.cores}, load average ${formatLoad(loadavg() as [number, number, number])} at start`);
  const t0 = performance.now();
  const world = await seed(dir);
  console.log(`seeded ${world.ids.length} accounts, ${world.instruments} instruments x ${world.scenarios} scenarios in ${((performance.now() - t0) / 1000).toFixed(1)} s (not timed below)`);
  const started = await startChild(world.db);
  child = started.child;
  const pid = child.pid!;
  const connections = Number(argv.connections);
  const auth = { authorization: `Bearer ${world.key}` };
  console.log(`server ${started.url} (child pid ${pid}); ${connections} connections, ${argv.duration} s per row after a 2 s warm-up`);

  let next = 0;
  const reads = await measure('GET /v1/accounts/{id}/margin (3000 ids rotating)', pid, 10, 10_000, (duration) =>
    autocannon({
      url: started.url, connections, duration, headers: auth,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/accounts/${world.ids[next++ % world.ids.length]}/margin` }) }],
    }));
  const body = JSON.stringify({ positions: world.portfolio });
  const whatIf = await measure('POST /v1/margin/what-if (50 positions)', pid, 20, null, (duration) =>
    autocannon({
      url: `${started.url}/v1/margin/what-if`, connections, duration, method: 'POST', body,
      headers: { ...auth, 'content-type': 'application/json' },
    }));

  const rows = [reads, whatIf].map((r) => {
    const rate = r.result.requests.average;
    const bad = r.result.errors + r.result.timeouts + r.result.non2xx;
    // a row with any failed request does not meet its goal, however fast the failures were
    const met = bad === 0 && r.result.latency.p99 <= r.goalP99 && (r.goalRate === null || rate >= r.goalRate);
    if (bad > 0) {
      const codes = Object.entries(r.result.statusCodeStats ?? {}).map(([code, v]) => `${code}: ${v.count}`).join(', ');
      console.log(`${r.name}: ${r.result.errors} transport errors, ${r.result.timeouts} timeouts, ${r.result.non2xx} non-2xx; status codes ${codes}`);
    }
    return [
      r.name,
      rate.toFixed(0),
      String(r.result.latency.p50),
      String(r.result.latency.p99),
      String(r.result.latency.max),
      String(bad),
      r.serverCpu.toFixed(1),
      r.clientCpu.toFixed(1),
      (r.result.requests.total / Math.max(r.serverCpu, 1e-9)).toFixed(0),
      `${r.goalRate === null ? '' : `>= ${r.goalRate} req/s, `}p99 <= ${r.goalP99} ms: ${met ? 'met' : 'NOT met'}`,
    ];
  });
  console.log(renderTable(
    ['route', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'server CPU s', 'autocannon CPU s', 'req per server CPU-s', 'goal'],
    rows,
  ));
  console.log(`load average ${formatLoad(loadavg() as [number, number, number])} at end; the load generator and the server share the ${info.cores} cores`);
} finally {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM'); // graceful: fastify closes, then the store
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
