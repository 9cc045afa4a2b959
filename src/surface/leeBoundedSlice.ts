import type { SviRawParams } from './types.ts';

/** A raw SVI slice whose wings are bounded by Lee's moment formula. */
export interface LeeBoundedSlice {
  readonly params: SviRawParams;
  /** Below kLeft, w is the tangent line of the SVI at kLeft (-Infinity when the left wing needs no bound). */
  readonly kLeft: number;
  /** Above kRight, w is the tangent line of the SVI at kRight (+Infinity when the right wing needs no bound). */
  readonly kRight: number;
  /** Total variance at log-moneyness k. */
  totalVariance(k: number): number;
}

/**
 * Wraps a (validated) raw SVI slice so that its wings obey Lee's moment formula, |dw/dk| <= leeBound (= 2) as
 * |k| -> infinity (Lee 2004; reference/methods.md §3.1). A wing whose asymptotic slope b(1 +- rho) exceeds the
 * bound is replaced, beyond k0, by the tangent line at k0, where k0 is the end of the fitted range `kRange` or the
 * point where |w'| reaches the bound, whichever is nearer to the centre; w stays C^1 and convex. Wings within the
 * bound are left unchanged (also beyond the fitted range).
 */
export function leeBoundedSlice(params: SviRawParams, kRange: readonly [number, number] | null, leeBound = 2): LeeBoundedSlice {
  const { a, b, rho, m, sigma } = params;
  const s2 = sigma * sigma;
  const w = (k: number): number => {
    const x = k - m;
    return a + b * (rho * x + Math.sqrt(x * x + s2));
  };
  const w1 = (k: number): number => {
    const x = k - m;
    return b * (rho + x / Math.sqrt(x * x + s2));
  };
  // point where w'(k) = target: (k - m)/R = target/b - rho = c  =>  k = m + c sigma / sqrt(1 - c^2)
  const atSlope = (target: number): number => {
    const c = target / b - rho;
    return m + (c * sigma) / Math.sqrt(1 - c * c);
  };
  let kRight = Number.POSITIVE_INFINITY;
  if (b * (1 + rho) > leeBound) {
    kRight = atSlope(leeBound);
    if (kRange) kRight = Math.min(kRight, kRange[1]);
  }
  let kLeft = Number.NEGATIVE_INFINITY;
  if (b * (1 - rho) > leeBound) {
    kLeft = atSlope(-leeBound);
    if (kRange) kLeft = Math.max(kLeft, kRange[0]);
  }
  const wRight = Number.isFinite(kRight) ? w(kRight) : 0;
  const sRight = Number.isFinite(kRight) ? w1(kRight) : 0;
  const wLeft = Number.isFinite(kLeft) ? w(kLeft) : 0;
  const sLeft = Number.isFinite(kLeft) ? w1(kLeft) : 0;
  return Object.freeze({
    params,
    kLeft,
    kRight,
    totalVariance(k: number): number {
      if (k > kRight) return wRight + sRight * (k - kRight);
      if (k < kLeft) return wLeft + sLeft * (k - kLeft);
      return w(k);
    },
  });
}
