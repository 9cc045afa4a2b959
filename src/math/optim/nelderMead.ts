/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, Computer Journal 7:308-313) with the standard
 * coefficients (reflection 1, expansion 2, contraction 1/2, shrink 1/2) and the acceptance rules of
 * Lagarias, Reeds, Wright & Wright (1998, SIAM J. Optim. 9:112-147): expand when the reflected point
 * beats the best, accept the reflection when it beats the second worst, otherwise contract outside
 * (fr < f_worst, accepted when f_c <= f_r) or inside (accepted when f_c < f_worst), otherwise shrink
 * every vertex half-way towards the best. The adaptive coefficients of Gao & Han (2012) are not
 * offered: no caller uses them.
 *
 * Two historical variants are kept bit-for-bit through options (they agree in exact arithmetic and
 * differ only in rounding and in the order of vertices with equal values):
 * - `vertexArithmetic`: 'centroid-offset' (default) computes trial points as c + t (p - c);
 *   'weighted-sum' as a c + b p (2c - w, 3c - 2w, 1.5c - 0.5w, 0.5c + 0.5w, 0.5 (b + p)).
 * - `tieBreak`: 'previous-order' (default) sorts the vertices stably from the previous iteration's
 *   order; 'vertex-index' sorts stably from the storage order (ties go to the lower vertex index).
 */

/** Why {@link nelderMead} stopped. */
export type NelderMeadStopReason =
  /** Both tests hold: simplex within xTol of the best vertex and f spread within the f tolerance. */
  | 'converged'
  /** The iteration cap was reached (checked before the convergence test of each iteration). */
  | 'max-iterations'
  /** The evaluation budget was spent (checked after the convergence test of each iteration). */
  | 'max-evaluations';

/** Options of {@link nelderMead} (all optional). */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate: vertex i = x0 + step[i-1] e_{i-1} (default 0.1 for each). */
  readonly step?: ArrayLike<number>;
  /** Simplex size test: max_i max_j |v_ij - best_j| <= xTol (default 1e-10, units of x). */
  readonly xTol?: number;
  /** f spread test: f_worst - f_best <= fTol (fTolFloor + |f_best|) + fAbsTol (default fTol 1e-12). */
  readonly fTol?: number;
  /** Floor added to |f_best| in the relative f test (default 1; 0 makes the test purely relative). */
  readonly fTolFloor?: number;
  /** Absolute term of the f test (default 0). */
  readonly fAbsTol?: number;
  /** Iteration cap (default 200 n; Infinity for none). */
  readonly maxIterations?: number;
  /** Evaluation budget, the initial simplex included (default Infinity); may be overshot by up to n + 1. */
  readonly maxEvaluations?: number;
  /** Rounding form of the trial points (default 'centroid-offset'); see the module comment. */
  readonly vertexArithmetic?: 'centroid-offset' | 'weighted-sum';
  /** Order of vertices with equal values (default 'previous-order'); see the module comment. */
  readonly tieBreak?: 'previous-order' | 'vertex-index';
}

/** Result of {@link nelderMead}. */
export interface NelderMeadResult {
  /** Best vertex found (a fresh array). */
  readonly x: Float64Array;
  /** f at x (+Infinity when every value was non-finite). */
  readonly fx: number;
  /** Simplex transformations performed (reflection, expansion, contraction or shrink). */
  readonly iterations: number;
  /** Objective evaluations, the initial simplex included. */
  readonly evaluations: number;
  readonly stopReason: NelderMeadStopReason;
}

