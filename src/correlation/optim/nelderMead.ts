/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965) with the standard coefficients (reflection 1,
 * expansion 2, contraction 1/2, shrink 1/2) and the acceptance rules of Lagarias, Reeds, Wright &
 * Wright (1998, SIAM J. Optim. 9:112-147). Non-finite objective values count as +Infinity.
 * Stops ('converged') when max_i |f_i - f_best| <= fTol (1 + |f_best|) and the simplex lies within
 * xTol (max norm) of the best vertex; 'max-iterations' otherwise. Deterministic.
 */

/** Result of an unconstrained minimiser. */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly fx: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stopReason: 'converged' | 'max-iterations' | 'no-progress';
}

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (default 0.1 for each). */
  readonly step?: ArrayLike<number>;
  readonly maxIterations?: number;
  readonly fTol?: number;
  readonly xTol?: number;
}

/** Minimise f from x0 by Nelder–Mead; f receives a scratch array it must not keep. */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200 * Math.max(1, n);
  const fTol = options.fTol ?? 1e-12;
  const xTol = options.xTol ?? 1e-10;
  let evaluations = 0;
  const evalF = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const pts: Float64Array[] = [];
  const fv = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + (options.step?.[i - 1] ?? 0.1);
    pts.push(p);
    fv[i] = evalF(p);
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const c = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  let iterations = 0;
  let stopReason: MinimizeResult['stopReason'] = 'max-iterations';
  while (iterations < maxIterations) {
    order.sort((a, b) => fv[a]! - fv[b]!);
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    // convergence test
    let fSpread = 0;
    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      const idx = order[k]!;
      fSpread = Math.max(fSpread, Math.abs(fv[idx]! - fv[best]!));
      for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(pts[idx]![j]! - pts[best]![j]!));
    }
    if (fSpread <= fTol * (1 + Math.abs(fv[best]!)) && xSpread <= xTol) {
      stopReason = 'converged';
      break;
    }
    iterations++;
    c.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]!]!;
      for (let j = 0; j < n; j++) c[j] = c[j]! + p[j]! / n;
    }
    const pw = pts[worst]!;
    for (let j = 0; j < n; j++) xr[j] = c[j]! + (c[j]! - pw[j]!);
    const fr = evalF(xr);
    if (fr < fv[best]!) {
      for (let j = 0; j < n; j++) xe[j] = c[j]! + 2 * (c[j]! - pw[j]!);
      const fe = evalF(xe);
      if (fe < fr) {
        pw.set(xe);
        fv[worst] = fe;
      } else {
        pw.set(xr);
        fv[worst] = fr;
      }
      continue;
    }
    if (fr < fv[second]!) {
      pw.set(xr);
      fv[worst] = fr;
      continue;
    }
    let accepted = false;
    if (fr < fv[worst]!) {
      for (let j = 0; j < n; j++) xc[j] = c[j]! + 0.5 * (xr[j]! - c[j]!);
      const fc = evalF(xc);
      if (fc <= fr) {
        pw.set(xc);
        fv[worst] = fc;
        accepted = true;
      }
    } else {
      for (let j = 0; j < n; j++) xc[j] = c[j]! + 0.5 * (pw[j]! - c[j]!);
      const fc = evalF(xc);
      if (fc < fv[worst]!) {
        pw.set(xc);
        fv[worst] = fc;
        accepted = true;
      }
    }
    if (!accepted) {
      const pb = pts[best]!;
      for (let k = 1; k <= n; k++) {
        const idx = order[k]!;
        const p = pts[idx]!;
        for (let j = 0; j < n; j++) p[j] = pb[j]! + 0.5 * (p[j]! - pb[j]!);
        fv[idx] = evalF(p);
      }
    }
  }
  let bestIdx = 0;
  for (let i = 1; i <= n; i++) if (fv[i]! < fv[bestIdx]!) bestIdx = i;
  return Object.freeze({ x: Float64Array.from(pts[bestIdx]!), fx: fv[bestIdx]!, iterations, evaluations, stopReason });
}
