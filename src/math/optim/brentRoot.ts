/**
 * Brent's root finder (Brent 1973, Algorithms for Minimization without Derivatives, ch. 4, procedure
 * `zero`): inverse quadratic interpolation and secant steps safeguarded by bisection on a bracket with
 * a sign change.
 */

/** Why {@link brentRoot} stopped. */
export type BrentRootStopReason =
  /** The bracket shrank below 2 (2 eps |x| + absTol / 2). */
  | 'converged-x'
  /** f(x) is exactly 0 (at an end of the initial bracket or at an iterate). */
  | 'exact-root'
  /** f(a) f(b) > 0 or a value is NaN: no root bracketed, x = NaN. */
  | 'no-sign-change'
  | 'max-iterations';

/** Options of {@link brentRoot} (all optional). */
export interface BrentRootOptions {
  /** Absolute x tolerance, in units of x (default 1e-14). */
  readonly absTol?: number;
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
}

/** Result of {@link brentRoot}. */
export interface BrentRootResult {
  /** The root estimate (NaN when no sign change was bracketed; the last iterate after max-iterations). */
  readonly x: number;
  readonly fx: number;
  /** Iterations (0 when an end of the bracket is a root or there is no sign change). */
  readonly iterations: number;
  /** Evaluations of f, the two at the ends included. */
  readonly evaluations: number;
  /** True for 'converged-x' and 'exact-root'. */
  readonly converged: boolean;
  readonly stopReason: BrentRootStopReason;
}

/**
 * A root of f in [a0, b0], where f(a0) f(b0) <= 0. Stops when half the bracket is below
 * tol = 2 eps |x| + absTol / 2 or f(x) = 0. Pure and deterministic.
 */
export function brentRoot(
  f: (x: number) => number,
  a0: number,
  b0: number,
  options: BrentRootOptions = {},
): BrentRootResult {
  const absTol = options.absTol ?? 1e-14;
  const maxIterations = options.maxIterations ?? 200;
  let a = a0;
  let b = b0;
  let fa = f(a);
  let fb = f(b);
  let evaluations = 2;
  if (fa === 0) return result(a, 0, 0, evaluations, 'exact-root');
  if (fb === 0) return result(b, 0, 0, evaluations, 'exact-root');
  if (!(fa * fb < 0)) return result(Number.NaN, Number.NaN, 0, evaluations, 'no-sign-change');
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let it = 1; it <= maxIterations; it++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * absTol;
    const xm = 0.5 * (c - b);
    if (fb === 0) return result(b, fb, it, evaluations, 'exact-root');
    if (Math.abs(xm) <= tol) return result(b, fb, it, evaluations, 'converged-x');
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        // secant
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        // inverse quadratic interpolation
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : xm > 0 ? tol : -tol;
    fb = f(b);
    evaluations++;
  }
  return result(b, fb, maxIterations, evaluations, 'max-iterations');
}

function result(x: number, fx: number, iterations: number, evaluations: number, stopReason: BrentRootStopReason): BrentRootResult {
  const converged = stopReason === 'converged-x' || stopReason === 'exact-root';
  return Object.freeze({ x, fx, iterations, evaluations, converged, stopReason });
}
