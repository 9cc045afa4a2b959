/**
 * Raw SVI in wing-slope coordinates with box constraints (pure), for the calendar refit.
 *
 * The asymptotic slopes of w(k) = a + b(rho(k - m) + sqrt((k - m)^2 + sigma^2)) are sL = b(1 - rho) (left,
 * as k -> -infinity, magnitude) and sR = b(1 + rho) (right); conversely b = (sL + sR)/2, rho = (sR - sL)/(sL + sR)
 * and b sqrt(1 - rho^2) = sqrt(sL sR). Unconstrained coordinates u (5 numbers) map to a valid slice whose slopes
 * lie exactly in their boxes:
 *   u0 = ln(minW), minW = a + sigma sqrt(sL sR) > 0,
 *   sL = lo_L + (hi_L - lo_L) logistic(u1),   sR = lo_R + (hi_R - lo_R) logistic(u2),
 *   m = mMid + mHalf tanh(u3),   ln sigma = lMid + lHalf tanh(u4).
 */
import type { SviRawParams } from '../types.ts';

/** Boxes of the wing-slope coordinates: slopes in w per unit k, m in log-moneyness, sigma > 0. */
export interface SviWingBox {
  /** [lo, hi] of the left asymptotic slope b(1 - rho), 0 < lo <= hi. */
  readonly left: readonly [number, number];
  /** [lo, hi] of the right asymptotic slope b(1 + rho), 0 < lo <= hi. */
  readonly right: readonly [number, number];
  readonly mBounds: readonly [number, number];
  readonly sigmaBounds: readonly [number, number];
}

const EDGE = 1 - 1e-12;
const P_EDGE = 1e-12;

/** Raw parameters from u, and optionally d(a, b, rho, m, sigma)/du as a row-major 5 x 5 matrix into `jac`. */
export function wingBoxToRaw(u: ArrayLike<number>, box: SviWingBox, jac?: Float64Array): SviRawParams {
  const minW = Math.exp(u[0] as number);
  const [loL, hiL] = box.left;
  const [loR, hiR] = box.right;
  const pL = logistic(u[1] as number);
  const pR = logistic(u[2] as number);
  const sL = loL + (hiL - loL) * pL;
  const sR = loR + (hiR - loR) * pR;
  const [mMid, mHalf, lMid, lHalf] = centres(box);
  const t3 = Math.tanh(u[3] as number);
  const t4 = Math.tanh(u[4] as number);
  const m = mMid + mHalf * t3;
  const sigma = Math.exp(lMid + lHalf * t4);
  const S = sL + sR;
  const q = Math.sqrt(sL * sR);
  const b = 0.5 * S;
  const rho = (sR - sL) / S;
  const a = minW - sigma * q;
  if (jac) {
    jac.fill(0);
    const dsL = (hiL - loL) * pL * (1 - pL);
    const dsR = (hiR - loR) * pR * (1 - pR);
    const dm = mHalf * (1 - t3 * t3);
    const dSigma = sigma * lHalf * (1 - t4 * t4);
    const qSafe = q > 0 ? q : 1e-300;
    // row 0: a
    jac[0] = minW;
    jac[1] = (-sigma * sR * dsL) / (2 * qSafe);
    jac[2] = (-sigma * sL * dsR) / (2 * qSafe);
    jac[4] = -q * dSigma;
    // row 1: b
    jac[6] = 0.5 * dsL;
    jac[7] = 0.5 * dsR;
    // row 2: rho
    jac[11] = ((-2 * sR) / (S * S)) * dsL;
    jac[12] = ((2 * sL) / (S * S)) * dsR;
    // row 3: m
    jac[18] = dm;
    // row 4: sigma
    jac[24] = dSigma;
  }
  return { a, b, rho, m, sigma };
}

/** Coordinates u of a raw slice, after clamping its slopes, m and sigma into the box (inverse of wingBoxToRaw). */
export function rawToWingBox(params: SviRawParams, box: SviWingBox, out = new Float64Array(5)): Float64Array {
  const [loL, hiL] = box.left;
  const [loR, hiR] = box.right;
  const pL = fraction(params.b * (1 - params.rho), loL, hiL);
  const pR = fraction(params.b * (1 + params.rho), loR, hiR);
  const [mMid, mHalf, lMid, lHalf] = centres(box);
  const m = mMid + mHalf * clamp((params.m - mMid) / mHalf, -EDGE, EDGE);
  const lnSigma = lMid + lHalf * clamp((Math.log(params.sigma) - lMid) / lHalf, -EDGE, EDGE);
  // keep the slice's minimum total variance (its level), at least a tiny positive number
  const minWOriginal = params.a + params.b * params.sigma * Math.sqrt(Math.max(0, 1 - params.rho * params.rho));
  const minW = Math.max(minWOriginal, 1e-12, 1e-9 * Math.abs(params.a));
  out[0] = Math.log(minW);
  out[1] = logit(pL);
  out[2] = logit(pR);
  out[3] = Math.atanh((m - mMid) / mHalf);
  out[4] = Math.atanh((lnSigma - lMid) / lHalf);
  return out;
}

function fraction(s: number, lo: number, hi: number): number {
  if (!(hi - lo > 0)) return 0.5;
  return clamp((s - lo) / (hi - lo), P_EDGE, 1 - P_EDGE);
}

function centres(box: SviWingBox): [number, number, number, number] {
  const [mLo, mHi] = box.mBounds;
  const lLo = Math.log(box.sigmaBounds[0]);
  const lHi = Math.log(box.sigmaBounds[1]);
  return [0.5 * (mLo + mHi), 0.5 * (mHi - mLo), 0.5 * (lLo + lHi), 0.5 * (lHi - lLo)];
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
