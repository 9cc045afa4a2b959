/**
 * The bounded soak of the HTTP API (issue 10, item 4), as a function: scripts/soak/api.ts runs it for minutes and
 * test/reliability/soak.test.ts for seconds.
 *
 * 1. Seeds a temporary SQLite store (support/world.ts): a promoted base run and enough candidate runs for the
 *    operator, each with its own margins; keys for an admin, an analyst, every desk, a revoked key.
 * 2. Starts the real server in a child process (support/serve.ts: startServer, polling every 1 s, rate limiter on).
 * 3. Drives it at a steady rate with the mix of support/requests.ts (support/driver.ts), checking every answer
 *    (support/verify.ts), while the operator promotes or rolls back through the API every `lifecycleEverySeconds`
 *    and /metrics is sampled every `sampleEverySeconds` (support/operator.ts).
 * 4. Warm-up, then a quiet moment (load paused, answers drained) in which the server runs two full GCs and reports its
 *    memory; then the measured phase; then the load stops, the server reports its post-GC memory again, and is
 *    stopped with SIGTERM (it must exit 0).
 * Only measured-phase requests count for latency and throughput; errors and mismatches count in every phase.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LoadDriver } from './support/driver.ts';
import { MemorySampler, Operator, requestsByStatusClass } from './support/operator.ts';
import { RequestPlanner } from './support/requests.ts';
import type { MemoryMessage } from './support/serve.ts';
import { Verifier } from './support/verify.ts';
import { seedWorld, type SoakWorld } from './support/world.ts';
import { summarise, type SoakSummary } from './support/summary.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Options of {@link runSoak}. Durations in seconds, rates in requests per second. */
export interface SoakOptions {
  /** Measured duration. */
  readonly measuredSeconds: number;
  readonly warmUpSeconds: number;
  /** Steady request rate of the mix. */
  readonly rate: number;
  /** Most requests in flight (keep-alive connections). */
  readonly connections: number;
  /** Seconds between promotions/rollbacks. */
  readonly lifecycleEverySeconds: number;
  /** Seconds between /metrics samples. */
  readonly sampleEverySeconds: number;
  /** Fixture accounts (default all 3000). */
  readonly accounts?: number;
  /** Scenarios per run. */
  readonly scenarios: number;
  readonly seed: number;
  /**
   * Source address of the bad-key requests (default 127.0.0.3; any 127.x address reaches the server on 127.0.0.1). The
   * operator and the valid-key load come from 127.0.0.1. Give 127.0.0.1 to send everything from one address.
   */
  readonly hostileAddress?: string;
  /** Bound on the post-GC heap growth after warm-up, MB (10^6 bytes) per minute of the measured phase. */
  readonly heapBoundMbPerMinute: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** The post-GC memory reports of the server (bytes). */
export interface GcMemory {
  readonly start: MemoryMessage | null;
  readonly afterWarmUp: MemoryMessage | null;
  readonly end: MemoryMessage | null;
}

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly stderr: string[];
}

async function startChild(db: string): Promise<Child> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'scripts/soak/support/serve.ts'), db], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the soak server exited with code ${code} before listening: ${stderr.join('\n').slice(0, 2000)}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return { process: child, url, stderr };
}

/** Asks the server for two full GCs and its memory afterwards (null if it does not answer within 10 s). */
function gcMemory(child: ChildProcess): Promise<MemoryMessage | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      resolve(null);
    }, 10_000);
    const onMessage = (m: unknown): void => {
      if ((m as { type?: unknown }).type !== 'memory') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m as MemoryMessage);
    };
    child.on('message', onMessage);
    child.send({ type: 'gc' });
  });
}

