/**
 * Timing helpers for the benchmarks: best-of-k wall-clock timing with `performance.now()` after an untimed
 * warm-up (which lets V8 optimise the loop), and a machine description (Node version, CPU model, core count,
 * load average). The minimum of k runs is the least-disturbed run: on a shared, loaded machine it is the
 * figure closest to what the code can do, while the spread (max/min) says how noisy the machine was.
 *
 * Each run also records the process CPU time (user + system, `process.cpuUsage`). On a loaded machine the wall time
 * includes the slices the scheduler gave to other processes; the CPU time does not, so it is the steadier measure
 * of the work itself (it does include V8's helper threads, e.g. parallel garbage collection, which is real cost).
 */
import os from 'node:os';

/** Result of a best-of-k timing, in milliseconds. */
export interface Timing {
  readonly bestMs: number;
  readonly worstMs: number;
  readonly runsMs: readonly number[];
  /** Smallest process CPU time (user + system) of the timed runs. */
  readonly bestCpuMs: number;
}

/** Untimed warm-up: at least one run and, for fast work, repeated runs until this many ms have passed (max 20 runs). */
export const WARM_UP_MS = 250;

/**
 * Warm up `work` (untimed: `minWarmRuns` runs (default 1), repeated up to WARM_UP_MS so V8 reaches its final optimised
 * code even for small batches), then run it `reps` times timed; returns the best and all run times in ms. Work of
 * 100 ms or more per run needs a few warm-up runs: V8 optimises the inner functions (the pricing kernels) only after
 * the first runs, so one warm-up run leaves the timed runs on partly unoptimised code.
 */
export function bestOf(reps: number, work: () => void, options: { readonly minWarmRuns?: number } = {}): Timing {
  const minWarmRuns = options.minWarmRuns ?? 1;
  const warmStart = performance.now();
  let warmRuns = 0;
  do {
    work();
    warmRuns++;
  } while (warmRuns < minWarmRuns || (performance.now() - warmStart < WARM_UP_MS && warmRuns < 20));
  const runsMs: number[] = [];
  let bestCpuMs = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    work();
    runsMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    bestCpuMs = Math.min(bestCpuMs, (c.user + c.system) / 1e3);
  }
  return timingOf(runsMs, bestCpuMs);
}

/** A Timing from wall-clock run times and the best CPU time, both in ms. */
export function timingOf(runsMs: readonly number[], bestCpuMs: number): Timing {
  return Object.freeze({
    bestMs: Math.min(...runsMs), worstMs: Math.max(...runsMs), runsMs: Object.freeze([...runsMs]), bestCpuMs,
  });
}

/** Options per second (in millions) for n options in `ms` milliseconds. */
export function millionsPerSecond(n: number, ms: number): number {
  return n / (ms * 1e3);
}

/** Node version, CPU model, logical core count and the 1/5/15-minute load averages now. */
export interface MachineInfo {
  readonly node: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly loadAverage: readonly [number, number, number];
  readonly platform: string;
}

/** Describe the machine at this instant (load average read now). */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const [l1, l5, l15] = os.loadavg();
  return Object.freeze({
    node: process.version,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    loadAverage: Object.freeze([l1 ?? NaN, l5 ?? NaN, l15 ?? NaN] as [number, number, number]),
    platform: `${os.platform()} ${os.arch()} ${os.endianness()}`,
  });
}

/** "1.23 / 0.98 / 0.50" */
export function formatLoad(load: readonly [number, number, number]): string {
  return load.map((x) => x.toFixed(2)).join(' / ');
}
