/** Result of a one-dimensional minimisation. */
export interface Minimum1d {
  readonly x: number;
  readonly fx: number;
  readonly iterations: number;
}

const GOLDEN = 0.3819660112501051; // (3 - sqrt(5)) / 2

/**
 * Brent's method (golden-section search with parabolic interpolation; Brent 1973, ch. 5) for a local
 * minimum of f on [lower, upper]. Stops when the bracket is below 2 * (relTol |x| + absTol) or after
 * maxIterations. Pure; f is called at most maxIterations + 1 times. NaN values of f are treated as +Infinity.
 */
export function brentMinimize(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: { relTol?: number; absTol?: number; maxIterations?: number } = {},
): Minimum1d {
  const relTol = options.relTol ?? 1e-10;
  const absTol = options.absTol ?? 1e-12;
  const maxIterations = options.maxIterations ?? 200;
  const fs = (x: number): number => {
    const y = f(x);
    return Number.isNaN(y) ? Number.POSITIVE_INFINITY : y;
  };
  let a = Math.min(lower, upper);
  let b = Math.max(lower, upper);
  let x = a + GOLDEN * (b - a);
  let w = x;
  let v = x;
  let fx = fs(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let it = 0;
  for (; it < maxIterations; it++) {
    const xm = 0.5 * (a + b);
    const tol1 = relTol * Math.abs(x) + absTol;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
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
    const fu = fs(u);
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
  return { x, fx, iterations: it };
}
