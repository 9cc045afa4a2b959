/**
 * Calendar check of two raw SVI slices including the far field (pure): sviCalendarCheck (dense grid |k| <= kMax,
 * grids around both m's, asymptotic slopes) plus the asymptotic intercepts and far points out to |k| = 1e4.
 *
 * Why: when the two slices' wing slopes are equal (which the calendar repair produces on purpose),
 * w_later(k) - w_earlier(k) tends to a constant as |k| -> infinity, the difference of the asymptotes' intercepts:
 * w(k) = s_R k + (a - s_R m) + O(1/k) on the right (s_R = b(1 + rho)) and s_L |k| + (a + s_L m) + O(1/|k|) on the
 * left (s_L = b(1 - rho)). sviCalendarCheck compares the slopes only, so a negative intercept difference far
 * outside its grids would go unseen.
 */
import { sviCalendarCheck, type CalendarCheckResult } from '../calendarCheck.ts';
import type { SviRawParams } from '../types.ts';

const FAR = [10, 20, 50, 100, 200, 500, 1e3, 1e4];
const SLOPE_TOL = 1e-12;

/**
 * Calendar check between raw SVI slices earlier and later (T_earlier < T_later): sviCalendarCheck with the given
 * kMax (and `points` on its uniform grid, default 601), then w_later - w_earlier at |k| in {10, ..., 1e4} (a shortfall beyond 1e-12 max(w_earlier, 1) counts) and, for a wing whose slopes agree within 1e-12, the
 * intercept difference of the asymptotes (must be >= 0). The worst finding is reported in sviCalendarCheck's form.
 */
export function calendarPairCheck(earlier: SviRawParams, later: SviRawParams, kMax: number, points = 601): CalendarCheckResult {
  const base = sviCalendarCheck(earlier, later, { kMax, points });
  let minD = base.minDifference;
  let worstK = base.worstK;
  let farViolation = false;
  for (const k of FAR) {
    for (const kk of [k, -k]) {
      const we = w(earlier, kk);
      const d = w(later, kk) - we;
      // rounding of two large totals: only a shortfall beyond 1e-12 relative counts
      if (d < -1e-12 * Math.max(we, 1)) farViolation = true;
      if (d < minD) {
        minD = d;
        worstK = kk;
      }
    }
  }
  let wing = base.wingViolation;
  const sR1 = earlier.b * (1 + earlier.rho);
  const sR2 = later.b * (1 + later.rho);
  const sL1 = earlier.b * (1 - earlier.rho);
  const sL2 = later.b * (1 - later.rho);
  const right = Math.abs(sR2 - sR1) <= SLOPE_TOL && later.a - sR2 * later.m < earlier.a - sR1 * earlier.m;
  const left = Math.abs(sL2 - sL1) <= SLOPE_TOL && later.a + sL2 * later.m < earlier.a + sL1 * earlier.m;
  if (right || left) wing = wing === 'both' || (right && left) || (wing === 'left' && right) || (wing === 'right' && left) ? 'both' : right ? 'right' : 'left';
  if (minD === base.minDifference && wing === base.wingViolation) return base;
  return Object.freeze({
    arbitrage: base.arbitrage || farViolation || wing !== null,
    worstK,
    shortfall: Math.max(0, -minD),
    minDifference: minD,
    wingViolation: wing,
  });
}

function w(p: SviRawParams, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}
