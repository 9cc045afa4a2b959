/**
 * The soak's summary (the JSON written to test-output/soak/api-soak.json) and its plain-text tables. Latencies in
 * ms, memory in MB (10^6 bytes) unless a field says bytes, times in seconds, growth in MB per minute.
 *
 * Verdict: the soak passes when there is no unexpected error (wrong status, transport failure, timeout, a failed
 * /metrics read, a warn/error line in the server's log, a refused lifecycle action, a non-zero server exit), no
 * mismatch, every acknowledged generation was served, and the post-GC heap grew by at most the bound per measured
 * minute. Requests shed because every connection was busy are a warning (on a shared machine they say more about the
 * machine than the server), reported with the load average and the CPU seconds of both processes.
 */
import { renderTable } from '../../bench/support/table.ts';
import type { LoadDriver } from './driver.ts';
import type { LifecycleEvent, MemorySample, MemorySampler, Operator } from './operator.ts';
import { KIND_ROUTES, ROUTE_KINDS, type RouteKind } from './requests.ts';
import type { MemoryMessage } from './serve.ts';
import { mb, percentile, slope } from './stats.ts';
import type { Verifier } from './verify.ts';
import type { SoakWorld } from './world.ts';

/** Latency and outcome figures of one route kind in the measured phase. */
export interface KindSummary {
  readonly kind: RouteKind;
  readonly route: string;
  readonly requests: number;
  readonly ok: number;
  readonly expectedErrors: number;
  readonly unexpected: number;
  readonly mismatches: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

/** Count and latency percentiles (ms) of a set of answers. */
export interface LatencySplit {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function split(values: number[]): LatencySplit {
  const sorted = Float64Array.from(values).sort();
  return { requests: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: percentile(sorted, 100) };
}

/** Splits the measured answers by whether they overlap a lifecycle action's [sent, acknowledged] window. */
function swapOverlap(driver: LoadDriver, events: readonly LifecycleEvent[], t0: number): SoakSummary['swapOverlap'] {
  const windows = events.map((e) => [t0 + e.sentAtS * 1000, t0 + e.sentAtS * 1000 + e.latencyMs] as const).sort((a, b) => a[0] - b[0]);
  const during: number[] = [];
  const otherwise: number[] = [];
  const { sentAt, latencyMs } = driver.timeline;
  for (let i = 0; i < sentAt.length; i++) {
    const start = sentAt.at(i);
    const lat = latencyMs.at(i);
    const overlaps = windows.some(([a, b]) => start < b && start + lat > a);
    (overlaps ? during : otherwise).push(lat);
  }
  let shedDuring = 0;
  for (let i = 0; i < driver.shedAt.length; i++) {
    const t = driver.shedAt.at(i);
    if (windows.some(([a, b]) => t >= a && t <= b)) shedDuring++;
  }
  return { during: split(during), otherwise: split(otherwise), shedDuring, shedOtherwise: driver.shedAt.length - shedDuring };
}

/** The summary (see the module comment). */
export interface SoakSummary {
  readonly startedAt: string;
  readonly options: Record<string, unknown>;
  readonly machine: { readonly node: string; readonly loadAverageStart: readonly number[]; readonly loadAverageEnd: readonly number[] };
  readonly world: { readonly accounts: number; readonly instruments: number; readonly scenarios: number; readonly runsSeeded: number; readonly seedSeconds: number };
  readonly load: { readonly rate: number; readonly connections: number; readonly sent: number; readonly shed: number; readonly maxInFlight: number; readonly measuredSeconds: number };
  readonly totals: {
    readonly measuredRequests: number; readonly allRequests: number; readonly expectedErrors: number;
    readonly unexpectedErrors: number; readonly unexpectedRate: number; readonly mismatches: number; readonly answersChecked: number;
  };
  readonly kinds: readonly KindSummary[];
  /** Measured-phase latency (all kinds) of answers in flight while a promotion or rollback was being served, and of the rest. */
  readonly swapOverlap: { readonly during: LatencySplit; readonly otherwise: LatencySplit; readonly shedDuring: number; readonly shedOtherwise: number };
  readonly throughputPerMinute: readonly { readonly minute: number; readonly seconds: number; readonly requests: number; readonly perSecond: number }[];
  readonly memory: {
    readonly startMb: { readonly rss: number; readonly heapUsed: number };
    readonly afterWarmUpMb: { readonly rss: number; readonly heapUsed: number };
    readonly endMb: { readonly rss: number; readonly heapUsed: number };
    readonly fittedSlopeMbPerMinute: { readonly rss: number; readonly heapUsed: number };
    readonly postGc: { readonly start: MemoryMessage | null; readonly afterWarmUp: MemoryMessage | null; readonly end: MemoryMessage | null };
    readonly postGcHeapGrowthMbPerMinute: number;
    readonly heapBoundMbPerMinute: number;
    readonly peakRssMb: number;
    readonly samples: readonly MemorySample[];
  };
  readonly lifecycle: { readonly promotions: number; readonly rollbacks: number; readonly refused: number; readonly maxLatencyMs: number; readonly events: readonly LifecycleEvent[] };
  readonly verification: {
    readonly checkedByKind: Record<string, number>;
    readonly expectedErrors: Record<string, number>;
    readonly unexpected: ReturnType<Verifier['unexpected']['toJSON']>;
    readonly mismatches: ReturnType<Verifier['mismatches']['toJSON']>;
    readonly generationsServed: Record<string, Record<string, number>>;
    readonly unobservedGenerations: readonly number[];
    readonly health: Record<string, number>;
  };
  readonly server: {
    readonly exitCode: number | null; readonly cpuSeconds: number; readonly cpuSecondsMeasured: number;
    readonly generatorCpuSeconds: number; readonly generatorCpuSecondsMeasured: number;
    readonly logLines: number; readonly logSamples: readonly string[]; readonly requestsByStatusClass: Record<string, number>;
    readonly metricsFailures: readonly string[];
  };
  readonly verdict: { readonly passed: boolean; readonly reasons: readonly string[]; readonly warnings: readonly string[] };
}

/** What runSoak hands over. */
export interface SummaryInput {
  readonly options: { readonly rate: number; readonly connections: number; readonly heapBoundMbPerMinute: number } & Record<string, unknown>;
  readonly startedAt: string;
  /** performance.now() when the server was up: lifecycle event times are relative to it. */
  readonly t0: number;
  readonly loadStart: readonly number[];
  readonly loadEnd: readonly number[];
  readonly world: SoakWorld;
  readonly seedSeconds: number;
  readonly driver: LoadDriver;
  readonly verifier: Verifier;
  readonly operator: Operator;
  readonly sampler: MemorySampler;
  readonly gc: { readonly start: MemoryMessage | null; readonly afterWarmUp: MemoryMessage | null; readonly end: MemoryMessage | null };
  readonly unobserved: readonly number[];
  readonly measuredSeconds: number;
  readonly exitCode: number | null;
  readonly server: { readonly pid: number; readonly peakRssBytes: number; readonly cpuSeconds: number; readonly cpuSecondsMeasured: number; readonly stderr: readonly string[]; readonly requestsByClass: Record<string, number> };
  readonly generatorCpuSeconds: number;
  readonly generatorCpuSecondsMeasured: number;
}

const toMb = (bytes: number): number => Math.round(bytes / 1e4) / 100;

function memoryAt(samples: readonly MemorySample[], phase: string): { rss: number; heapUsed: number } {
  const s = samples.find((x) => x.phase === phase);
  return s === undefined ? { rss: Number.NaN, heapUsed: Number.NaN } : { rss: toMb(s.rssBytes), heapUsed: toMb(s.heapUsedBytes) };
}

/** Builds the summary and its verdict. */
export function summarise(input: SummaryInput): SoakSummary {
  const { driver, verifier, operator, sampler } = input;
  const measured = driver.stats.measured;
  const kinds: KindSummary[] = ROUTE_KINDS.map((kind) => {
    const s = measured[kind];
    const sorted = s.latencyMs.sorted();
    const o = s.outcomes;
    return {
      kind, route: KIND_ROUTES[kind], requests: sorted.length, ok: o.ok, expectedErrors: o['expected-error'], unexpected: o.unexpected, mismatches: o.mismatch,
      p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90), p99Ms: percentile(sorted, 99), p999Ms: percentile(sorted, 99.9), maxMs: percentile(sorted, 100),
    };
  });
  const measuredRequests = kinds.reduce((n, k) => n + k.requests, 0);
  const allRequests = measuredRequests + ROUTE_KINDS.reduce((n, k) => n + driver.stats['warm-up'][k].latencyMs.length, 0);
  const logLines = input.server.stderr.filter((l) => l.trim() !== '');
  const unexpectedErrors = verifier.unexpected.total + sampler.failures.length + logLines.length;
  const perMinute: SoakSummary['throughputPerMinute'][number][] = [];
  // minutes of the planned duration; answers drained after it count in its last minute
  const planned = Number(input.options.measuredSeconds);
  const minuteCount = Math.max(1, Math.ceil(planned / 60 - 1e-9));
  for (let m = 0; m < minuteCount; m++) {
    const last = m === minuteCount - 1;
    const secs = driver.perSecond.slice(m * 60, last ? undefined : m * 60 + 60);
    const requests = secs.reduce((a, b) => a + b, 0);
    const seconds = last ? input.measuredSeconds - m * 60 : 60;
    perMinute.push({ minute: m + 1, seconds: Math.round(seconds * 10) / 10, requests, perSecond: Math.round(requests / Math.max(seconds, 1e-9)) });
  }
  const series = sampler.samples.filter((s) => s.phase === 'measured');
  const minutes = series.map((s) => s.tS / 60);
  const minutesMeasured = input.measuredSeconds / 60;
  const gcGrowth = input.gc.afterWarmUp !== null && input.gc.end !== null ? (input.gc.end.heapUsed - input.gc.afterWarmUp.heapUsed) / 1e6 / minutesMeasured : Number.NaN;
  const events = operator.events;
  const shed = driver.shed;
  const reasons: string[] = [];
  if (unexpectedErrors > 0) reasons.push(`${unexpectedErrors} unexpected error(s) (${verifier.unexpected.total} answers, ${sampler.failures.length} /metrics reads, ${logLines.length} server log lines)`);
  if (verifier.mismatches.total > 0) reasons.push(`${verifier.mismatches.total} mismatch(es)`);
  if (events.some((e) => !e.ok)) reasons.push(`${events.filter((e) => !e.ok).length} lifecycle action(s) refused or wrongly acknowledged`);
  if (input.unobserved.length > 0) reasons.push(`generation(s) ${input.unobserved.join(', ')} acknowledged but never served`);
  if (!(gcGrowth <= input.options.heapBoundMbPerMinute)) reasons.push(`post-GC heap grew ${gcGrowth.toFixed(2)} MB/min after warm-up (bound ${input.options.heapBoundMbPerMinute})`);
  if (input.exitCode !== 0) reasons.push(`the server exited with code ${input.exitCode} on SIGTERM`);
  const warnings: string[] = [];
  const due = driver.sent + shed;
  if (shed > 0) warnings.push(`${shed} of ${due} due requests (${((100 * shed) / Math.max(due, 1)).toFixed(2)} %) were shed: every connection was busy (see the load average and CPU seconds)`);
  return {
    startedAt: input.startedAt,
    options: input.options,
    machine: { node: process.version, loadAverageStart: input.loadStart, loadAverageEnd: input.loadEnd },
    world: { accounts: input.world.accountIds.length, instruments: input.world.instruments, scenarios: input.world.scenarios, runsSeeded: input.world.runs.size, seedSeconds: input.seedSeconds },
    load: { rate: input.options.rate, connections: input.options.connections, sent: driver.sent, shed, maxInFlight: driver.maxInFlight, measuredSeconds: input.measuredSeconds },
    totals: {
      measuredRequests, allRequests, expectedErrors: [...verifier.expectedErrors.values()].reduce((a, b) => a + b, 0), unexpectedErrors,
      unexpectedRate: unexpectedErrors / Math.max(allRequests, 1), mismatches: verifier.mismatches.total,
      answersChecked: [...verifier.checked.values()].reduce((a, b) => a + b, 0),
    },
    kinds,
    swapOverlap: swapOverlap(driver, events, input.t0),
    throughputPerMinute: perMinute,
    memory: {
      startMb: memoryAt(sampler.samples, 'start'),
      afterWarmUpMb: memoryAt(sampler.samples, 'after-warm-up'),
      endMb: memoryAt(sampler.samples, 'end'),
      fittedSlopeMbPerMinute: { rss: slope(minutes, series.map((s) => s.rssBytes / 1e6)), heapUsed: slope(minutes, series.map((s) => s.heapUsedBytes / 1e6)) },
      postGc: input.gc,
      postGcHeapGrowthMbPerMinute: gcGrowth,
      heapBoundMbPerMinute: input.options.heapBoundMbPerMinute,
      peakRssMb: toMb(input.server.peakRssBytes),
      samples: sampler.samples,
    },
    lifecycle: {
      promotions: events.filter((e) => e.ok && e.action === 'promote').length,
      rollbacks: events.filter((e) => e.ok && e.action === 'rollback').length,
      refused: events.filter((e) => !e.ok).length,
      maxLatencyMs: Math.max(0, ...events.map((e) => e.latencyMs)),
      events,
    },
    verification: {
      checkedByKind: Object.fromEntries(verifier.checked),
      expectedErrors: Object.fromEntries(verifier.expectedErrors),
      unexpected: verifier.unexpected.toJSON(),
      mismatches: verifier.mismatches.toJSON(),
      generationsServed: Object.fromEntries([...verifier.observed].sort((a, b) => a[0] - b[0]).map(([g, runs]) => [String(g), Object.fromEntries(runs)])),
      unobservedGenerations: input.unobserved,
      health: Object.fromEntries(verifier.health),
    },
    server: {
      exitCode: input.exitCode, cpuSeconds: input.server.cpuSeconds, cpuSecondsMeasured: input.server.cpuSecondsMeasured,
      generatorCpuSeconds: input.generatorCpuSeconds, generatorCpuSecondsMeasured: input.generatorCpuSecondsMeasured,
      logLines: logLines.length, logSamples: logLines.slice(0, 10), requestsByStatusClass: input.server.requestsByClass,
      metricsFailures: sampler.failures,
    },
    verdict: { passed: reasons.length === 0, reasons, warnings },
  };
}

const ms = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toPrecision(3)) : '-');
const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

