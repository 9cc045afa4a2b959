/**
 * Random ill-conditioned sums and dot products with a prescribed condition number, after Ogita, Rump and Oishi,
 * "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6) (2005), Algorithm 6.1 (GenDot): the first half of
 * the terms have random signs and exponents spread over [0, log2(cond)]; each term of the second half has an
 * exponent decreasing linearly to 0 and subtracts (a rounded copy of) the exact partial result so far, so the
 * final result is small while the terms are large. The exact partial results use BigInt (exactFloat.ts).
 * The terms are then shuffled. The realised condition number is measured exactly by the caller.
 */
import type { Rng } from '../../src/math/rng.ts';
import { DOUBLE_SCALE, PRODUCT_SCALE, exactProduct, scaledToDouble, toScaled } from './exactFloat.ts';

function signedUniform(rng: Rng): number {
  return 2 * rng.nextFloat64() - 1;
}

function shuffleInPlace(rng: Rng, arrays: readonly Float64Array[]): void {
  const n = arrays[0]?.length ?? 0;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    for (const a of arrays) {
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
  }
}

/** n terms whose sum has a condition number sum|x| / |sum x| of roughly 2^log2Cond (n >= 4). */
export function generateIllConditionedSum(rng: Rng, n: number, log2Cond: number): Float64Array {
  const x = new Float64Array(n);
  const half = Math.floor(n / 2);
  for (let i = 0; i < half; i++) {
    const e = i === 0 ? log2Cond : Math.round(rng.nextFloat64() * log2Cond);
    x[i] = signedUniform(rng) * 2 ** e;
  }
  let partial = 0n;
  for (let i = 0; i < half; i++) partial += toScaled(x[i] as number);
  const rest = n - half;
  for (let k = 0; k < rest; k++) {
    const e = Math.round((log2Cond * (rest - 1 - k)) / (rest - 1));
    const xi = signedUniform(rng) * 2 ** e - scaledToDouble(partial, DOUBLE_SCALE);
    x[half + k] = xi;
    partial += toScaled(xi);
  }
  shuffleInPlace(rng, [x]);
  return x;
}

/** Vectors a, b of length n whose dot product has a condition number of roughly 2^log2Cond (n >= 4). */
export function generateIllConditionedDot(
  rng: Rng,
  n: number,
  log2Cond: number,
): { readonly a: Float64Array; readonly b: Float64Array } {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const half = Math.floor(n / 2);
  const eMax = log2Cond / 2;
  for (let i = 0; i < half; i++) {
    const e = i === 0 ? Math.round(eMax) + 1 : i === half - 1 ? 0 : Math.round(rng.nextFloat64() * eMax);
    a[i] = signedUniform(rng) * 2 ** e;
    b[i] = signedUniform(rng) * 2 ** e;
  }
  let partial = 0n;
  for (let i = 0; i < half; i++) partial += exactProduct(a[i] as number, b[i] as number);
  const rest = n - half;
  for (let k = 0; k < rest; k++) {
    const e = Math.round((eMax * (rest - 1 - k)) / (rest - 1));
    let ai = signedUniform(rng) * 2 ** e;
    if (ai === 0) ai = 2 ** e;
    const bi = (signedUniform(rng) * 2 ** e - scaledToDouble(partial, PRODUCT_SCALE)) / ai;
    a[half + k] = ai;
    b[half + k] = bi;
    partial += exactProduct(ai, bi);
  }
  shuffleInPlace(rng, [a, b]);
  return { a, b };
}
