/** Why nelderMead stopped. */
export type NelderMeadStopReason = 'converged' | 'max-evaluations';

/** Result of nelderMead. */
export interface NelderMeadResult {
  readonly x: Float64Array;
  readonly fx: number;
  readonly evaluations: number;
  readonly iterations: number;
  readonly stopReason: NelderMeadStopReason;
}

/** Options of nelderMead. */
export interface NelderMeadOptions {
  /** Initial simplex step per coordinate (default 0.1 for every coordinate). */
  readonly initialStep?: ArrayLike<number>;
  /** Convergence: simplex diameter (max-norm, per coordinate) below xTolerance (default 1e-10)... */
  readonly xTolerance?: number;
  /** ...and spread of f values below fTolerance * (|f_best| + 1e-300) + fAbsoluteTolerance (defaults 1e-14, 0). */
  readonly fTolerance?: number;
  readonly fAbsoluteTolerance?: number;
  /** Maximum objective evaluations (default 1000). */
  readonly maxEvaluations?: number;
}

/**
 * Nelder–Mead simplex minimisation (standard coefficients: reflection 1, expansion 2, contraction 1/2,
 * shrink 1/2; Lagarias, Reeds, Wright & Wright 1998) of f over R^n from x0. Non-finite f values are
 * treated as +Infinity, so a penalty or a NaN can be used to reject points. Deterministic and pure.
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const xTol = options.xTolerance ?? 1e-10;
  const fTol = options.fTolerance ?? 1e-14;
  const fAbs = options.fAbsoluteTolerance ?? 0;
  const maxEval = options.maxEvaluations ?? 1000;
  let evaluations = 0;
  const fs = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const simplex: Float64Array[] = [];
  const values = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) {
      const step = options.initialStep ? (options.initialStep[i - 1] as number) : 0.1;
      p[i - 1] = (p[i - 1] as number) + step;
    }
    simplex.push(p);
    values[i] = fs(p);
  }
  const order = new Int32Array(n + 1);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  let iterations = 0;
  let stopReason: NelderMeadStopReason = 'max-evaluations';
  const point = (i: number): Float64Array => simplex[order[i] as number] as Float64Array;
  const value = (i: number): number => values[order[i] as number] as number;

  for (;;) {
    for (let i = 0; i <= n; i++) order[i] = i;
    order.sort((p, q) => (values[p] as number) - (values[q] as number));
    const fBest = value(0);
    const fWorst = value(n);
    let diameter = 0;
    const best = point(0);
    for (let i = 1; i <= n; i++) {
      const p = point(i);
      for (let j = 0; j < n; j++) diameter = Math.max(diameter, Math.abs((p[j] as number) - (best[j] as number)));
    }
    if (diameter <= xTol && fWorst - fBest <= fTol * Math.abs(fBest) + fAbs) {
      stopReason = 'converged';
      break;
    }
    if (evaluations >= maxEval) break;
    iterations++;
    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const p = point(i);
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (p[j] as number) / n;
    }
    const worst = point(n);
    for (let j = 0; j < n; j++) xr[j] = 2 * (centroid[j] as number) - (worst[j] as number);
    const fr = fs(xr);
    const worstIndex = order[n] as number;
    if (fr < fBest) {
      for (let j = 0; j < n; j++) xe[j] = 3 * (centroid[j] as number) - 2 * (worst[j] as number);
      const fe = fs(xe);
      if (fe < fr) {
        worst.set(xe);
        values[worstIndex] = fe;
      } else {
        worst.set(xr);
        values[worstIndex] = fr;
      }
      continue;
    }
    if (fr < value(n - 1)) {
      worst.set(xr);
      values[worstIndex] = fr;
      continue;
    }
    // contraction: outside if fr < fWorst, inside otherwise
    const outside = fr < fWorst;
    for (let j = 0; j < n; j++) {
      xc[j] = outside
        ? 1.5 * (centroid[j] as number) - 0.5 * (worst[j] as number)
        : 0.5 * (centroid[j] as number) + 0.5 * (worst[j] as number);
    }
    const fc = fs(xc);
    if ((outside && fc <= fr) || (!outside && fc < fWorst)) {
      worst.set(xc);
      values[worstIndex] = fc;
      continue;
    }
    // shrink towards the best point
    for (let i = 1; i <= n; i++) {
      const p = point(i);
      for (let j = 0; j < n; j++) p[j] = 0.5 * ((best[j] as number) + (p[j] as number));
      values[order[i] as number] = fs(p);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if ((values[i] as number) < (values[bestIndex] as number)) bestIndex = i;
  return Object.freeze({
    x: Float64Array.from(simplex[bestIndex] as Float64Array),
    fx: values[bestIndex] as number,
    evaluations,
    iterations,
    stopReason,
  });
}
