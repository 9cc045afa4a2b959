/**
 * From the horizon of a scenario P&L vector to the margin period of risk (MPOR), pure:
 *
 * - `sqrt`: ES_MPOR = ES_h x sqrt(MPOR / h) (i.i.d. scenario horizons; the FHS generator's own default);
 * - `overlapping`: the P&L over MPOR is approximated by the sum of MPOR / h consecutive scenario P&Ls (scenarios in
 *   date order, one window per end scenario: n - MPOR/h + 1 windows), whose ES is taken directly; exact for a
 *   book linear in the risk factors over a flat-vol horizon, an approximation for options;
 * - `none`: the vector already is the MPOR P&L (e.g. scenarios generated with `mpor_days` by the scenario layer).
 */
import { MarginInputError } from '../../measures/index.ts';

/** Sums of `window` consecutive entries of `pnl` (length n - window + 1), running sum with exact re-start. */
export function overlappingSums(pnl: ArrayLike<number>, window: number, out?: Float64Array): Float64Array {
  const n = pnl.length;
  if (!Number.isSafeInteger(window) || window < 1) throw new MarginInputError('window', window, 'expected a positive integer');
  if (n < window) throw new MarginInputError('pnl.length', n, `overlapping windows of ${window} need at least ${window} scenarios`);
  const m = n - window + 1;
  const result = out ?? new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < window; j++) s += pnl[i + j] as number;
    result[i] = s;
  }
  return result;
}

/** sqrt(mpor / horizon): the square-root-of-time factor. */
export function sqrtTimeFactor(mporDays: number, horizonDays: number): number {
  return Math.sqrt(mporDays / horizonDays);
}
