/**
 * Correlation-layer benchmark: TypeScript versus numpy/scipy/sklearn on the same inputs.
 *
 *   npx tsx scripts/bench/correlation.ts [--quick] [--reps 3]
 *
 * Workloads
 *  1. a 9-asset x 3000-day returns panel (seeded createRng, t(4)-like tails): EWMA (lambda 0.94), Ledoit–Wolf
 *     (identity and constant-correlation), OAS, and nearest-correlation repair of a stress-edited 9 x 9 matrix;
 *  2. nearest correlation on random symmetric matrices with uniform(-1, 1) off-diagonal and unit diagonal
 *     (methods.md 7.2), n = 100 and n = 500, both methods, tolerance 1e-6 (1e-6 is also numpy's tolerance);
 *  3. one full symmetric eigen-decomposition at n = 100 and 500 (TS, ml-matrix's JAMA port, numpy eigh).
 * numpy runs in a /usr/bin/python3 subprocess on the very same numbers (binary float64 files) with the
 * implementations of scripts/reference/correlation_numpy.py; it is skipped, saying so, when unavailable.
 * Timings: best of `reps` runs of process CPU time (user + system), which a busy shared machine inflates
 * far less than wall-clock time (also shown for TypeScript). numpy runs with OPENBLAS_NUM_THREADS=1 so both
 * sides use one core. Read the figures as orders of magnitude.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { createRng } from '../../src/math/index.ts';
import { symmetricEigen } from '../../src/math/symmetricEigen.ts';
import {
  ewmaCovariance,
  ledoitWolf,
  nearestCorrelation,
  nearestCorrelationFlat,
  oasCovariance,
  correlationFromCovariance,
} from '../../src/correlation/index.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const reps = repsArg >= 0 ? Number(args[repsArg + 1]) : 3;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'aftershock-bench-corr-'));
const loadAtStart = loadavg();

interface Row {
  workload: string;
  /** TypeScript CPU ms (best of reps). */
  tsMs: number;
  /** TypeScript wall ms (best of reps). */
  tsWallMs: number;
  pyMs?: number | undefined;
  note: string;
}
const rows: Row[] = [];

/** Best-of-n CPU time (ms) and wall time (ms) of f after `warmup` untimed calls (JIT), with its last value. */
function best<T>(n: number, f: () => T, warmup = 2): { ms: number; wallMs: number; value: T } {
  for (let i = 0; i < warmup; i++) f();
  let ms = Number.POSITIVE_INFINITY;
  let wallMs = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    value = f();
    wallMs = Math.min(wallMs, performance.now() - t);
    const d = process.cpuUsage(c);
    ms = Math.min(ms, (d.user + d.system) / 1000);
  }
  return { ms, wallMs, value: value as T };
}

