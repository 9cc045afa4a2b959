import { describe, expect, it } from 'vitest';
import { brentRoot } from '../../../src/math/index.ts';

// Published constants: the Dottie number, root of cos x = x (OEIS A003957), and the real root of Wallis's
// cubic x^3 - 2x - 5 (OEIS A007493), both rounded to binary64.
const DOTTIE = 0.7390851332151606416553120876738734;
const WALLIS = 2.0945514815423265914823865405793029;

describe('brentRoot (Brent 1973, ch. 4)', () => {
  it('finds the Dottie number and the root of Wallis cubic within the stopping tolerance', () => {
    for (const [f, a, b, root] of [
      [(x: number) => Math.cos(x) - x, 0, 1, DOTTIE],
      [(x: number) => x ** 3 - 2 * x - 5, 2, 3, WALLIS],
    ] as const) {
      for (const absTol of [1e-14, 0]) {
        let calls = 0;
        const r = brentRoot((x) => (calls++, f(x)), a, b, { absTol });
        expect(r.stopReason).toBe('converged-x');
        expect(r.converged).toBe(true);
        // the root lies between x and the other end of a bracket of half-width <= tol = 2 eps |x| + absTol / 2
        expect(Math.abs(r.x - root)).toBeLessThanOrEqual(2 * (2 * Number.EPSILON * Math.abs(r.x) + 0.5 * absTol));
        expect(r.fx).toBe(f(r.x));
        expect(r.evaluations).toBe(calls);
        expect(r.evaluations).toBe(r.iterations + 1);
        expect(r.iterations).toBeLessThan(12); // superlinear: bisection alone would need ~50
      }
    }
  });

  it('an end of the bracket that is a root, a bracket without sign change, and the iteration cap', () => {
    expect(brentRoot((x) => x - 1, 1, 3)).toMatchObject({ x: 1, fx: 0, iterations: 0, evaluations: 2, stopReason: 'exact-root', converged: true });
    expect(brentRoot((x) => x - 3, 1, 3)).toMatchObject({ x: 3, stopReason: 'exact-root' });
    const none = brentRoot((x) => x * x + 1, -1, 2);
    expect(none.stopReason).toBe('no-sign-change');
    expect(none.converged).toBe(false);
    expect(Number.isNaN(none.x)).toBe(true);
    expect(brentRoot(() => Number.NaN, 0, 1).stopReason).toBe('no-sign-change');
    const capped = brentRoot((x) => Math.cos(x) - x, 0, 1, { maxIterations: 2 });
    expect(capped).toMatchObject({ stopReason: 'max-iterations', iterations: 2, evaluations: 4, converged: false });
    // a root hit exactly by an iterate: bisection of [-1, 1] for a step function lands on 0
    const step = brentRoot((x) => (x < 0 ? -1 : x > 0 ? 1 : 0), -1, 1);
    expect(step).toMatchObject({ x: 0, fx: 0, stopReason: 'exact-root' });
  });
});
