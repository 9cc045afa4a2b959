import { readFileSync } from 'node:fs';
import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { createRng, restoreRng } from '../../src/math/rng.ts';
import type { Rng, RngState } from '../../src/math/rng.ts';
import { chiSquareTest, ksTest, sampleMoments, uniformBinsTest } from '../support/stats.ts';

interface ReferenceCase {
  readonly seed: number | string;
  readonly initialWords: number[];
  readonly uint32: number[];
  readonly float64: number[];
  readonly float64Open: number[];
  readonly normal: number[];
  readonly wordsAfter9Normals: number[];
  readonly spareAfter9Normals: number | null;
  readonly int: { readonly bounds: number[]; readonly draws: number[][] };
  readonly wordsAfterInts: number[];
  readonly fork: {
    readonly afterUint32Draws: number;
    readonly children: { readonly label: string; readonly uint32: number[] }[];
    readonly parentNextUint32: number[];
  };
  readonly split: { readonly childUint32: number[]; readonly grandchildUint32: number[]; readonly parentNextUint32: number[] };
}
interface Reference {
  readonly published: { readonly xoshiro128starstar: { readonly words: number[]; readonly uint32: number[] } };
  readonly cases: ReferenceCase[];
}

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/reference/rng/rng_reference.json', import.meta.url), 'utf8'),
) as Reference;

const draws = (rng: Rng, n: number, f: (r: Rng) => number = (r) => r.nextUint32()): number[] =>
  Array.from({ length: n }, () => f(rng));

/** Five standard errors: a fixed-seed statistic this far out would have probability < 6e-7 under the null. */
const Z = 5;
const P_MIN = 1e-6;

describe('createRng: agreement with the independent Python reference (scripts/reference/make_rng_reference.py)', () => {
  it('reproduces the published xoshiro128** 1.1 outputs from state (1, 2, 3, 4)', () => {
    const pub = reference.published.xoshiro128starstar;
    const rng = restoreRng({ algorithm: 'xoshiro128**', words: [1, 2, 3, 4], spareNormal: null });
    expect(pub.words).toEqual([1, 2, 3, 4]);
    expect(draws(rng, pub.uint32.length)).toEqual(pub.uint32);
  });

  for (const c of reference.cases) {
    it(`seed ${JSON.stringify(c.seed)}: state, uint32, float64, open float64, normals, ints, fork, split`, () => {
      expect(createRng(c.seed).state().words).toEqual(c.initialWords);
      expect(draws(createRng(c.seed), 16)).toEqual(c.uint32);
      expect(draws(createRng(c.seed), 8, (r) => r.nextFloat64())).toEqual(c.float64);
      expect(draws(createRng(c.seed), 8, (r) => r.nextFloat64Open())).toEqual(c.float64Open);

      const g = createRng(c.seed);
      const normals = draws(g, c.normal.length, (r) => r.nextNormal());
      // Only Math.log can differ from Python's libm log (both are faithful); allow 4 ulps, expect identity.
      normals.forEach((z, i) => expect(Math.abs(z - (c.normal[i] as number))).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(z)));
      expect(g.state().words).toEqual(c.wordsAfter9Normals);
      expect(g.state().spareNormal).not.toBeNull();
      expect(Math.abs((g.state().spareNormal as number) - (c.spareAfter9Normals as number))).toBeLessThanOrEqual(
        4 * Number.EPSILON * Math.abs(c.spareAfter9Normals as number),
      );

      const h = createRng(c.seed);
      const ints = c.int.bounds.map((n) => [h.nextInt(n), h.nextInt(n), h.nextInt(n)]);
      expect(ints).toEqual(c.int.draws);
      expect(h.state().words).toEqual(c.wordsAfterInts);

      const parent = createRng(c.seed);
      draws(parent, c.fork.afterUint32Draws);
      for (const child of c.fork.children) expect(draws(parent.fork(child.label), 8)).toEqual(child.uint32);
      expect(draws(parent, 4)).toEqual(c.fork.parentNextUint32); // forking did not advance the parent

      const p = createRng(c.seed);
      const child = p.split();
      const grandchild = child.split();
      expect(draws(child, 8)).toEqual(c.split.childUint32);
      expect(draws(grandchild, 8)).toEqual(c.split.grandchildUint32);
      expect(draws(p, 4)).toEqual(c.split.parentNextUint32);
    });
  }

  it('normals agree with the reference to the last bit in this environment (Math.log vs CPython math.log)', () => {
    let identical = 0;
    let total = 0;
    for (const c of reference.cases) {
      const g = createRng(c.seed);
      for (const z of c.normal) {
        total++;
        if (g.nextNormal() === z) identical++;
      }
    }
    expect(total).toBe(99);
    // not a portability claim: a different libm may round log differently by an ulp in rare cases
    expect(identical).toBe(total);
  });
});

