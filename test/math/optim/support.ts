/** Shared objectives, wrappers and assertions of the optimiser tests. */
import { expect } from 'vitest';

/** Rosenbrock's function 100 (x1 - x0^2)^2 + (1 - x0)^2: minimum 0 at (1, 1). */
export const rosenbrock = (x: Float64Array): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

/** f wrapped to count its calls. */
export function counted(f: (x: Float64Array) => number): { f: (x: Float64Array) => number; calls: () => number } {
  let calls = 0;
  return {
    f: (x) => {
      calls++;
      return f(x);
    },
    calls: () => calls,
  };
}

/**
 * Asserts that a minimiser's result is Rosenbrock's minimum (1, 1): each coordinate within xTol, fx below fMax
 * and equal to f(x), and `evaluations` equal to the number of calls actually made.
 */
export function expectRosenbrockMinimum(
  r: { readonly x: Float64Array; readonly fx: number; readonly evaluations: number },
  calls: number,
  xTol: number,
  fMax: number,
): void {
  expect(Math.abs(r.x[0]! - 1)).toBeLessThan(xTol);
  expect(Math.abs(r.x[1]! - 1)).toBeLessThan(xTol);
  expect(r.fx).toBeLessThan(fMax);
  expect(r.fx).toBe(rosenbrock(r.x));
  expect(r.evaluations).toBe(calls);
}
