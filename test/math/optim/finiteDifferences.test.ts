import { describe, expect, it } from 'vitest';
import { centralGradient, centralHessian } from '../../../src/math/index.ts';

// f = exp(x0) sin(x1) + x0^3 x1^2, with its analytic gradient and Hessian
const f = (x: Float64Array): number => Math.exp(x[0]!) * Math.sin(x[1]!) + x[0]! ** 3 * x[1]! ** 2;
const gradient = (x0: number, x1: number): number[] => [
  Math.exp(x0) * Math.sin(x1) + 3 * x0 ** 2 * x1 ** 2,
  Math.exp(x0) * Math.cos(x1) + 2 * x0 ** 3 * x1,
];
const hessian = (x0: number, x1: number): number[] => {
  const off = Math.exp(x0) * Math.cos(x1) + 6 * x0 ** 2 * x1;
  return [Math.exp(x0) * Math.sin(x1) + 6 * x0 * x1 ** 2, off, off, -Math.exp(x0) * Math.sin(x1) + 2 * x0 ** 3];
};

describe('central finite differences', () => {
  it('gradient and Hessian match the analytic derivatives (errors O(h^2) + O(eps/h))', () => {
    for (const [a, b] of [
      [0.3, -1.1],
      [-1.7, 2.5],
      [2.2, 0.4],
    ] as const) {
      let calls = 0;
      const fc = (x: Float64Array): number => (calls++, f(x));
      const g = centralGradient(fc, [a, b]);
      expect(calls).toBe(4);
      const ge = gradient(a, b);
      for (let i = 0; i < 2; i++) expect(Math.abs(g[i]! - ge[i]!)).toBeLessThan(1e-8 * Math.max(1, Math.abs(ge[i]!)));
      calls = 0;
      const h = centralHessian(fc, [a, b]);
      expect(calls).toBe(2 * 2 * 2 + 1);
      expect(h[1]).toBe(h[2]);
      const he = hessian(a, b);
      for (let i = 0; i < 4; i++) expect(Math.abs(h[i]! - he[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(he[i]!)));
    }
  });

  it('uses h = relStep max(|x|, scale): ((x + h)^3 - (x - h)^3) / (2h) = 3 x^2 + h^2 exactly', () => {
    const cube = (x: Float64Array): number => x[0]! ** 3;
    expect(centralGradient(cube, [2], undefined, { relStep: 1e-3 })[0]).toBeCloseTo(12 + (2e-3) ** 2, 10);
    // near zero the floor `scale` sets the step: h = 1e-3 * max(1e-3, 1) = 1e-3, or 1e-3 * 1e-3 with scale 1e-3
    const x = 1e-3;
    const gDefault = centralGradient(cube, [x], undefined, { relStep: 1e-3 })[0]!;
    const gScaled = centralGradient(cube, [x], undefined, { relStep: 1e-3, scale: [1e-3] })[0]!;
    expect(gDefault - 3 * x * x).toBeCloseTo(1e-6, 15);
    expect(gScaled - 3 * x * x).toBeCloseTo(1e-12, 18);
  });

  it('writes into `out`, evaluates f on `scratch` when given, with the same bits as without it', () => {
    const out = new Float64Array(2);
    const scratch = new Float64Array(2);
    const seen = new Set<Float64Array>();
    const g1 = centralGradient((x) => (seen.add(x), f(x)), [0.3, -1.1], out, {}, scratch);
    expect(g1).toBe(out);
    expect([...seen]).toEqual([scratch]);
    const g2 = centralGradient(f, [0.3, -1.1]);
    expect(Array.from(g1)).toEqual(Array.from(g2));
  });
});