describe('createRng: uniformity', () => {
  it('nextFloat64 passes a 64-bin chi-square test on 1e5 draws (p > 1e-6) and a KS test', () => {
    const rng = createRng('uniformity-float64');
    const chi = uniformBinsTest(() => rng.nextFloat64(), 100_000, 64);
    expect(chi.dof).toBe(63);
    expect(chi.pValue).toBeGreaterThan(P_MIN);
    const sample = Float64Array.from({ length: 100_000 }, () => rng.nextFloat64());
    expect(ksTest(sample, (x) => x).pValue).toBeGreaterThan(P_MIN);
  });

  it('nextFloat64Open passes the same tests and stays strictly inside (0, 1)', () => {
    const rng = createRng('uniformity-open');
    const chi = uniformBinsTest(() => rng.nextFloat64Open(), 100_000, 64);
    expect(chi.pValue).toBeGreaterThan(P_MIN);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.nextFloat64Open();
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
  });

  it('the chi-square check has power: it rejects a slightly distorted stream u^1.05 from the same seed', () => {
    const rng = createRng('uniformity-float64');
    const chi = uniformBinsTest(() => rng.nextFloat64() ** 1.05, 100_000, 64);
    expect(chi.pValue).toBeLessThan(P_MIN);
  });

  it('every bit of nextUint32 is set half the time (1e5 draws, within 5 standard errors)', () => {
    const rng = createRng('bits');
    const n = 100_000;
    const ones = new Float64Array(32);
    for (let i = 0; i < n; i++) {
      const x = rng.nextUint32();
      for (let b = 0; b < 32; b++) if ((x >>> b) & 1) ones[b] = (ones[b] as number) + 1;
    }
    const se = Math.sqrt(n * 0.25);
    for (let b = 0; b < 32; b++) expect(Math.abs((ones[b] as number) - n / 2), `bit ${b}`).toBeLessThan(Z * se);
  });
});

describe('createRng: nextNormal', () => {
  const n = 200_000;
  const rng = createRng('normal-moments');
  const x = Float64Array.from({ length: n }, () => rng.nextNormal());
  const m = sampleMoments(x);

  it('mean, variance, skewness and excess kurtosis within 5 standard errors of 0, 1, 0, 0', () => {
    // standard errors for a normal sample: mean 1/sqrt(n), variance sqrt(2/(n-1)), skewness sqrt(6/n),
    // excess kurtosis sqrt(24/n)
    expect(Math.abs(m.mean)).toBeLessThan(Z / Math.sqrt(n));
    expect(Math.abs(m.variance - 1)).toBeLessThan(Z * Math.sqrt(2 / (n - 1)));
    expect(Math.abs(m.skewness)).toBeLessThan(Z * Math.sqrt(6 / n));
    expect(Math.abs(m.excessKurtosis)).toBeLessThan(Z * Math.sqrt(24 / n));
  });

  it('passes a KS test against the normal CDF and a 64-bin chi-square test on normal quantiles', () => {
    expect(ksTest(x, (v) => jStat.normal.cdf(v, 0, 1)).pValue).toBeGreaterThan(P_MIN);
    const bins = 64;
    const counts = new Float64Array(bins);
    for (const v of x) {
      const k = Math.min(bins - 1, Math.floor(jStat.normal.cdf(v, 0, 1) * bins));
      counts[k] = (counts[k] as number) + 1;
    }
    expect(chiSquareTest(counts, new Float64Array(bins).fill(n / bins)).pValue).toBeGreaterThan(P_MIN);
  });

  it('the two members of each Marsaglia pair are uncorrelated, and the tails are populated', () => {
    let sxy = 0;
    const pairs = n / 2;
    for (let i = 0; i < n; i += 2) sxy += (x[i] as number) * (x[i + 1] as number);
    expect(Math.abs(sxy / pairs)).toBeLessThan(Z / Math.sqrt(pairs));
    // P(|Z| > 4) = 6.334e-5: about 12.7 expected in 2e5 draws
    const beyond4 = x.filter((v) => Math.abs(v) > 4).length;
    expect(beyond4).toBeGreaterThan(0);
    expect(beyond4).toBeLessThan(40);
  });
});

