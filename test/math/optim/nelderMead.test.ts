import { describe, expect, it } from 'vitest';
import { nelderMead, type NelderMeadOptions } from '../../../src/math/index.ts';
import reference from '../../../fixtures/reference/optim/nelder_mead_scipy.json' with { type: 'json' };
import { counted, expectRosenbrockMinimum, rosenbrock } from './support.ts';

/** The objectives of scripts/reference/make_nelder_mead_reference.py, operation for operation. */
const scipyObjectives: Record<string, (x: Float64Array) => number> = {
  quadratic: (x) => {
    const u = x[0]! - 0.75;
    const v = x[1]! + 0.5;
    return u * u + 3.0 * (v * v) + u * v;
  },
  plateau: (x) => Math.floor(4.0 * Math.abs(x[0]! - 0.3)) + Math.floor(2.0 * Math.abs(x[1]! + 0.6)),
  chebyshev: (x) => Math.max(Math.abs(x[0]! - 0.25), Math.abs(x[1]! + 0.5)),
  staircase: (x) => Math.floor(4.0 * Math.max(Math.abs(x[0]! - 0.3), Math.abs(x[1]! + 0.6))),
};

/** The two rounding/tie-order variants the callers use (correlation: defaults; surface quasi-explicit SVI). */
const variants: ReadonlyArray<[string, NelderMeadOptions]> = [
  ['centroid-offset, previous-order (defaults)', {}],
  ['weighted-sum, vertex-index', { vertexArithmetic: 'weighted-sum', tieBreak: 'vertex-index' }],
];

