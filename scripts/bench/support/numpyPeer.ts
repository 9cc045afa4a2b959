/**
 * Runs scripts/bench/pricing_numpy.py (vectorised numpy + scipy.special.ndtr Black-Scholes) as a subprocess on the
 * exact inputs of the TypeScript benchmark: the batch is written to a temporary binary file (seven float64
 * columns, see `batchToBinary`), the script times its kernels and prints JSON on stdout, and writes its prices to a
 * second temporary file that is read back here for the accuracy comparison. The temporary directory is removed
 * afterwards. Python is `/usr/bin/python3`; when it lacks numpy or scipy the result says so instead of failing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BsBatch } from '../../../src/pricing/index.ts';
import { batchToBinary } from './inputs.ts';
import { timingOf, type Timing } from './timing.ts';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pricing_numpy.py');

/** Timings (ms per run) and prices from the numpy peer, or why it did not run. */
export type NumpyResult =
  | {
    readonly ok: true;
    readonly versions: string;
    readonly price: Timing;
    readonly greeks: Timing;
    readonly prices: Float64Array;
  }
  | { readonly ok: false; readonly reason: string };

/** Run the numpy peer on `batch` with `reps` timed runs per kernel. */
export function runNumpyPeer(batch: BsBatch, reps: number): NumpyResult {
  const check = spawnSync(PYTHON, ['-c', 'import numpy, scipy.special'], { encoding: 'utf8' });
  if (check.error || check.status !== 0) {
    const why = check.error ? String(check.error) : check.stderr.trim().split('\n').at(-1) ?? 'unknown error';
    return { ok: false, reason: `${PYTHON} without numpy/scipy: ${why}` };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aftershock-bench-'));
  try {
    const input = path.join(dir, 'inputs.f64');
    const pricesOut = path.join(dir, 'prices.f64');
    writeFileSync(input, batchToBinary(batch));
    const run = spawnSync(
      PYTHON, [SCRIPT, '--input', input, '--n', String(batch.length), '--reps', String(reps), '--prices-out', pricesOut],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (run.error || run.status !== 0) {
      return { ok: false, reason: `pricing_numpy.py failed: ${run.error ? String(run.error) : run.stderr.trim()}` };
    }
    const parsed = JSON.parse(run.stdout) as {
      python: string; numpy: string; scipy: string; priceRunsMs: number[]; greeksRunsMs: number[];
      priceBestCpuMs: number; greeksBestCpuMs: number; error?: string;
    };
    if (parsed.error) return { ok: false, reason: parsed.error };
    const bytes = readFileSync(pricesOut);
    const prices = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return {
      ok: true,
      versions: `Python ${parsed.python}, numpy ${parsed.numpy}, scipy ${parsed.scipy}`,
      price: timingOf(parsed.priceRunsMs, parsed.priceBestCpuMs),
      greeks: timingOf(parsed.greeksRunsMs, parsed.greeksBestCpuMs),
      prices,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
