import { describe, expect, it } from 'vitest';
import { brentMinimize } from '../../../src/math/index.ts';

function recorded(f: (x: number) => number): { f: (x: number) => number; values: number[] } {
  const values: number[] = [];
  return {
    f: (x) => {
      const v = f(x);
      values.push(v);
      return v;
    },
    values,
  };
}

describe('brentMinimize (Brent 1973, ch. 5)', () => {
  it('finds known minima: cos on [3, 4] at pi, x ln x on [0.1, 1] at 1/e', () => {
    // |x - x*| is limited by the flatness of f near x*: about sqrt(2 eps |f| / f'') ~ 2e-8 here
    const c = recorded(Math.cos);
    const r = brentMinimize(c.f, 3, 4);
    expect(r.stopReason).toBe('converged-x');
    expect(Math.abs(r.x - Math.PI)).toBeLessThan(2e-8);
    expect(r.fx).toBe(Math.cos(r.x));
    expect(r.evaluations).toBe(c.values.length);
    expect(r.evaluations).toBe(r.iterations + 1);
    expect(r.fx).toBe(Math.min(...c.values)); // x is always the best point evaluated
    const e = brentMinimize((x) => x * Math.log(x), 0.1, 1);
    expect(Math.abs(e.x - 1 / Math.E)).toBeLessThan(2e-8);
    expect(e.fx).toBeCloseTo(-1 / Math.E, 15);
  });

  it('parabolic steps find a parabola in a few iterations; golden sections handle a kink', () => {
    const p = brentMinimize((x) => (x - 0.3) ** 2, 0, 1);
    expect(Math.abs(p.x - 0.3)).toBeLessThan(1e-9);
    expect(p.iterations).toBeLessThan(10);
    const v = brentMinimize((x) => Math.abs(x - 0.3), 0, 1, { relTol: 1e-12, absTol: 1e-14 });
    expect(v.stopReason).toBe('converged-x');
    expect(Math.abs(v.x - 0.3)).toBeLessThan(4 * (1e-12 * 0.3 + 1e-14) + 1e-16);
  });

  it('starts at the golden section and, on ties, moves to the new point (fu <= fx): a constant f drifts to the upper end', () => {
    const golden = (3 - Math.sqrt(5)) / 2;
    const points: number[] = [];
    const r = brentMinimize(
      (x) => {
        points.push(x);
        return 5;
      },
      0,
      1,
    );
    // golden-section steps only (no parabola through equal values): x_k = 1 - (1 - g)^k
    expect(points[0]).toBeCloseTo(golden, 15);
    expect(points[1]).toBeCloseTo(1 - (1 - golden) ** 2, 15);
    expect(points[2]).toBeCloseTo(1 - (1 - golden) ** 3, 15);
    expect(r.x).toBeGreaterThan(1 - 1e-9);
    expect(r.stopReason).toBe('converged-x');
  });

  it('a NaN at the first point does not block the search', () => {
    const r = brentMinimize((x) => (x < 0.5 ? Number.NaN : (x - 0.7) ** 2), 0, 1);
    expect(Math.abs(r.x - 0.7)).toBeLessThan(1e-9);
  });

  it('accepts the bounds in either order, treats NaN as +Infinity, and reports max-iterations', () => {
    const f = (x: number): number => (x > 0.5 ? Number.NaN : (x - 0.3) ** 2);
    const a = brentMinimize(f, 0, 1);
    const b = brentMinimize(f, 1, 0);
    expect(a).toEqual(b);
    expect(Math.abs(a.x - 0.3)).toBeLessThan(1e-9);
    const capped = brentMinimize(Math.cos, 3, 4, { maxIterations: 3 });
    expect(capped).toMatchObject({ stopReason: 'max-iterations', iterations: 3, evaluations: 4 });
  });
});