describe('nelderMead (Nelder & Mead 1965, Lagarias et al. 1998 rules)', () => {
  it.each(variants)('finds the Rosenbrock minimum (1, 1) from (-1.2, 1) [%s]', (_, variant) => {
    const c = counted(rosenbrock);
    const r = nelderMead(c.f, [-1.2, 1], { ...variant, maxIterations: 5000 });
    expect(r.stopReason).toBe('converged');
    expectRosenbrockMinimum(r, c.calls(), 1e-8, 1e-15);
    // each iteration costs 1 (reflection) to n + 2 (contraction then shrink) evaluations after the n + 1 initial ones
    expect(r.evaluations).toBeGreaterThanOrEqual(3 + r.iterations);
    expect(r.evaluations).toBeLessThanOrEqual(3 + 4 * r.iterations);
  });

  it.each(variants)('finds the minimum of a coupled 4-D quadratic (x - c)^T A (x - c) + 7 [%s]', (_, variant) => {
    const centre = [0.3, -1.7, 2.5, 0.05];
    // A = L L^T with L lower triangular, positive diagonal: SPD, minimum exactly at `centre`, value 7
    const L = [
      [2, 0, 0, 0],
      [0.5, 1, 0, 0],
      [-0.3, 0.2, 1.5, 0],
      [0.1, -0.4, 0.3, 0.7],
    ];
    const f = (x: Float64Array): number => {
      let s = 7;
      for (let k = 0; k < 4; k++) {
        let v = 0; // (L^T (x - c))_k
        for (let i = k; i < 4; i++) v += L[i]![k]! * (x[i]! - centre[i]!);
        s += v * v;
      }
      return s;
    };
    const r = nelderMead(f, [0, 0, 0, 0], { ...variant, step: [0.5, 0.5, 0.5, 0.5] });
    expect(r.stopReason).toBe('converged');
    for (let i = 0; i < 4; i++) expect(Math.abs(r.x[i]! - centre[i]!)).toBeLessThan(1e-5);
    expect(r.fx - 7).toBeGreaterThanOrEqual(0);
    expect(r.fx - 7).toBeLessThan(1e-10);
  });

  it('takes the textbook steps on f(x) = x^2 from x0 = 1 with step 1, in both rounding forms', () => {
    // vertices {1, 2}: reflect to 0 (better than the best) -> expand to -1 (worse than 0) -> keep 0;
    // then every reflection (-1, -0.5, ...) ties or loses against the worst, so it contracts inside
    // half-way towards the best vertex 0: 0.5, 0.25, ...
    const expected = [1, 2, 0, -1, -1, 0.5, -0.5, 0.25, -0.25, 0.125, -0.125, 0.0625, -0.0625, 0.03125];
    for (const [, variant] of variants) {
      const points: number[] = [];
      const r = nelderMead(
        (x) => {
          points.push(x[0]!);
          return x[0]! * x[0]!;
        },
        [1],
        { ...variant, step: [1], maxIterations: 6 },
      );
      expect(points).toEqual(expected);
      expect(r).toMatchObject({ fx: 0, iterations: 6, evaluations: 14, stopReason: 'max-iterations' });
      expect(Array.from(r.x)).toEqual([0]);
    }
  });

  describe('evaluates exactly the points scipy 1.10 evaluates (dyadic cases, no rounding; fixtures/reference/optim)', () => {
    for (const c of reference.cases) {
      for (const arithmetic of ['centroid-offset', 'weighted-sum'] as const) {
        it(`${c.name} (${c.trace.length} evaluations, ${arithmetic})`, () => {
          const f = scipyObjectives[c.name]!;
          const trace: Array<{ x: number[]; f: number }> = [];
          const r = nelderMead(
            (x) => {
              const v = f(x);
              trace.push({ x: Array.from(x), f: v });
              return v;
            },
            c.x0,
            { step: c.step, xTol: c.xatol, fTol: 0, fAbsTol: c.fatol, vertexArithmetic: arithmetic, tieBreak: 'previous-order' },
          );
          expect(trace).toEqual(c.trace);
          expect(r.stopReason).toBe('converged');
          expect(r.evaluations).toBe(c.result.nfev);
          expect(r.iterations).toBe(c.result.nit - 1);
          expect(r.fx).toBe(c.result.fun);
          expect(f(r.x)).toBe(c.result.fun);
        });
      }
    }
  });

  it('orders equal values by the previous order or by vertex index (hand-traced on f = max(x - 1, 0))', () => {
    // vertices v0 = 2 (f 1), v1 = 1 (f 0). Iteration 1: best v1, worst v0, c = 1; reflect to 0 (f 0: not better
    // than the best, not better than the second = best for n = 1), outside contraction 1 + (0 - 1)/2 = 0.5
    // (f 0 <= f_r: accepted) -> v0 = 0.5, a tie with v1. Iteration 2 differs by the tie rule:
    // previous order keeps best v1 = 1, worst v0 = 0.5: reflect to 1.5 (f 0.5), inside 0.75 (f 0, not < 0),
    //   shrink v0 -> 1 + (0.5 - 1)/2 = 0.75;
    // vertex index takes best v0 = 0.5, worst v1 = 1: reflect to 0 (f 0), inside 0.75 (f 0), shrink v1 -> 0.75.
    const expected = {
      'previous-order': { points: [2, 1, 0, 0.5, 1.5, 0.75, 0.75], x: 0.75 },
      'vertex-index': { points: [2, 1, 0, 0.5, 0, 0.75, 0.75], x: 0.5 },
    } as const;
    for (const tieBreak of ['previous-order', 'vertex-index'] as const) {
      for (const vertexArithmetic of ['centroid-offset', 'weighted-sum'] as const) {
        const points: number[] = [];
        const r = nelderMead(
          (x) => {
            points.push(x[0]!);
            return Math.max(x[0]! - 1, 0);
          },
          [2],
          { step: [-1], maxIterations: 2, tieBreak, vertexArithmetic },
        );
        expect(points).toEqual(expected[tieBreak].points);
        expect(r).toMatchObject({ fx: 0, iterations: 2, evaluations: 7, stopReason: 'max-iterations' });
        // every vertex has f = 0; the result is the lowest vertex index, v0 (0.75 after its shrink, or 0.5)
        expect(Array.from(r.x)).toEqual([expected[tieBreak].x]);
      }
    }
  });

  it('expands only when strictly better than the reflection (hand-traced on f = max(x, 0))', () => {
    // v0 = 2 (f 2), v1 = 1 (f 1): reflect to 0 (f 0 < 1) -> expand to -1 (f 0, a tie: keep the reflection 0);
    // then best 0, worst 1: reflect to -1 (f 0, tie with the best), outside contraction -0.5 (f 0 <= 0: accepted);
    // then best 0, worst -0.5 (tie, previous order): reflect to 0.5 (f 0.5), inside -0.25 (f 0, not < 0), shrink -> -0.25.
    const points: number[] = [];
    const r = nelderMead(
      (x) => {
        points.push(x[0]!);
        return Math.max(x[0]!, 0);
      },
      [2],
      { step: [-1], maxIterations: 3 },
    );
    expect(points).toEqual([2, 1, 0, -1, -1, -0.5, 0.5, -0.25, -0.25]);
    expect(r).toMatchObject({ fx: 0, iterations: 3, evaluations: 9 });
    expect(Array.from(r.x)).toEqual([0]);
  });

  it('on a constant function only shrinks: the simplex halves each iteration until it is within xTol', () => {
    // every iteration: reflection and inside contraction tie with the worst (rejected), then n shrink evaluations;
    // step 1 -> size 2^-k after k shrinks, <= 1e-3 first at k = 10; the best vertex stays x0
    const r = nelderMead(() => 5, [0.25, -0.5], { step: [1, 1], xTol: 1e-3 });
    expect(r).toMatchObject({ fx: 5, iterations: 10, evaluations: 3 + 10 * (2 + 2), stopReason: 'converged' });
    expect(Array.from(r.x)).toEqual([0.25, -0.5]);
  });

  it('defaults: 200 n iterations, step 0.1', () => {
    const never = nelderMead(rosenbrock, [-1.2, 1], { xTol: -1 });
    expect(never).toMatchObject({ stopReason: 'max-iterations', iterations: 400 });
    const first: number[][] = [];
    nelderMead((x) => (first.push(Array.from(x)), rosenbrock(x)), [-1.2, 1], { maxIterations: 0 });
    expect(first).toEqual([[-1.2, 1], [-1.2 + 0.1, 1], [-1.2, 1.1]]);
  });

  it('keeps the exact results of the two copies it replaces (regression pins from src/correlation/optim and src/surface at bdae893)', () => {
    // Not an independent reference: these bits were produced by the pre-consolidation copies and pin the promise that
    // each caller's configuration reproduces its former optimiser exactly (rounding and tie order included).
    const surfaceForm: NelderMeadOptions = {
      fTol: 1e-14,
      fTolFloor: 0,
      maxIterations: Number.POSITIVE_INFINITY,
      vertexArithmetic: 'weighted-sum',
      tieBreak: 'vertex-index',
    };
    const pin = (r: ReturnType<typeof nelderMead>): unknown => ({ x: Array.from(r.x), fx: r.fx, it: r.iterations, ev: r.evaluations, stop: r.stopReason });
    expect(pin(nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000 }))).toEqual({
      x: [0.9999999999848198, 0.9999999999699916],
      fx: 2.4282440728163212e-22,
      it: 142,
      ev: 263,
      stop: 'converged',
    });
    expect(pin(nelderMead(rosenbrock, [-1.2, 1], { ...surfaceForm, maxEvaluations: 5000 }))).toEqual({ x: [1, 1], fx: 0, it: 183, ev: 348, stop: 'converged' });
    const boxed = (x: Float64Array): number =>
      Math.abs(x[0]!) > 1 || Math.abs(x[1]!) > 1 ? Number.POSITIVE_INFINITY : (x[0]! - 3) ** 2 + (x[1]! + 0.5) ** 2;
    expect(pin(nelderMead(boxed, [0, 0], { step: [0.5, 0.5], maxIterations: 2000 }))).toEqual({
      x: [0.9999999999999998, -0.5000000357286046],
      fx: 4.000000000000001,
      it: 155,
      ev: 303,
      stop: 'converged',
    });
    expect(pin(nelderMead(boxed, [0, 0], { ...surfaceForm, step: [0.5, 0.5], fTol: 1e-12, maxEvaluations: 4000 }))).toEqual({
      x: [0.9999999999999998, -0.5000000208818676],
      fx: 4,
      it: 155,
      ev: 305,
      stop: 'converged',
    });
  });

  it('reports max-iterations and max-evaluations with the documented counting', () => {
    const capped = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5 });
    expect(capped.stopReason).toBe('max-iterations');
    expect(capped.iterations).toBe(5);
    const budget = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 30, maxIterations: Number.POSITIVE_INFINITY });
    expect(budget.stopReason).toBe('max-evaluations');
    expect(budget.evaluations).toBeGreaterThanOrEqual(30);
    expect(budget.evaluations).toBeLessThanOrEqual(30 + 2 + 1); // overshoot at most n + 1
    expect(budget.fx).toBeLessThan(rosenbrock(Float64Array.from([-1.2, 1])));
  });

  it('treats NaN and infinite values as +Infinity (penalties and domain errors reject points)', () => {
    const nanLeft = (x: Float64Array): number => (x[0]! < 0 ? Number.NaN : (x[0]! - 2) ** 2);
    const r1 = nelderMead(nanLeft, [0.5], { step: [-1] }); // first trial point lies in the NaN region
    expect(r1.stopReason).toBe('converged');
    expect(Math.abs(r1.x[0]! - 2)).toBeLessThan(1e-8);
    // box [-1, 1]^2 by +Infinity outside (as the quasi-explicit SVI outer search does); minimum (1, -0.5) on the edge
    const boxed = (x: Float64Array): number =>
      Math.abs(x[0]!) > 1 || Math.abs(x[1]!) > 1 ? Number.POSITIVE_INFINITY : (x[0]! - 3) ** 2 + (x[1]! + 0.5) ** 2;
    for (const [, variant] of variants) {
      const r2 = nelderMead(boxed, [0, 0], { ...variant, step: [0.5, 0.5], maxIterations: 2000 });
      expect(r2.fx).toBeLessThan(4 + 1e-6);
      expect(Math.abs(r2.x[0]! - 1)).toBeLessThan(1e-6);
      expect(Math.abs(r2.x[1]! + 0.5)).toBeLessThan(1e-6);
    }
    const allInfinite = nelderMead(() => Number.NEGATIVE_INFINITY, [1, 2], { maxIterations: 10 });
    expect(allInfinite.fx).toBe(Number.POSITIVE_INFINITY);
    expect(allInfinite.stopReason).toBe('max-iterations');
  });

  it('the f test is fTol (fTolFloor + |f_best|) + fAbsTol: a purely relative test cannot stop at f = 0 without fAbsTol', () => {
    const f = (x: Float64Array): number => Math.abs(x[0]!) + Math.abs(x[1]!); // minimum value 0 at the origin
    const relative = nelderMead(f, [1, 1], { fTolFloor: 0, xTol: 1e-3, maxIterations: 300 });
    expect(relative.stopReason).toBe('max-iterations');
    const withFloor = nelderMead(f, [1, 1], { xTol: 1e-3, fTol: 1e-3, maxIterations: 300 });
    expect(withFloor.stopReason).toBe('converged');
    expect(withFloor.iterations).toBeLessThan(relative.iterations);
    const absolute = nelderMead(f, [1, 1], { fTolFloor: 0, fAbsTol: 1e-3, xTol: 1e-3, maxIterations: 300 });
    expect(absolute.stopReason).toBe('converged');
  });

  it('is deterministic and does not modify x0; the result is frozen and owns its x', () => {
    const x0 = Float64Array.from([-1.2, 1]);
    const a = nelderMead(rosenbrock, x0, { maxIterations: 50 });
    const b = nelderMead(rosenbrock, x0, { maxIterations: 50 });
    expect(Array.from(x0)).toEqual([-1.2, 1]);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.fx).toBe(b.fx);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.x).not.toBe(x0);
  });
});
