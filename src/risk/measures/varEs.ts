/**
 * Historical VaR and expected shortfall of a P&L vector (DESIGN.md §3 and §6, methods.md §5.2). Conventions, stated
 * once for the whole project:
 *
 * - P&L is positive for a gain; loss L = -P&L; VaR and ES are reported as losses (positive = a loss). They are not
 *   floored: a book that gains in every scenario has a negative VaR. Margin functions floor at 0, these do not.
 * - k = ceil(n (1 - alpha)) computed exactly (`tailMass`): with n = 500 and alpha = 0.99, k = 5.
 * - VaR_alpha = the k-th largest loss (the lower empirical quantile of L at alpha, "ceil(n p)-th worst"): losses
 *   1..250 at 99 % give 248 (methods.md §5.2; numpy's type 7 would give 247.51).
 * - ES_alpha (default `'k-worst'`) = the mean of the k largest losses (the CCP practice, e.g. LCH: the average of the
 *   6 worst of 2 500 at 99.75 %); losses 1..250 at 97.5 % give 247.0 (mean of the 7 worst).
 * - ES_alpha `'acerbi-tasche'` = (sum of the floor(m) largest losses + (m - floor(m)) x the next one) / m with
 *   m = n (1 - alpha) exact (Acerbi & Tasche 2002, the coherent estimator for discrete samples); losses 1..250 at
 *   97.5 % give 247.36. Equal to 'k-worst' when m is an integer.
 *
 * Every scenario has the same weight (historical and FHS vectors; weighted scenario sets are a margin-model matter).
 */
import { MarginInputError } from './errors.ts';
import { largestLossesKernel } from './largestLosses.ts';
import { tailMass, type TailMass } from './tailCount.ts';

/** How expected shortfall averages the tail; see the module comment. */
export type EsMethod = 'k-worst' | 'acerbi-tasche';

/** Options of {@link expectedShortfall}. */
export interface ExpectedShortfallOptions {
  /** Default `'k-worst'`. */
  readonly method?: EsMethod;
}

/** Checks a P&L vector: array-like of finite numbers, at least one. Returns its length. */
export function checkPnlVector(pnl: ArrayLike<number>, field = 'pnl'): number {
  if (pnl === null || typeof pnl !== 'object' || typeof pnl.length !== 'number') {
    throw new MarginInputError(field, pnl, 'expected an array of P&L values');
  }
  const n = pnl.length;
  if (n === 0) throw new MarginInputError(field, pnl, 'expected at least one scenario');
  for (let i = 0; i < n; i++) {
    const v = pnl[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new MarginInputError(`${field}[${i}]`, v, 'P&L must be a finite number');
  }
  return n;
}

/** ES from the k largest losses (descending, `tail[0..k)`) of a sample with tail mass `t`. */
export function esFromTail(tail: ArrayLike<number>, t: TailMass, method: EsMethod): number {
  if (method === 'acerbi-tasche') {
    let sum = 0;
    for (let j = 0; j < t.whole; j++) sum += tail[j] as number;
    if (t.fraction > 0) sum += t.fraction * (tail[t.whole] as number);
    return sum / t.mass;
  }
  let sum = 0;
  for (let j = 0; j < t.k; j++) sum += tail[j] as number;
  return sum / t.k;
}

/**
 * Historical VaR at `confidence` (e.g. 0.99) of a P&L vector: the k-th largest loss, k = ceil(n (1 - confidence))
 * exact. Same currency as the P&L; positive = a loss. Throws MarginInputError for an empty or non-finite vector or a
 * confidence outside (0, 1).
 */
export function historicalVaR(pnl: ArrayLike<number>, confidence: number): number {
  const n = checkPnlVector(pnl);
  const t = tailMass(n, confidence);
  const tail = new Float64Array(t.k);
  largestLossesKernel(pnl, 0, n, t.k, tail);
  return tail[t.k - 1] as number;
}

/**
 * Expected shortfall at `confidence` of a P&L vector: by default the mean of the k = ceil(n (1 - confidence)) largest
 * losses; `{ method: 'acerbi-tasche' }` for the fractional estimator. Positive = a loss; see the module comment.
 */
export function expectedShortfall(pnl: ArrayLike<number>, confidence: number, options: ExpectedShortfallOptions = {}): number {
  const method = options.method ?? 'k-worst';
  if (method !== 'k-worst' && method !== 'acerbi-tasche') throw new MarginInputError('options.method', method, "expected 'k-worst' or 'acerbi-tasche'");
  const n = checkPnlVector(pnl);
  const t = tailMass(n, confidence);
  const tail = new Float64Array(t.k);
  largestLossesKernel(pnl, 0, n, t.k, tail);
  return esFromTail(tail, t, method);
}
