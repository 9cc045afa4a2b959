/**
 * Seeded, reproducible pseudo-random numbers. Nothing here reads a clock or `Math.random`: the same seed gives
 * the same stream, byte for byte, on every platform (all integer work is exact 32-bit arithmetic; the only
 * libm call is `Math.log` in `nextNormal`).
 *
 * Generator: xoshiro128** 1.1 by D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators",
 * ACM Trans. Math. Softw. 47(4), 2021 (arXiv:1805.01407, 2018); reference code
 * https://prng.di.unimi.it/xoshiro128starstar.c . 128 bits of state, period 2^128 - 1, 32-bit outputs
 * `rotl(s1 * 5, 7) * 9`. Not cryptographic.
 *
 * Seeding, as the authors recommend, goes through SplitMix64 (G. L. Steele, D. Lea, C. H. Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014; Vigna's splitmix64.c): from a 64-bit initial state,
 * two SplitMix64 outputs z0, z1 become the xoshiro state words (lo32(z0), hi32(z0), lo32(z1), hi32(z1)), which
 * are never all zero. The 64-bit initial state is
 * - for a number seed n (a safe integer): n mod 2^64 (two's complement), so distinct seeds give distinct states;
 * - for a string seed: FNV-1a-64 (Fowler/Noll/Vo) of its UTF-8 bytes (lone surrogates become U+FFFD);
 * - for `fork(label)`: FNV-1a-64 of the parent's 16 state bytes (words s0..s3, each little endian) followed by
 *   the UTF-8 bytes of `label`;
 * - for `split()`: a + 2^32 b, where a, b are the parent's next two `nextUint32()` outputs.
 *
 * The committed reference fixtures/reference/rng/rng_reference.json is produced by an independent Python
 * implementation of this specification (scripts/reference/make_rng_reference.py), itself checked against the
 * published xoshiro128**, SplitMix64 and FNV-1a test vectors.
 */

const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_MINUS_52 = 2.220446049250313e-16;
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;
const MASK_64 = 0xffffffffffffffffn;

/** A seed: a safe integer (|n| <= 2^53 - 1; negative values allowed) or any string. */
export type RngSeed = number | string;

/**
 * A snapshot of a generator, a plain JSON-serialisable value: the four xoshiro128** state words (uint32,
 * s0 first) and the second normal deviate of the last Marsaglia pair if it has not been returned yet.
 * `restoreRng(state)` resumes the stream exactly where `state()` was taken.
 */
export interface RngState {
  readonly algorithm: 'xoshiro128**';
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

/** A seeded pseudo-random stream (mutable: every draw advances it). */
export interface Rng {
  /** The next raw 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number;
  /**
   * Uniform on [0, 1) with 53 random bits: (a >>> 5) * 2^26 + (b >>> 6), divided by 2^53, from two successive
   * draws a, b. Every multiple of 2^-53 in [0, 1) has probability 2^-53; 0 is possible, 1 is not.
   */
  nextFloat64(): number;
  /**
   * Uniform on the open interval (0, 1): ((a >>> 6) * 2^26 + (b >>> 6) + 0.5) / 2^52, the midpoints of a grid of
   * 2^52 cells, so never 0 or 1 and symmetric (u and 1 - u are equally likely). For logs and inverse CDFs.
   */
  nextFloat64Open(): number;
  /**
   * A standard normal deviate (mean 0, variance 1) by Marsaglia's polar method (G. Marsaglia, T. A. Bray,
   * SIAM Review 6(3) 1964): u, v = 2 nextFloat64() - 1 until 0 < s = u^2 + v^2 < 1, then u f and v f with
   * f = sqrt(-2 ln(s) / s). Values come in pairs; the second is kept (it is part of `state()`) and returned by
   * the next call.
   */
  nextNormal(): number;
  /**
   * An integer uniform on {0, ..., n - 1}, unbiased (rejection sampling, never a bare modulo). For n <= 2^32 it
   * draws x = nextUint32() until x < 2^32 - (2^32 mod n) and returns x mod n; for larger n it does the same
   * with a 53-bit integer made of two draws. Always consumes at least one draw.
   * @param n the number of outcomes, an integer in [1, 2^53 - 1]; throws RangeError otherwise.
   */
  nextInt(n: number): number;
  /**
   * A new generator derived deterministically from this one's current state and `label` (see the module note).
   * Does not advance this generator: forking the same label at the same point gives the same child, and
   * different labels give unrelated streams. Use it for named substreams (per scenario, per account).
   */
  fork(label: string): Rng;
  /**
   * A new, independent generator seeded from this one's next two 32-bit outputs (so this generator advances
   * by two draws). Use it for anonymous children; `fork` for named ones.
   */
  split(): Rng;
  /** The current state, to resume later with `restoreRng`. */
  state(): RngState;
}

function invalid(field: string, value: unknown, expected: string): RangeError {
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') shown = String(value);
  else if (value === null || value === undefined) shown = String(value);
  else shown = typeof value;
  return new RangeError(`${field} must be ${expected}, got ${shown}`);
}

const utf8 = new TextEncoder();

/** FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3. */
function fnv1a64(bytes: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < bytes.length; i++) {
    h ^= BigInt(bytes[i] as number);
    h = (h * 0x100000001b3n) & MASK_64;
  }
  return h;
}