/** The plain-text report: route kinds, throughput per minute, memory, lifecycle and verification. */
export function renderSummary(s: SoakSummary): string {
  const kindRows = s.kinds.map((k) => [k.kind, String(k.requests), String(k.expectedErrors), String(k.unexpected), String(k.mismatches), ms(k.p50Ms), ms(k.p90Ms), ms(k.p99Ms), ms(k.p999Ms), ms(k.maxMs)]);
  const all = s.kinds.reduce((a, k) => ({ n: a.n + k.requests, e: a.e + k.expectedErrors, u: a.u + k.unexpected, m: a.m + k.mismatches }), { n: 0, e: 0, u: 0, m: 0 });
  kindRows.push(['all', String(all.n), String(all.e), String(all.u), String(all.m), '-', '-', '-', '-', '-']);
  const kinds = renderTable(['route kind', 'requests', 'expected err', 'unexpected', 'mismatches', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'], kindRows);
  const o = s.swapOverlap;
  const overlap = renderTable(['measured answers (all kinds)', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'shed (all phases)'], [
    ['in flight during a promotion/rollback', String(o.during.requests), ms(o.during.p50Ms), ms(o.during.p99Ms), ms(o.during.maxMs), String(o.shedDuring)],
    ['all others', String(o.otherwise.requests), ms(o.otherwise.p50Ms), ms(o.otherwise.p99Ms), ms(o.otherwise.maxMs), String(o.shedOtherwise)],
  ]);
  const minutes = renderTable(['minute', 'seconds', 'requests', 'req/s'], s.throughputPerMinute.map((m) => [String(m.minute), m.seconds.toFixed(1), String(m.requests), String(m.perSecond)]));
  const m = s.memory;
  const gcMb = (x: MemoryMessage | null, f: 'heapUsed' | 'rss' | 'arrayBuffers'): string => (x === null ? 'n/a' : mb(x[f]));
  const memory = renderTable(['memory (MB)', 'start', 'after warm-up', 'end', 'growth MB/min after warm-up'], [
    ['RSS (/metrics)', f2(m.startMb.rss), f2(m.afterWarmUpMb.rss), f2(m.endMb.rss), `${f2(m.fittedSlopeMbPerMinute.rss)} (fitted slope)`],
    ['heapUsed (/metrics)', f2(m.startMb.heapUsed), f2(m.afterWarmUpMb.heapUsed), f2(m.endMb.heapUsed), `${f2(m.fittedSlopeMbPerMinute.heapUsed)} (fitted slope)`],
    ['heapUsed after full GC', gcMb(m.postGc.start, 'heapUsed'), gcMb(m.postGc.afterWarmUp, 'heapUsed'), gcMb(m.postGc.end, 'heapUsed'), `${f2(m.postGcHeapGrowthMbPerMinute)} (bound ${m.heapBoundMbPerMinute})`],
    ['arrayBuffers after full GC', gcMb(m.postGc.start, 'arrayBuffers'), gcMb(m.postGc.afterWarmUp, 'arrayBuffers'), gcMb(m.postGc.end, 'arrayBuffers'), '-'],
    ['RSS after full GC', gcMb(m.postGc.start, 'rss'), gcMb(m.postGc.afterWarmUp, 'rss'), gcMb(m.postGc.end, 'rss'), `peak RSS ${f2(m.peakRssMb)}`],
  ]);
  const v = s.verification;
  const lines = [
    kinds,
    '',
    overlap,
    '',
    minutes,
    '',
    memory,
    '',
    `requests: ${s.totals.allRequests} answered (${s.totals.measuredRequests} in the measured ${s.load.measuredSeconds.toFixed(0)} s), ${s.load.shed} shed, at most ${s.load.maxInFlight} in flight`,
    `unexpected errors: ${s.totals.unexpectedErrors} (rate ${s.totals.unexpectedRate.toExponential(2)}); expected errors: ${s.totals.expectedErrors} ${JSON.stringify(v.expectedErrors)}`,
    `answers checked against the run they name: ${s.totals.answersChecked} ${JSON.stringify(v.checkedByKind)}; mismatches: ${s.totals.mismatches}`,
    `lifecycle: ${s.lifecycle.promotions} promotions, ${s.lifecycle.rollbacks} rollbacks, ${s.lifecycle.refused} refused (max ${ms(s.lifecycle.maxLatencyMs)} ms); generations served: ${Object.keys(v.generationsServed).join(', ')}; never served: ${v.unobservedGenerations.length === 0 ? 'none' : v.unobservedGenerations.join(', ')}`,
    `/health: ${JSON.stringify(v.health)}; server log lines at warn or above: ${s.server.logLines}; server requests by status (its /metrics): ${JSON.stringify(s.server.requestsByStatusClass)}`,
    `CPU seconds in the measured phase: server ${f2(s.server.cpuSecondsMeasured)}, load generator ${f2(s.server.generatorCpuSecondsMeasured)}; server exit code ${s.server.exitCode}`,
  ];
  for (const x of [...v.unexpected.samples, ...v.mismatches.samples, ...s.server.logSamples, ...s.server.metricsFailures].slice(0, 20)) lines.push(`  ! ${x}`);
  for (const w of s.verdict.warnings) lines.push(`warning: ${w}`);
  lines.push(`verdict: ${s.verdict.passed ? 'PASSED' : `FAILED: ${s.verdict.reasons.join('; ')}`}`);
  return lines.join('\n');
}
