import { describe, expect, it } from 'vitest';
import {
  SurfaceDomainError,
  sviFirstDerivative,
  sviJwToRaw,
  sviNaturalToRaw,
  sviRawToJw,
  sviRawToNatural,
  sviSecondDerivative,
  sviTotalVariance,
  sviTotalVarianceBatch,
  type SviRawParams,
} from '../../src/surface/index.ts';
import vectors from '../../fixtures/reference/surface/vectors.json' with { type: 'json' };
import reference from '../../fixtures/reference/surface/svi_reference.json' with { type: 'json' };

const vogt: SviRawParams = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
const samples: SviRawParams[] = [
  vogt,
  { a: 0.01, b: 0.1, rho: -0.4, m: 0.05, sigma: 0.15 },
  { a: 0.04, b: 0.2, rho: -0.7, m: 0.1, sigma: 0.3 },
  { a: 0.02, b: 0.15, rho: 0.3, m: -0.05, sigma: 0.2 },
  { a: 0.004, b: 0.05, rho: 0, m: 0, sigma: 0.05 },
];

describe('raw SVI total variance and derivatives', () => {
  it('matches the methods.md §3.2 Vogt table (w, w\', w\'\') to 1e-8', () => {
    for (const row of vectors.methods_vogt_table.rows) {
      expect(Math.abs(sviTotalVariance(vogt, row.k) - row.w)).toBeLessThan(1e-8);
      expect(Math.abs(sviFirstDerivative(vogt, row.k) - row.w1)).toBeLessThan(1e-8);
      expect(Math.abs(sviSecondDerivative(vogt, row.k) - row.w2)).toBeLessThan(1e-8);
    }
  });

  it('matches the 50-digit mpmath values (derivatives by numerical differentiation of the formula) to 1e-14', () => {
    for (const s of reference.vogt.samples) {
      expect(sviTotalVariance(vogt, s.k)).toBeCloseTo(s.w, 14);
      expect(sviFirstDerivative(vogt, s.k)).toBeCloseTo(s.w1, 14);
      expect(sviSecondDerivative(vogt, s.k)).toBeCloseTo(s.w2, 13);
    }
  });

  it('first and second derivatives agree with central finite differences', () => {
    const h = 1e-5;
    for (const p of samples) {
      for (const k of [-1.2, -0.3, 0, 0.07, 0.6, 1.5]) {
        const fd1 = (sviTotalVariance(p, k + h) - sviTotalVariance(p, k - h)) / (2 * h);
        const fd2 = (sviTotalVariance(p, k + h) - 2 * sviTotalVariance(p, k) + sviTotalVariance(p, k - h)) / (h * h);
        expect(Math.abs(sviFirstDerivative(p, k) - fd1)).toBeLessThan(1e-9);
        expect(Math.abs(sviSecondDerivative(p, k) - fd2)).toBeLessThan(2e-5 * Math.max(1, Math.abs(fd2)));
      }
    }
  });

  it('has wing slopes b(1 +- rho) and minimum a + b sigma sqrt(1 - rho^2)', () => {
    for (const p of samples) {
      expect(sviFirstDerivative(p, 1e6)).toBeCloseTo(p.b * (1 + p.rho), 9);
      expect(sviFirstDerivative(p, -1e6)).toBeCloseTo(-p.b * (1 - p.rho), 9);
      const kStar = p.m - (p.rho * p.sigma) / Math.sqrt(1 - p.rho * p.rho);
      expect(sviTotalVariance(p, kStar)).toBeCloseTo(p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho), 15);
      expect(sviFirstDerivative(p, kStar)).toBeCloseTo(0, 14);
    }
  });

  it('batch evaluation equals the scalar one and writes into the output buffer', () => {
    const k = Float64Array.from({ length: 11 }, (_, i) => -1 + 0.2 * i);
    const out = new Float64Array(11);
    const r = sviTotalVarianceBatch(vogt, k, out);
    expect(r).toBe(out);
    k.forEach((kk, i) => expect(out[i]).toBe(sviTotalVariance(vogt, kk)));
  });

  it('returns NaN for NaN k', () => {
    expect(sviTotalVariance(vogt, Number.NaN)).toBeNaN();
  });
});