/**
 * Minimises f over R^n from x0 by Nelder–Mead. f receives a scratch Float64Array it must not keep or
 * modify; non-finite values (NaN, ±Infinity) count as +Infinity, so a penalty or a NaN rejects a point.
 * No allocation per iteration (n + 5 arrays of length n and two of length n + 1, once). Pure and deterministic.
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const xTol = options.xTol ?? 1e-10;
  const fTol = options.fTol ?? 1e-12;
  const fTolFloor = options.fTolFloor ?? 1;
  const fAbsTol = options.fAbsTol ?? 0;
  const maxIterations = options.maxIterations ?? 200 * Math.max(1, n);
  const maxEvaluations = options.maxEvaluations ?? Number.POSITIVE_INFINITY;
  const weighted = options.vertexArithmetic === 'weighted-sum';
  const resetOrder = options.tieBreak === 'vertex-index';
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  const vertices: Float64Array[] = [];
  const values = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + (options.step?.[i - 1] ?? 0.1);
    vertices.push(p);
    values[i] = evaluate(p);
  }
  const order = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) order[i] = i;
  const c = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  let iterations = 0;
  let stopReason: NelderMeadStopReason;

  for (;;) {
    if (iterations >= maxIterations) {
      stopReason = 'max-iterations';
      break;
    }
    if (resetOrder) for (let i = 0; i <= n; i++) order[i] = i;
    sortByValue(order, values);
    const best = vertices[order[0]!]!;
    const worstIndex = order[n]!;
    const worst = vertices[worstIndex]!;
    const fBest = values[order[0]!]!;
    const fWorst = values[worstIndex]!;
    const fSecond = values[order[n - 1]!]!;

    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      const p = vertices[order[k]!]!;
      for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(p[j]! - best[j]!));
    }
    if (xSpread <= xTol && fWorst - fBest <= fTol * (fTolFloor + Math.abs(fBest)) + fAbsTol) {
      stopReason = 'converged';
      break;
    }
    if (evaluations >= maxEvaluations) {
      stopReason = 'max-evaluations';
      break;
    }
    iterations++;

    c.fill(0);
    for (let k = 0; k < n; k++) {
      const p = vertices[order[k]!]!;
      for (let j = 0; j < n; j++) c[j] = c[j]! + p[j]! / n;
    }
    // reflection
    if (weighted) for (let j = 0; j < n; j++) xr[j] = 2 * c[j]! - worst[j]!;
    else for (let j = 0; j < n; j++) xr[j] = c[j]! + (c[j]! - worst[j]!);
    const fr = evaluate(xr);
    if (fr < fBest) {
      // expansion
      if (weighted) for (let j = 0; j < n; j++) xe[j] = 3 * c[j]! - 2 * worst[j]!;
      else for (let j = 0; j < n; j++) xe[j] = c[j]! + 2 * (c[j]! - worst[j]!);
      const fe = evaluate(xe);
      if (fe < fr) {
        worst.set(xe);
        values[worstIndex] = fe;
      } else {
        worst.set(xr);
        values[worstIndex] = fr;
      }
      continue;
    }
    if (fr < fSecond) {
      worst.set(xr);
      values[worstIndex] = fr;
      continue;
    }
    const outside = fr < fWorst;
    if (outside) {
      if (weighted) for (let j = 0; j < n; j++) xc[j] = 1.5 * c[j]! - 0.5 * worst[j]!;
      else for (let j = 0; j < n; j++) xc[j] = c[j]! + 0.5 * (xr[j]! - c[j]!);
    } else if (weighted) {
      for (let j = 0; j < n; j++) xc[j] = 0.5 * c[j]! + 0.5 * worst[j]!;
    } else {
      for (let j = 0; j < n; j++) xc[j] = c[j]! + 0.5 * (worst[j]! - c[j]!);
    }
    const fc = evaluate(xc);
    if (outside ? fc <= fr : fc < fWorst) {
      worst.set(xc);
      values[worstIndex] = fc;
      continue;
    }
    // shrink towards the best vertex
    for (let k = 1; k <= n; k++) {
      const idx = order[k]!;
      const p = vertices[idx]!;
      if (weighted) for (let j = 0; j < n; j++) p[j] = 0.5 * (best[j]! + p[j]!);
      else for (let j = 0; j < n; j++) p[j] = best[j]! + 0.5 * (p[j]! - best[j]!);
      values[idx] = evaluate(p);
    }
  }

  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return Object.freeze({
    x: Float64Array.from(vertices[bestIndex]!),
    fx: values[bestIndex]!,
    iterations,
    evaluations,
    stopReason,
  });
}

/**
 * Stable insertion sort of the vertex indices in `order` by ascending `values` (values are never NaN
 * here; equal values, +Infinity included, keep their relative order). No allocation.
 */
function sortByValue(order: Int32Array, values: Float64Array): void {
  for (let i = 1; i < order.length; i++) {
    const k = order[i]!;
    const v = values[k]!;
    let j = i - 1;
    while (j >= 0 && values[order[j]!]! > v) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = k;
  }
}