/** User + system CPU seconds of process `pid` so far (Linux /proc; NaN elsewhere). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident memory of process `pid` (VmHWM, bytes; NaN when unknown). */
function peakRssOf(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? Number.NaN : Number(m[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the soak (see the module comment) and returns its summary; never throws for what it measures. */
export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const loadStart = loadavg() as [number, number, number];
  const dir = mkdtempSync(join(tmpdir(), 'aftershock-soak-'));
  let child: Child | undefined;
  const timers: ReturnType<typeof setInterval>[] = [];
  let closeDriver: (() => Promise<void>) | null = null;
  try {
    const events = Math.floor((options.warmUpSeconds + options.measuredSeconds) / options.lifecycleEverySeconds) + 2;
    const t0Seed = performance.now();
    const world: SoakWorld = await seedWorld({
      dir, scenarios: options.scenarios, candidates: Math.ceil(events / 2) + 1, seed: options.seed,
      ...(options.accounts === undefined ? {} : { accounts: options.accounts }),
    });
    const seedSeconds = (performance.now() - t0Seed) / 1000;
    log(`seeded ${world.runs.size} runs of ${world.accountIds.length} accounts, ${world.instruments} instruments x ${world.scenarios} scenarios in ${seedSeconds.toFixed(1)} s (${(statSync(world.db).size / 1e6).toFixed(0)} MB)`);
    child = await startChild(world.db);
    const pid = child.process.pid!;
    const t0 = performance.now();
    const verifier = new Verifier(world);
    const planner = new RequestPlanner(world, options.seed);
    const driver = new LoadDriver({ url: child.url, rate: options.rate, connections: options.connections, planner, verifier, hostileAddress: options.hostileAddress ?? '127.0.0.3' });
    closeDriver = () => driver.close();
    const operator = new Operator(child.url, world.keys.admin, world.baseRunId, world.candidates, verifier, t0);
    const sampler = new MemorySampler(child.url, world.keys.analyst, t0);
    const gc: { start: MemoryMessage | null; afterWarmUp: MemoryMessage | null; end: MemoryMessage | null } = { start: null, afterWarmUp: null, end: null };
    gc.start = await gcMemory(child.process);
    await sampler.sample('start');
    log(`server ${child.url} (pid ${pid}); ${options.rate} req/s on up to ${options.connections} connections; warm-up ${options.warmUpSeconds} s, measured ${options.measuredSeconds} s; a promotion or rollback every ${options.lifecycleEverySeconds} s`);

    let quiet = false;
    timers.push(setInterval(() => {
      if (!quiet) void operator.act();
    }, options.lifecycleEverySeconds * 1000));
    let phase = 'warm-up';
    timers.push(setInterval(() => {
      if (!quiet) void sampler.sample(phase);
    }, options.sampleEverySeconds * 1000));
    const cpu0 = cpuSecondsOf(pid);
    const parentCpu0 = process.cpuUsage();
    let progressAt = performance.now();
    timers.push(setInterval(() => {
      const now = performance.now();
      if (now - progressAt < 29_000) return;
      progressAt = now;
      const last = sampler.samples[sampler.samples.length - 1];
      log(`${((now - t0) / 1000).toFixed(0)} s ${phase}: ${driver.sent} sent, ${verifier.unexpected.total} unexpected, ${verifier.mismatches.total} mismatches, ${operator.events.length} lifecycle events; rss ${last === undefined ? '?' : (last.rssBytes / 1e6).toFixed(0)} MB, heap ${last === undefined ? '?' : (last.heapUsedBytes / 1e6).toFixed(0)} MB; load ${loadavg()[0]!.toFixed(2)}`);
    }, 1000));

    driver.start();
    await sleep(options.warmUpSeconds * 1000);
    // the warm-up lasts until two promotions were served: the server's run cache (the active run and the two before
    // it) is then full, so the memory after warm-up is the steady state's
    const warmUpLimit = t0 + (options.warmUpSeconds + 3 * options.lifecycleEverySeconds) * 1000;
    while (operator.events.filter((e) => e.ok).length < 2 && performance.now() < warmUpLimit) await sleep(100);
    quiet = true;
    await driver.pause();
    await operator.settled(); // an action in progress finishes before the quiet measurement
    gc.afterWarmUp = await gcMemory(child.process);
    await sampler.sample('after-warm-up');
    quiet = false;
    phase = 'measured';
    driver.setPhase('measured');
    const measuredT0 = performance.now();
    const cpuMeasured0 = cpuSecondsOf(pid);
    const parentCpuMeasured0 = process.cpuUsage();
    driver.start();
    await sleep(options.measuredSeconds * 1000);
    quiet = true;
    for (const t of timers.splice(0)) clearInterval(t);
    await driver.close();
    const measuredSeconds = (performance.now() - measuredT0) / 1000;
    const serverCpuMeasured = cpuSecondsOf(pid) - cpuMeasured0;
    const parentCpuMeasured = process.cpuUsage(parentCpuMeasured0);
    await operator.settled();
    gc.end = await gcMemory(child.process);
    await sampler.sample('end');
    const serverCpu = cpuSecondsOf(pid) - cpu0;
    const parentCpu = process.cpuUsage(parentCpu0);
    const peakRss = peakRssOf(pid);
    const metricsText = sampler.lastText;
    const { unobserved } = verifier.finish();

    const exited = new Promise<number | null>((r) => child!.process.once('exit', (code) => r(code)));
    child.process.kill('SIGTERM');
    const exitCode = await exited;
    const { log: _log, ...settings } = options;
    return summarise({
      options: settings, startedAt, t0, loadStart, loadEnd: loadavg() as [number, number, number], world, seedSeconds,
      driver, verifier, operator, sampler, gc, unobserved, measuredSeconds, exitCode,
      server: {
        pid, peakRssBytes: peakRss, cpuSeconds: serverCpu, cpuSecondsMeasured: serverCpuMeasured,
        stderr: child.stderr, requestsByClass: requestsByStatusClass(metricsText),
      },
      generatorCpuSeconds: (parentCpu.user + parentCpu.system) / 1e6,
      generatorCpuSecondsMeasured: (parentCpuMeasured.user + parentCpuMeasured.system) / 1e6,
    });
  } finally {
    for (const t of timers) clearInterval(t);
    await closeDriver?.();
    if (child !== undefined && child.process.exitCode === null && child.process.signalCode === null) {
      const gone = new Promise((r) => child!.process.once('exit', r));
      child.process.kill('SIGKILL');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