describe('SVI parameter validation', () => {
  const cases: [Partial<SviRawParams>, string][] = [
    [{ b: -0.1 }, 'params.b'],
    [{ rho: 1 }, 'params.rho'],
    [{ rho: -1.2 }, 'params.rho'],
    [{ sigma: 0 }, 'params.sigma'],
    [{ sigma: Number.NaN }, 'params.sigma'],
    [{ a: -0.5 }, 'params.a'],
    [{ m: Number.POSITIVE_INFINITY }, 'params.m'],
  ];
  it.each(cases)('rejects %o with a SurfaceDomainError naming %s', (patch, field) => {
    const p = { ...samples[1], ...patch } as SviRawParams;
    let error: unknown;
    try {
      sviTotalVariance(p, 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SurfaceDomainError);
    expect((error as SurfaceDomainError).field).toBe(field);
  });

  it('accepts the boundary a + b sigma sqrt(1 - rho^2) = 0', () => {
    const b = 0.2, sigma = 0.3, rho = -0.5;
    expect(() => sviTotalVariance({ a: -b * sigma * Math.sqrt(1 - rho * rho), b, rho, m: 0, sigma }, 0)).not.toThrow();
  });
});

describe('raw <-> natural <-> JW conversions', () => {
  it('Vogt SVI-JW equals methods.md §3.2 (6 decimals) and the mpmath values (1e-14)', () => {
    const jw = sviRawToJw(vogt, 1);
    const pub = vectors.svi.vogt.jw;
    expect(jw.v).toBeCloseTo(pub.v, 6);
    expect(jw.psi).toBeCloseTo(pub.psi, 6);
    expect(jw.p).toBeCloseTo(pub.p, 6);
    expect(jw.c).toBeCloseTo(pub.c, 6);
    expect(jw.vTilde).toBeCloseTo(pub.vtilde, 6);
    for (const key of ['v', 'psi', 'p', 'c', 'vTilde'] as const) expect(jw[key]).toBeCloseTo(reference.vogtJw[key], 14);
  });

  it('the QuantLib repaired slice keeps v, psi, p, vTilde of Vogt and changes c to 0.856476 (methods.md §3.2)', () => {
    const r = vectors.svi.repaired;
    const jw = sviRawToJw({ a: r.a, b: r.b, rho: r.rho, m: r.m, sigma: r.sigma }, 1);
    const v = sviRawToJw(vogt, 1);
    expect(jw.c).toBeCloseTo(r.jw_c, 5);
    expect(jw.v).toBeCloseTo(v.v, 5);
    expect(jw.psi).toBeCloseTo(v.psi, 5);
    expect(jw.p).toBeCloseTo(v.p, 5);
    expect(jw.vTilde).toBeCloseTo(v.vTilde, 5);
  });

  it('raw -> JW -> raw and raw -> natural -> raw round-trip to 1e-12 and natural reproduces w(k)', () => {
    for (const p of samples) {
      for (const t of [0.02, 0.5, 2]) {
        if (p.m === 0 && p.rho === 0) continue; // JW cannot recover sigma when m = rho = 0
        const back = sviJwToRaw(sviRawToJw(p, t), t);
        for (const key of ['a', 'b', 'rho', 'm', 'sigma'] as const) expect(Math.abs(back[key] - p[key])).toBeLessThan(1e-12);
      }
      const nat = sviRawToNatural(p);
      const back = sviNaturalToRaw(nat);
      for (const key of ['a', 'b', 'rho', 'm', 'sigma'] as const) expect(Math.abs(back[key] - p[key])).toBeLessThan(1e-13);
      for (const k of [-0.7, 0, 0.4]) {
        const { delta, omega, rho, mu, zeta } = nat;
        const x = zeta * (k - mu);
        const wNat = delta + (omega / 2) * (1 + rho * x + Math.sqrt((x + rho) ** 2 + 1 - rho * rho));
        expect(wNat).toBeCloseTo(sviTotalVariance(p, k), 14);
      }
    }
  });

  it('JW -> raw handles m = 0 (beta = 0)', () => {
    const p = { a: 0.02, b: 0.1, rho: -0.3, m: 0, sigma: 0.2 };
    const back = sviJwToRaw(sviRawToJw(p, 0.5), 0.5);
    expect(Math.abs(back.m)).toBeLessThan(1e-15);
    expect(back.sigma).toBeCloseTo(0.2, 13);
    expect(back.a).toBeCloseTo(0.02, 13);
  });

  it('JW -> raw rejects inputs with no raw SVI, naming the JW field', () => {
    expect(() => sviJwToRaw({ v: 0.04, psi: -5, p: 0.5, c: 0.5, vTilde: 0.03 }, 1)).toThrow(SurfaceDomainError);
    expect(() => sviJwToRaw({ v: -0.04, psi: 0, p: 0.5, c: 0.5, vTilde: 0.03 }, 1)).toThrow(/jw\.v/);
    expect(() => sviJwToRaw({ v: 0.04, psi: 0, p: 0.5, c: 0.5, vTilde: 0.05 }, 1)).toThrow(/jw\.vTilde/);
    expect(() => sviRawToJw(vogt, 0)).toThrow(/^t = 0/);
  });
});