describe('createRng: nextInt', () => {
  it('is uniform over small ranges (chi-square, 6 and 1000 outcomes)', () => {
    const rng = createRng('int-small');
    for (const k of [6, 1000]) {
      const draws = 200 * k;
      const counts = new Float64Array(k);
      let outside = 0;
      for (let i = 0; i < draws; i++) {
        const v = rng.nextInt(k);
        if (!(Number.isInteger(v) && v >= 0 && v < k)) outside++;
        else counts[v] = (counts[v] as number) + 1;
      }
      expect(outside).toBe(0);
      expect(chiSquareTest(counts, new Float64Array(k).fill(draws / k)).pValue).toBeGreaterThan(P_MIN);
    }
  });

  it('is unbiased where a bare modulo is badly biased: n = 3 * 2^30 (32-bit path) and n = 3 * 2^50 (53-bit path)', () => {
    const draws = 100_000;
    const se = Math.sqrt(((1 / 3) * (2 / 3)) / draws);
    for (const [n, third] of [
      [3 * 2 ** 30, 2 ** 30],
      [3 * 2 ** 50, 2 ** 50],
    ] as const) {
      const rng = createRng(`int-bias-${n}`);
      let low = 0;
      for (let i = 0; i < draws; i++) if (rng.nextInt(n) < third) low++;
      expect(Math.abs(low / draws - 1 / 3), `n = ${n}`).toBeLessThan(Z * se);
    }
    // the same check rejects the bare modulo (P = 1/2 and 3/8 instead of 1/3)
    const naive32 = createRng('int-bias-naive');
    let low32 = 0;
    for (let i = 0; i < draws; i++) if (naive32.nextUint32() % (3 * 2 ** 30) < 2 ** 30) low32++;
    expect(Math.abs(low32 / draws - 1 / 3)).toBeGreaterThan(Z * se);
    const naive53 = createRng('int-bias-naive');
    let low53 = 0;
    for (let i = 0; i < draws; i++) if (Math.floor(naive53.nextFloat64() * 2 ** 53) % (3 * 2 ** 50) < 2 ** 50) low53++;
    expect(Math.abs(low53 / draws - 1 / 3)).toBeGreaterThan(Z * se);
  });

  it('handles the edges and rejects bad bounds with a RangeError naming n', () => {
    const rng = createRng(7);
    expect(draws(rng, 10, (r) => r.nextInt(1))).toEqual(Array(10).fill(0));
    const a = createRng(8);
    const b = createRng(8);
    expect(draws(a, 10, (r) => r.nextInt(2 ** 32))).toEqual(draws(b, 10)); // no rejection at n = 2^32
    const big = draws(rng, 1000, (r) => r.nextInt(Number.MAX_SAFE_INTEGER));
    expect(big.every((v) => Number.isSafeInteger(v) && v >= 0 && v < Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(Math.max(...big)).toBeGreaterThan(2 ** 52); // the high bits are used
    for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => rng.nextInt(bad)).toThrow(/^n must be an integer in \[1, 2\^53 - 1\], got /);
    }
  });
});

