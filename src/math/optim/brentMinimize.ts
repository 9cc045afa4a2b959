/**
 * Brent's one-dimensional minimiser (Brent 1973, Algorithms for Minimization without Derivatives,
 * ch. 5, procedure `localmin`): golden-section search safeguarding parabolic interpolation through
 * the three best points, for a local minimum of f on a bracket.
 */

/** Why {@link brentMinimize} stopped. */
export type BrentMinimizeStopReason =
  /** The bracket around x shrank below 2 (relTol |x| + absTol). */
  | 'converged-x'
  | 'max-iterations';

/** Options of {@link brentMinimize} (all optional). */
export interface BrentMinimizeOptions {
  /** Relative x tolerance (default 1e-10). */
  readonly relTol?: number;
  /** Absolute x tolerance, in units of x (default 1e-12). */
  readonly absTol?: number;
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
}

/** Result of {@link brentMinimize}. */
export interface BrentMinimizeResult {
  /** Abscissa of the smallest value found. */
  readonly x: number;
  /** f(x) (NaN values of f count as +Infinity). */
  readonly fx: number;
  /** Interpolation or golden-section steps taken. */
  readonly iterations: number;
  /** Evaluations of f: iterations + 1. */
  readonly evaluations: number;
  readonly stopReason: BrentMinimizeStopReason;
}

const GOLDEN = 0.3819660112501051; // (3 - sqrt(5)) / 2

/**
 * Local minimum of f on [lower, upper] (the bounds may come in either order), in units of x.
 * The first point is the golden section lower + (3 - sqrt 5)/2 (upper - lower). Stops 'converged-x' when |x - midpoint| <= 2 tol - (b - a)/2 with
 * tol = relTol |x| + absTol, i.e. the bracket is below 2 * 2 tol; 'max-iterations' otherwise.
 * NaN values of f count as +Infinity. Pure and deterministic.
 */
export function brentMinimize(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: BrentMinimizeOptions = {},
): BrentMinimizeResult {
  const relTol = options.relTol ?? 1e-10;
  const absTol = options.absTol ?? 1e-12;
  const maxIterations = options.maxIterations ?? 200;
  const evaluate = (x: number): number => {
    const y = f(x);
    return Number.isNaN(y) ? Number.POSITIVE_INFINITY : y;
  };
  let a = Math.min(lower, upper);
  let b = Math.max(lower, upper);
  let x = a + GOLDEN * (b - a);
  let w = x;
  let v = x;
  let fx = evaluate(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let it = 0;
  let stopReason: BrentMinimizeStopReason = 'max-iterations';
  for (; it < maxIterations; it++) {
    const xm = 0.5 * (a + b);
    const tol1 = relTol * Math.abs(x) + absTol;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) {
      stopReason = 'converged-x';
      break;
    }
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      // parabola through (x, fx), (w, fw), (v, fv)
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const eTemp = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * eTemp) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm - x >= 0 ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x >= xm ? a - x : b - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
    const fu = evaluate(u);
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return Object.freeze({ x, fx, iterations: it, evaluations: it + 1, stopReason });
}