function writeMatrix(name: string, data: Float64Array): string {
  const file = join(work, name);
  writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

function flatten(m: number[][]): Float64Array {
  const out = new Float64Array(m.length * (m[0]?.length ?? 0));
  m.forEach((row, i) => row.forEach((v, j) => (out[i * row.length + j] = v)));
  return out;
}

// ---------------------------------------------------------------- inputs
const rng = createRng('bench/correlation/v1');
const assets = 9;
const days = 3000;
const panel: number[][] = [];
{
  // factor structure: one market factor + idiosyncratic, crypto-like vols, t(4)-ish shared scale
  const beta = [1, 1.1, 1.3, 1.2, 1.4, 0.9, 1.25, 1.15, 0.8];
  const idio = [0.01, 0.015, 0.025, 0.02, 0.03, 0.012, 0.022, 0.02, 0.015];
  for (let t = 0; t < days; t++) {
    let chi = 0;
    for (let k = 0; k < 4; k++) chi += rng.nextNormal() ** 2;
    const s = Math.sqrt(2 / chi); // t(4) scale with unit variance
    const f = 0.025 * rng.nextNormal() * s;
    panel.push(beta.map((b, j) => b * f + idio[j]! * rng.nextNormal() * s));
  }
}
function randomUnitDiagonal(n: number, seed: string): Float64Array {
  const r = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    for (let j = 0; j < i; j++) {
      const v = 2 * r.nextFloat64() - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}
const ncmSizes = quick ? [100] : [100, 500];
const ncmInputs = new Map(ncmSizes.map((n) => [n, randomUnitDiagonal(n, `bench/ncm/${n}`)]));

// ---------------------------------------------------------------- TypeScript
writeMatrix('panel.bin', flatten(panel));
const smallReps = Math.max(reps, 20);
const ewma = best(smallReps, () => ewmaCovariance(panel, { lambda: 0.94 }));
rows.push({ workload: `EWMA covariance 9 x 3000 (lambda 0.94)`, tsMs: ewma.ms, tsWallMs: ewma.wallMs, note: '' });
const lwI = best(smallReps, () => ledoitWolf(panel));
rows.push({ workload: 'Ledoit-Wolf identity 9 x 3000', tsMs: lwI.ms, tsWallMs: lwI.wallMs, note: `s = ${lwI.value.shrinkage.toFixed(6)}` });
const lwC = best(smallReps, () => ledoitWolf(panel, { target: 'constant-correlation' }));
rows.push({ workload: 'Ledoit-Wolf const-corr 9 x 3000', tsMs: lwC.ms, tsWallMs: lwC.wallMs, note: `s = ${lwC.value.shrinkage.toFixed(6)}` });
const oasR = best(smallReps, () => oasCovariance(panel));
rows.push({ workload: 'OAS 9 x 3000', tsMs: oasR.ms, tsWallMs: oasR.wallMs, note: `s = ${oasR.value.shrinkage.toFixed(6)}` });
// stress-edited EWMA correlation: block override makes it indefinite
const stressed = correlationFromCovariance(ewma.value).map((r) => r.slice());
for (const [i, j, v] of [[0, 1, 0.99], [1, 2, 0.99], [0, 2, -0.5], [3, 4, 0.98], [4, 5, -0.7]] as const) {
  stressed[i]![j] = v;
  stressed[j]![i] = v;
}
writeMatrix('stressed.bin', flatten(stressed));
const repairH = best(smallReps, () => nearestCorrelation(stressed, { method: 'higham', tolerance: 1e-10 }));
const repairN = best(smallReps, () => nearestCorrelation(stressed, { method: 'newton', tolerance: 1e-10 }));
rows.push({ workload: 'NCM repair 9 x 9, higham (tol 1e-10)', tsMs: repairH.ms, tsWallMs: repairH.wallMs, note: `${repairH.value.iterations} it, dist ${repairH.value.distance.toFixed(6)}` });
rows.push({ workload: 'NCM repair 9 x 9, newton (tol 1e-10)', tsMs: repairN.ms, tsWallMs: repairN.wallMs, note: `${repairN.value.iterations} it, dist ${repairN.value.distance.toFixed(6)}` });

const eigMs = new Map<number, { ts: number; tsWall: number; ml: number }>();
for (const n of ncmSizes) {
  const a = ncmInputs.get(n)!;
  const tsRun = best(n >= 500 ? reps : smallReps, () => symmetricEigen(a, n));
  const rowsA = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
  const ml = best(n >= 500 ? 1 : reps, () => new EigenvalueDecomposition(new Matrix(rowsA), { assumeSymmetric: true }), n >= 500 ? 0 : 2).ms;
  eigMs.set(n, { ts: tsRun.ms, tsWall: tsRun.wallMs, ml });
}
const tsNcm = new Map<string, { ms: number; wallMs: number; x: Float64Array; note: string }>();
for (const n of ncmSizes) {
  const a = ncmInputs.get(n)!;
  writeMatrix(`ncm${n}.bin`, a);
  for (const method of ['newton', 'higham'] as const) {
    const slow = n >= 500 && method === 'higham';
    const r = best(slow ? 1 : reps, () => nearestCorrelationFlat(a, n, { method, tolerance: 1e-6 }), n >= 500 ? 0 : 1);
    const v = r.value;
    const extra = method === 'newton' ? `, ${v.cgIterations} CG` : '';
    tsNcm.set(`${n}/${method}`, { ms: r.ms, wallMs: r.wallMs, x: v.matrix, note: `${v.iterations} it${extra}, ${v.eigenDecompositions} eig, ${v.stopReason}` });
  }
}

// ---------------------------------------------------------------- numpy peer
const py = '/usr/bin/python3';
const probe = spawnSync(py, ['-c', 'import numpy, sklearn, scipy'], { encoding: 'utf8' });
let pyOut: Record<string, number> | undefined;
let pyNote = '';
if (probe.status === 0) {
  const script = `
import json, sys, time
import numpy as np
sys.path.insert(0, ${JSON.stringify(join(root, 'scripts', 'reference'))})
import correlation_numpy as cn
from sklearn.covariance import ledoit_wolf, oas
work = ${JSON.stringify(work)}
reps = ${reps}
out = {}
def best(n, f):
    t_best = float('inf'); v = None
    for _ in range(n):
        t = time.process_time(); v = f(); t_best = min(t_best, time.process_time() - t)
    return t_best * 1e3, v
panel = np.fromfile(work + '/panel.bin').reshape(${days}, ${assets})
def ewma_rec(r, lam):
    s = r.T @ r / r.shape[0]
    for t in range(r.shape[0]):
        s = lam * s + (1 - lam) * np.outer(r[t], r[t])
    return s
small = max(reps, 20)
out['ewma'], _ = best(small, lambda: ewma_rec(panel, 0.94))
out['ewma_closed'], _ = best(small, lambda: cn.ewma_sample(panel, 0.94, panel.shape[0]))
out['lw'], _ = best(small, lambda: ledoit_wolf(panel))
out['cc'], _ = best(small, lambda: cn.covcor(panel))
out['oas'], _ = best(small, lambda: oas(panel))
st = np.fromfile(work + '/stressed.bin').reshape(${assets}, ${assets})
out['rep_h'], _ = best(small, lambda: cn.nearcorr_ap(st, tol=1e-10))
out['rep_n'], _ = best(small, lambda: cn.nearcorr_newton(st, tol=1e-10))
for n in ${JSON.stringify(ncmSizes)}:
    a = np.fromfile(work + '/ncm%d.bin' % n).reshape(n, n)
    out['eig%d' % n], _ = best(reps if n >= 500 else small, lambda: np.linalg.eigh(a))
    ms, (x, it, cg) = best(reps, lambda: cn.nearcorr_newton(a, tol=1e-6))
    out['newton%d' % n] = ms; out['newton%d_it' % n] = it; out['newton%d_cg' % n] = cg
    cn.scale_unit_diag(x).tofile(work + '/py_newton%d.bin' % n)
    ms, (x, it) = best(1 if n >= 500 else reps, lambda: cn.nearcorr_ap(a, tol=1e-6))
    out['higham%d' % n] = ms; out['higham%d_it' % n] = it
    cn.scale_unit_diag(x).tofile(work + '/py_higham%d.bin' % n)
print(json.dumps(out))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const res = spawnSync(py, ['-'], { input: script, encoding: 'utf8', maxBuffer: 1 << 26, env });
  if (res.status === 0) pyOut = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  else pyNote = `numpy run failed: ${res.stderr.slice(0, 300)}`;
} else {
  pyNote = 'numpy/sklearn not available: peer column skipped';
}

function maxDiffTo(file: string, x: Float64Array): number {
  const buf = readFileSync(join(work, file));
  const y = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]! - y[k]!));
  return m;
}

const peer = (k: string): number | undefined => pyOut?.[k];
rows[0]!.pyMs = peer('ewma');
rows[0]!.note = pyOut ? `numpy recursion; closed form ${peer('ewma_closed')!.toFixed(2)} ms` : '';
rows[1]!.pyMs = peer('lw');
rows[1]!.note += ' (sklearn)';
rows[2]!.pyMs = peer('cc');
rows[2]!.note += ' (numpy covCor port)';
rows[3]!.pyMs = peer('oas');
rows[3]!.note += ' (sklearn)';
rows[4]!.pyMs = peer('rep_h');
rows[5]!.pyMs = peer('rep_n');
for (const n of ncmSizes) {
  const e = eigMs.get(n)!;
  rows.push({ workload: `eigen-decomposition n=${n} (vectors)`, tsMs: e.ts, tsWallMs: e.tsWall, ...(peer(`eig${n}`) !== undefined ? { pyMs: peer(`eig${n}`)! } : {}), note: `ml-matrix (JAMA) ${e.ml.toFixed(0)} ms; numpy = LAPACK eigh` });
  for (const method of ['newton', 'higham'] as const) {
    const t = tsNcm.get(`${n}/${method}`)!;
    let note = `TS: ${t.note}`;
    if (pyOut) {
      const it = peer(`${method}${n}_it`);
      note += `; numpy ${it} it${method === 'newton' ? `, ${peer(`newton${n}_cg`)} CG` : ''}; max|X_ts - X_np| = ${maxDiffTo(`py_${method}${n}.bin`, t.x).toExponential(1)}`;
    }
    rows.push({ workload: `NCM n=${n}, ${method} (tol 1e-6)`, tsMs: t.ms, tsWallMs: t.wallMs, ...(peer(`${method}${n}`) !== undefined ? { pyMs: peer(`${method}${n}`)! } : {}), note });
  }
}

// ---------------------------------------------------------------- table
const fmt = (ms: number | undefined): string => (ms === undefined ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const loadBefore = loadAtStart.map((l) => l.toFixed(2)).join(' ');
console.log(`correlation bench: node ${process.version}; CPU ms after JIT warm-up, best of ${smallReps} for the small workloads, ${reps} for n >= 100 (1 for n=500 higham and ml-matrix n=500); numpy single-threaded`);
console.log(`load average at start ${loadBefore}, at end ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 vCPUs: above ~1 the wall times inflate)`);
if (pyNote) console.log(pyNote);
const header = ['workload', 'TS cpu ms', 'TS wall ms', 'numpy cpu ms', 'TS/numpy', 'notes'];
const body = rows.map((r) => [r.workload, fmt(r.tsMs), fmt(r.tsWallMs), fmt(r.pyMs), r.pyMs === undefined ? '-' : (r.tsMs / r.pyMs).toFixed(1) + 'x', r.note]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const b of body) console.log(line(b));
rmSync(work, { recursive: true, force: true });