describe('createRng: reproducibility, seeds, fork, split, state', () => {
  it('the same seed gives the same sequence; different seeds give different sequences', () => {
    expect(draws(createRng(12345), 1000)).toEqual(draws(createRng(12345), 1000));
    expect(draws(createRng('abc'), 100)).toEqual(draws(createRng('abc'), 100));
    const firsts = new Set<string>();
    for (let s = 0; s < 2000; s++) {
      const r = createRng(s);
      firsts.add(`${r.nextUint32()}:${r.nextUint32()}`);
    }
    expect(firsts.size).toBe(2000);
    expect(draws(createRng(1), 4)).not.toEqual(draws(createRng('1'), 4));
    expect(draws(createRng(-1), 4)).not.toEqual(draws(createRng(1), 4));
    expect(draws(createRng(2 ** 32), 4)).not.toEqual(draws(createRng(0), 4));
    expect(draws(createRng(-0), 4)).toEqual(draws(createRng(0), 4));
  });

  it('rejects seeds that are not safe integers or strings', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53, -(2 ** 53)]) {
      expect(() => createRng(bad)).toThrow(/^seed must be a safe integer or a string, got /);
    }
    expect(() => createRng({} as unknown as number)).toThrow(RangeError);
    expect(() => createRng(undefined as unknown as number)).toThrow(RangeError);
  });

  it('fork: same label at the same point gives the same child, labels differ, the parent is untouched', () => {
    const parent = createRng('fork-parent');
    const before = parent.state();
    const a1 = draws(parent.fork('alpha'), 100);
    const a2 = draws(parent.fork('alpha'), 100);
    const b = draws(parent.fork('beta'), 100);
    expect(a1).toEqual(a2);
    expect(b).not.toEqual(a1);
    expect(parent.state()).toEqual(before);
    parent.nextUint32();
    expect(draws(parent.fork('alpha'), 100)).not.toEqual(a1); // a different point of the parent stream
    expect(() => parent.fork(3 as unknown as string)).toThrow(RangeError);
  });

  it('split advances the parent by exactly two draws and gives a child unlike the parent', () => {
    const parent = createRng('split-parent');
    const twin = restoreRng(parent.state());
    const child = parent.split();
    twin.nextUint32();
    twin.nextUint32();
    expect(parent.state()).toEqual(twin.state());
    expect(draws(child, 50)).not.toEqual(draws(parent, 50));
  });

  it('children and parents are uncorrelated (sample correlation of 1e5 uniforms within 5 standard errors)', () => {
    const n = 100_000;
    const parent = createRng('correlation');
    const streams: [string, Rng, Rng][] = [
      ['fork', parent.fork('x'), restoreRng(parent.state())],
      ['sibling forks', parent.fork('x'), parent.fork('y')],
      ['split', parent.split(), restoreRng(parent.state())],
    ];
    for (const [name, r1, r2] of streams) {
      let sxy = 0;
      for (let i = 0; i < n; i++) sxy += (r1.nextFloat64() - 0.5) * (r2.nextFloat64() - 0.5);
      const corr = (sxy / n) * 12; // Var(U) = 1/12
      expect(Math.abs(corr), name).toBeLessThan(Z / Math.sqrt(n));
    }
  });

  it('state() is a frozen JSON value and restoreRng resumes exactly, pending normal included', () => {
    const rng = createRng('resume');
    draws(rng, 17);
    rng.nextNormal(); // leaves the second of the pair pending
    const state = rng.state();
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.words)).toBe(true);
    expect(state.algorithm).toBe('xoshiro128**');
    expect(state.spareNormal).not.toBeNull();
    const resumed = restoreRng(JSON.parse(JSON.stringify(state)) as RngState);
    const mixed = (r: Rng): number[] => [r.nextNormal(), r.nextNormal(), r.nextFloat64(), r.nextInt(10), r.nextUint32(), r.nextNormal()];
    expect(mixed(resumed)).toEqual(mixed(rng));
    expect(resumed.state()).toEqual(rng.state());
  });

  it('restoreRng rejects malformed states naming the field', () => {
    const ok: RngState = { algorithm: 'xoshiro128**', words: [1, 2, 3, 4], spareNormal: null };
    expect(() => restoreRng({ ...ok, words: [0, 0, 0, 0] })).toThrow(/state\.words must not be all zero/);
    expect(() => restoreRng({ ...ok, words: [1, 2, 3, 2 ** 32] })).toThrow(/state\.words\[3\] must be an integer/);
    expect(() => restoreRng({ ...ok, words: [1, 2, 3] as unknown as RngState['words'] })).toThrow(/state\.words must be/);
    expect(() => restoreRng({ ...ok, spareNormal: NaN })).toThrow(/state\.spareNormal/);
    expect(() => restoreRng({ ...ok, algorithm: 'mt19937' as 'xoshiro128**' })).toThrow(/state\.algorithm/);
  });
});
