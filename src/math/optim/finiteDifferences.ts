/**
 * Central finite-difference derivatives. Step per coordinate h_i = relStep * max(|x_i|, scale_i)
 * (default relStep = eps^(1/3) ~ 6.1e-6 for gradients, eps^(1/4) ~ 1.2e-4 for Hessians, scale_i = 1),
 * the textbook choices balancing truncation O(h^2) against rounding O(eps/h) (Nocedal & Wright 2006,
 * Numerical Optimization, 2nd ed., section 8.1). f is called on raw values: no NaN/Infinity handling.
 */

const EPS = 2 ** -52;

/** Options of the finite-difference helpers. */
export interface FiniteDifferenceOptions {
  /** Relative step (default eps^(1/3) for gradients, eps^(1/4) for Hessians). */
  readonly relStep?: number;
  /** Per-coordinate floor of the step scale, in units of x (default 1). */
  readonly scale?: ArrayLike<number>;
}

function stepFor(x: number, i: number, rel: number, scale: ArrayLike<number> | undefined): number {
  return rel * Math.max(Math.abs(x), scale?.[i] ?? 1);
}

/**
 * Central-difference gradient of f at x into `out` (2n evaluations): (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i).
 * f receives `scratch` (n entries, allocated when absent), a copy of x with one coordinate moved; it must
 * not keep it. Pass `scratch` to avoid any allocation.
 */
export function centralGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  out: Float64Array = new Float64Array(x.length),
  options: FiniteDifferenceOptions = {},
  scratch?: Float64Array,
): Float64Array {
  const rel = options.relStep ?? Math.cbrt(EPS);
  let p: Float64Array;
  if (scratch === undefined) {
    p = Float64Array.from(x);
  } else {
    p = scratch;
    p.set(x);
  }
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const h = stepFor(xi, i, rel, options.scale);
    p[i] = xi + h;
    const fp = f(p);
    p[i] = xi - h;
    const fm = f(p);
    p[i] = xi;
    out[i] = (fp - fm) / (2 * h);
  }
  return out;
}

/**
 * Central-difference Hessian of f at x (n x n row-major, symmetric; 2n^2 + 1 evaluations): diagonal
 * (f(x+h_i) - 2 f(x) + f(x-h_i)) / h_i^2, off-diagonal from the four points x ± h_i e_i ± h_j e_j.
 */
export function centralHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: FiniteDifferenceOptions = {},
): Float64Array {
  const n = x.length;
  const rel = options.relStep ?? Math.pow(EPS, 0.25);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = stepFor(x[i]!, i, rel, options.scale);
  const p = Float64Array.from(x);
  const f0 = f(p);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    p[i] = xi + h[i]!;
    const fp = f(p);
    p[i] = xi - h[i]!;
    const fm = f(p);
    p[i] = xi;
    out[i * n + i] = (fp - 2 * f0 + fm) / (h[i]! * h[i]!);
    for (let j = 0; j < i; j++) {
      const xj = x[j]!;
      p[i] = xi + h[i]!;
      p[j] = xj + h[j]!;
      const fpp = f(p);
      p[j] = xj - h[j]!;
      const fpm = f(p);
      p[i] = xi - h[i]!;
      const fmm = f(p);
      p[j] = xj + h[j]!;
      const fmp = f(p);
      p[i] = xi;
      p[j] = xj;
      const v = (fpp - fpm - fmp + fmm) / (4 * h[i]! * h[j]!);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
