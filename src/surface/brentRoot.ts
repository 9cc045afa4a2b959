/** Result of a bracketing root search. */
export interface RootResult {
  /** The root estimate (NaN when no sign change could be bracketed). */
  readonly x: number;
  readonly fx: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Brent's root finder (Brent 1973, ch. 4: bisection, secant and inverse quadratic interpolation) for f on a
 * bracket [a, b] with f(a) f(b) <= 0. Stops when the bracket is below 2 (4 eps |x| + absTol) or f = 0.
 * Returns converged = false and x = NaN when the bracket has no sign change. Pure and deterministic.
 */
export function brentRoot(
  f: (x: number) => number,
  a0: number,
  b0: number,
  options: { absTol?: number; maxIterations?: number } = {},
): RootResult {
  const absTol = options.absTol ?? 1e-14;
  const maxIterations = options.maxIterations ?? 200;
  let a = a0;
  let b = b0;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return { x: a, fx: 0, iterations: 0, converged: true };
  if (fb === 0) return { x: b, fx: 0, iterations: 0, converged: true };
  if (!(fa * fb < 0)) return { x: Number.NaN, fx: Number.NaN, iterations: 0, converged: false };
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
    if (Math.abs(xm) <= tol || fb === 0) return { x: b, fx: fb, iterations: it, converged: true };
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
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
  }
  return { x: b, fx: fb, iterations: maxIterations, converged: false };
}