/** One SplitMix64 output from `state`, returned with the advanced state. */
function splitMix64(state: bigint): readonly [next: bigint, output: bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK_64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return [next, z ^ (z >> 31n)];
}

function fromSplitMixState(initial: bigint): Xoshiro128StarStar {
  const [state1, z0] = splitMix64(initial & MASK_64);
  const [, z1] = splitMix64(state1);
  return new Xoshiro128StarStar(
    Number(z0 & 0xffffffffn),
    Number(z0 >> 32n),
    Number(z1 & 0xffffffffn),
    Number(z1 >> 32n),
    false,
    0,
  );
}

class Xoshiro128StarStar implements Rng {
  // State words kept as int32 (the results of the bitwise operators); state() reports them as uint32.
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private hasSpare: boolean;
  private spare: number;

  constructor(s0: number, s1: number, s2: number, s3: number, hasSpare: boolean, spare: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    this.hasSpare = hasSpare;
    this.spare = spare;
  }

  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** An integer uniform on [0, 2^53) from two draws (the first gives the high 27 bits). */
  private next53(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return hi * TWO_POW_26 + lo;
  }

  nextFloat64(): number {
    return this.next53() * TWO_POW_MINUS_53;
  }

  nextFloat64Open(): number {
    const hi = this.nextUint32() >>> 6;
    const lo = this.nextUint32() >>> 6;
    return (hi * TWO_POW_26 + lo + 0.5) * TWO_POW_MINUS_52;
  }

  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      const z = this.spare;
      this.spare = 0;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextFloat64() - 1;
      v = 2 * this.nextFloat64() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) throw invalid('n', n, 'an integer in [1, 2^53 - 1]');
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % n;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    let x = this.next53();
    while (x >= limit) x = this.next53();
    return x % n;
  }

  fork(label: string): Rng {
    if (typeof label !== 'string') throw invalid('label', label, 'a string');
    const labelBytes = utf8.encode(label);
    const bytes = new Uint8Array(16 + labelBytes.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, this.s0 >>> 0, true);
    view.setUint32(4, this.s1 >>> 0, true);
    view.setUint32(8, this.s2 >>> 0, true);
    view.setUint32(12, this.s3 >>> 0, true);
    bytes.set(labelBytes, 16);
    return fromSplitMixState(fnv1a64(bytes));
  }

  split(): Rng {
    const a = this.nextUint32();
    const b = this.nextUint32();
    return fromSplitMixState(BigInt(a) | (BigInt(b) << 32n));
  }

  state(): RngState {
    const words = Object.freeze([this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] as const);
    return Object.freeze({ algorithm: 'xoshiro128**', words, spareNormal: this.hasSpare ? this.spare : null });
  }
}

/**
 * A generator seeded from `seed` (see the module note for the exact derivation).
 * @param seed a safe integer (negative allowed) or a string; throws RangeError for other numbers
 *   (fractions, NaN, infinities, |n| > 2^53 - 1) and other types.
 */
export function createRng(seed: RngSeed): Rng {
  if (typeof seed === 'string') return fromSplitMixState(fnv1a64(utf8.encode(seed)));
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return fromSplitMixState(BigInt.asUintN(64, BigInt(seed)));
  throw invalid('seed', seed, 'a safe integer or a string');
}

/**
 * A generator that continues exactly where `state` was taken (`rng.state()`), e.g. after a JSON round trip.
 * The words may also be set directly (any four uint32 not all zero) to run xoshiro128** from a given state.
 * @throws RangeError naming the offending field if the state is malformed.
 */
export function restoreRng(state: RngState): Rng {
  if (typeof state !== 'object' || state === null) throw invalid('state', state, 'an RngState object');
  if (state.algorithm !== 'xoshiro128**') throw invalid('state.algorithm', state.algorithm, "'xoshiro128**'");
  const words: unknown = state.words;
  if (!Array.isArray(words) || words.length !== 4) throw invalid('state.words', words, 'an array of 4 uint32');
  for (let i = 0; i < 4; i++) {
    const w: unknown = words[i];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w >= TWO_POW_32) {
      throw invalid(`state.words[${i}]`, w, 'an integer in [0, 2^32)');
    }
  }
  const [w0, w1, w2, w3] = words as [number, number, number, number];
  if ((w0 | w1 | w2 | w3) === 0) throw new RangeError('state.words must not be all zero, got [0, 0, 0, 0]');
  const spare: unknown = state.spareNormal;
  if (spare !== null && (typeof spare !== 'number' || !Number.isFinite(spare))) {
    throw invalid('state.spareNormal', spare, 'a finite number or null');
  }
  return new Xoshiro128StarStar(w0, w1, w2, w3, spare !== null, spare === null ? 0 : (spare as number));
}
