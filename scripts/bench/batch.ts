/**
 * Stress-batch scale-out benchmark (issue 9): a batch over N accounts (default 1,000,000) under an active calibration,
 * drained by one and then by two `aftershock worker` processes on pg-boss (PostgreSQL), reporting throughput and the
 * scaling ratio. Needs a PostgreSQL server: --db postgres://... or AFTERSHOCK_TEST_DATABASE_URL / DATABASE_URL
 * (`.ci/run` starts one). Works in a fresh schema of that database, dropped at the end.
 *
 *   npx tsx scripts/bench/batch.ts [--accounts 1000000] [--shard-size 5000] [--db postgres://...]
 *
 * The calibration is the real recalibration job on 200 fixture accounts; the N accounts cycle through those 200
 * (distinct ids); the few of them holding instruments expired by the calibration are failure results (counted in
 * the table, they cost as much as a margined account). Timings run from the enqueue to the batch being done,
 * with the workers already started (each worker's first shard includes reading the portfolio file). Wall-clock on a
 * shared machine: read the ratio, not the absolute numbers, and compare runs from the same load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createStressBatch, enqueueBatch, startBoss } from '../../src/jobs/batch/index.ts';
import { runRecalibrationJob } from '../../src/jobs/index.ts';
import { batchTotals, getBatch, openStore, promoteRun } from '../../src/store/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const accounts = Number(arg('accounts') ?? 1_000_000);
const shardSize = Number(arg('shard-size') ?? 5000);
const baseUrl = arg('db') ?? process.env.AFTERSHOCK_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (baseUrl === undefined || !/^postgres/.test(baseUrl)) {
  console.error('needs a PostgreSQL URL: --db postgres://... or AFTERSHOCK_TEST_DATABASE_URL');
  process.exit(2);
}

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function writePortfolio(path: string, base: readonly { id: string }[], n: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> => new Promise((resolve) => (out.write(s) ? resolve() : out.once('drain', () => resolve())));
  await write('{"format":"aftershock.portfolios","version":1,"accounts":[\n');
  for (let i = 0; i < n; i++) {
    const a = base[i % base.length]!;
    await write(`${i === 0 ? '' : ',\n'}${JSON.stringify({ ...a, id: `B${String(i).padStart(8, '0')}` })}`);
  }
  await write('\n]}\n');
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

function startWorker(url: string, schema: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/aftershock.js'), '--db', url, 'worker', '--worker-id', id, '--poll', '0.5', '--expire-seconds', '600'], {
    env: { ...process.env, AFTERSHOCK_BOSS_SCHEMA: schema }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (/ready/.test(d.toString())) resolve(child); });
    child.once('exit', (code) => reject(new Error(`worker ${id} exited with ${code}`)));
  });
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'aftershock-bench-batch-'));
await admin(`create schema ${schema}`);
const u = new URL(baseUrl);
u.searchParams.set('options', `-c search_path=${schema}`);
const url = u.toString();
const store = await openStore(url);
const rows: { workers: number; seconds: number; rate: number; failed: number; peakMb: number[] }[] = [];

/** Peak resident set of a live process, MB (Linux /proc VmHWM; NaN elsewhere). */
function peakRssMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? Number.NaN : Number(m[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}
const running: ChildProcess[] = [];
try {
  const doc = JSON.parse(readFileSync(join(ROOT, 'fixtures/portfolios/fixture-accounts.json'), 'utf8')) as { accounts: { id: string }[] };
  const small = join(dir, 'calibration-200.json');
  writeFileSync(small, JSON.stringify({ ...doc, accounts: doc.accounts.slice(0, 200) }));
  const run = await runRecalibrationJob({ store, codeVersion: 'bench', request: { root: ROOT, incident: 'fixtures/incidents/2026-02-05-drawdown.json', portfolios: small } });
  await promoteRun(store, run.run.id, { actor: 'bench', gates: run.gates, reason: 'benchmark' });
  const file = join(dir, `accounts-${accounts}.json`);
  await writePortfolio(file, doc.accounts.slice(0, 200), accounts);
  for (const workers of [1, 2]) {
    const bossSchema = `${schema}_boss${workers}`;
    const children = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(url, bossSchema, `bench-${workers}-${i}`)));
    running.push(...children);
    const settings = { url, schema: bossSchema, expireInSeconds: 600, producerOnly: true };
    const boss = await startBoss(settings);
    const batch = await createStressBatch(store, { portfolios: file, shardSize });
    const t0 = performance.now();
    await enqueueBatch(boss, batch, settings);
    await boss.stop({ graceful: false, wait: true });
    while ((await getBatch(store, batch.id)).status === 'running') await new Promise((r) => setTimeout(r, 200));
    const seconds = (performance.now() - t0) / 1000;
    const totals = await batchTotals(store, batch.id);
    if (totals.accounts !== accounts) throw new Error(`batch ${batch.id}: ${totals.accounts} results for ${accounts} accounts`);
    rows.push({ workers, seconds, rate: accounts / seconds, failed: totals.failed, peakMb: children.map((c) => peakRssMb(c.pid)) });
    for (const c of children) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
    await admin(`drop schema if exists ${bossSchema} cascade`);
  }
} finally {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await store.close();
  await admin(`drop schema if exists ${schema} cascade`);
  rmSync(dir, { recursive: true, force: true });
}
console.log(`stress batch: ${accounts.toLocaleString('en-US')} accounts, shards of ${shardSize}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('workers  seconds  accounts/s  scaling  failures  peak RSS per worker (MB)');
for (const r of rows) console.log(`${String(r.workers).padStart(7)}  ${r.seconds.toFixed(1).padStart(7)}  ${Math.round(r.rate).toLocaleString('en-US').padStart(10)}  ${(r.rate / rows[0]!.rate).toFixed(2).padStart(7)}  ${String(r.failed).padStart(8)}  ${r.peakMb.map((m) => m.toFixed(0)).join(' / ')}`);
