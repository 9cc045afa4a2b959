/**
 * Bounded soak of the HTTP API (issue 10, item 4): the real server on 127.0.0.1 under a steady mixed load for
 * minutes while runs are promoted and rolled back through the API, every answer checked against the run it names.
 *
 *   npx tsx scripts/soak/api.ts                                  # 3 measured minutes, 400 req/s, 32 connections
 *   npx tsx scripts/soak/api.ts --minutes 5 --rate 800 --connections 32
 *
 * Options: --minutes (measured, default 3), --warm-up seconds (default 30), --rate requests/s (default 400),
 * --connections (default 32), --lifecycle-every seconds (default 10), --sample-every seconds (default 2),
 * --accounts (fixture accounts, default all 3000), --scenarios (default 1100), --seed, --heap-bound MB per minute
 * (default 2), --hostile-address (source address of the bad-key requests, default 127.0.0.3; the rest come from
 * 127.0.0.1), --out (default test-output/soak/api-soak.json).
 *
 * What it does is described in scripts/soak/soak.ts. It prints the tables (latency per route kind, throughput per
 * minute, memory at start / after warm-up / end with the growth per minute, lifecycle and verification counts) with
 * the load average at start and end and the CPU seconds of the server and of the load generator (they share the
 * machine's cores), writes the JSON summary, and exits 1 when the verdict fails: any unexpected error, any mismatch,
 * a refused promotion or one never served, a server log line at warn or above, or post-GC heap growth after warm-up
 * above the bound (default 2 MB per minute: at 400 req/s that is about 80 bytes kept per request). Requests shed
 * because every connection was busy are reported as a warning.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runSoak } from './soak.ts';
import { renderSummary } from './support/summary.ts';

const { values: argv } = parseArgs({
  options: {
    'minutes': { type: 'string', default: '3' },
    'warm-up': { type: 'string', default: '30' },
    'rate': { type: 'string', default: '400' },
    'connections': { type: 'string', default: '32' },
    'lifecycle-every': { type: 'string', default: '10' },
    'sample-every': { type: 'string', default: '2' },
    'accounts': { type: 'string' },
    'scenarios': { type: 'string', default: '1100' },
    'seed': { type: 'string', default: '20260205' },
    'heap-bound': { type: 'string', default: '2' },
    'hostile-address': { type: 'string', default: '127.0.0.3' },
    'out': { type: 'string', default: 'test-output/soak/api-soak.json' },
  },
});

function positive(name: string, text: string | undefined): number {
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0)) {
    process.stderr.write(`--${name}: expected a positive number, got "${text}"\n`);
    process.exit(2);
  }
  return v;
}

const ROOT = join(import.meta.dirname, '..', '..');
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const cpu = cpus();
console.log(`node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'} x ${cpu.length}, load average ${load()} at start`);
const summary = await runSoak({
  measuredSeconds: positive('minutes', argv.minutes) * 60,
  warmUpSeconds: positive('warm-up', argv['warm-up']),
  rate: positive('rate', argv.rate),
  connections: Math.round(positive('connections', argv.connections)),
  lifecycleEverySeconds: positive('lifecycle-every', argv['lifecycle-every']),
  sampleEverySeconds: positive('sample-every', argv['sample-every']),
  ...(argv.accounts === undefined ? {} : { accounts: Math.round(positive('accounts', argv.accounts)) }),
  scenarios: Math.round(positive('scenarios', argv.scenarios)),
  seed: Number(argv.seed),
  heapBoundMbPerMinute: positive('heap-bound', argv['heap-bound']),
  hostileAddress: argv['hostile-address'],
  log: (line) => console.log(line),
});
console.log(renderSummary(summary));
const out = resolve(ROOT, argv.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`load average ${load()} at end; summary: ${out}`);
process.exit(summary.verdict.passed ? 0 : 1);
