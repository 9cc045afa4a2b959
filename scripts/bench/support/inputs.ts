/**
 * Seeded benchmark inputs for the pricing benchmark, as a structure of arrays (the `BsBatch` shape of
 * src/pricing/batch.ts). Every option has spot 100, rate 0.03, carry (yield) 0.01; expiry uniform in [0.02, 2]
 * years, vol uniform in [0.1, 1.0]; log forward-moneyness ln(K/F) uniform in [-0.3, 0.3] for three options in four
 * (the liquid core) and in [-2, 2] for the rest (the wings, where prices reach the smallest doubles); calls at even
 * indices, puts at odd ones (exactly half each for even n). Draws come from `createRng(seed)` (xoshiro128**), so the
 * same seed gives the same inputs, byte for byte, on every machine.
 */
import { createRng } from '../../../src/math/rng.ts';
import type { BsBatch } from '../../../src/pricing/index.ts';

/** Fixed market parameters of the benchmark book. */
export const BENCH_SPOT = 100;
export const BENCH_RATE = 0.03;
export const BENCH_CARRY = 0.01;
/** Share of options whose ln(K/F) is drawn from the wide range [-2, 2]. */
export const WIDE_SHARE = 0.25;

/** Benchmark inputs: the batch plus the drawn log forward-moneyness ln(K/F) and whether it came from the wide set. */
export interface BenchInputs {
  readonly batch: BsBatch;
  readonly logMoneyness: Float64Array;
  readonly wide: Uint8Array;
  readonly seed: number;
}

/** Draw n options from `seed` (see the module note for the distribution). */
export function makeBenchInputs(n: number, seed: number): BenchInputs {
  const rng = createRng(seed);
  const spot = new Float64Array(n).fill(BENCH_SPOT);
  const strike = new Float64Array(n);
  const expiry = new Float64Array(n);
  const rate = new Float64Array(n).fill(BENCH_RATE);
  const carry = new Float64Array(n).fill(BENCH_CARRY);
  const vol = new Float64Array(n);
  const isCall = new Uint8Array(n);
  const logMoneyness = new Float64Array(n);
  const wide = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const T = 0.02 + 1.98 * rng.nextFloat64();
    const sigma = 0.1 + 0.9 * rng.nextFloat64();
    const isWide = rng.nextFloat64() < WIDE_SHARE;
    const k = isWide ? -2 + 4 * rng.nextFloat64() : -0.3 + 0.6 * rng.nextFloat64();
    const forward = BENCH_SPOT * Math.exp((BENCH_RATE - BENCH_CARRY) * T);
    expiry[i] = T;
    vol[i] = sigma;
    strike[i] = forward * Math.exp(k);
    logMoneyness[i] = k;
    wide[i] = isWide ? 1 : 0;
    isCall[i] = i % 2 === 0 ? 1 : 0;
  }
  return Object.freeze({
    batch: Object.freeze({ length: n, spot, strike, expiry, rate, carry, vol, isCall }),
    logMoneyness, wide, seed,
  });
}

/** The first m options of a batch (views, no copy). */
export function headOfBatch(batch: BsBatch, m: number): BsBatch {
  const k = Math.min(m, batch.length);
  return Object.freeze({
    length: k, spot: batch.spot.subarray(0, k), strike: batch.strike.subarray(0, k),
    expiry: batch.expiry.subarray(0, k), rate: batch.rate.subarray(0, k), carry: batch.carry.subarray(0, k),
    vol: batch.vol.subarray(0, k), isCall: batch.isCall.subarray(0, k),
  });
}

/** Names, in file order, of the float64 columns `writeBatchBinary` writes (isCall as 0.0/1.0). */
export const BINARY_COLUMNS = ['spot', 'strike', 'expiry', 'rate', 'carry', 'vol', 'isCall'] as const;

/** The batch as seven little-endian float64 columns of length n, one after another (the layout numpy reads). */
export function batchToBinary(batch: BsBatch): Uint8Array {
  const n = batch.length;
  const out = new Float64Array(7 * n);
  out.set(batch.spot.subarray(0, n), 0);
  out.set(batch.strike.subarray(0, n), n);
  out.set(batch.expiry.subarray(0, n), 2 * n);
  out.set(batch.rate.subarray(0, n), 3 * n);
  out.set(batch.carry.subarray(0, n), 4 * n);
  out.set(batch.vol.subarray(0, n), 5 * n);
  for (let i = 0; i < n; i++) out[6 * n + i] = batch.isCall[i]!;
  return new Uint8Array(out.buffer);
}
