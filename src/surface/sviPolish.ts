import {
  levenbergMarquardt,
  type LevenbergMarquardtResult,
  type LevenbergMarquardtOptions,
} from '../math/levenbergMarquardt.ts';
import { sviDurrlemanG } from './durrlemanG.ts';
import type { QuasiExplicitData } from './quasiExplicitInner.ts';
import type { SviRawParams } from './types.ts';

/** Box of the polish: bound on the wing slope b(1 + |rho|) and boxes for m and sigma. */
export interface SviPolishBox {
  /** Bound S on b(1 + |rho|). */
  readonly slopeBound: number;
  /** Box for m (log-moneyness), lo < hi. */
  readonly mBounds: readonly [number, number];
  /** Box for sigma, 0 < lo < hi. */
  readonly sigmaBounds: readonly [number, number];
}

const EDGE = 1 - 1e-12;

/**
 * Unconstrained coordinates u of a raw SVI slice used by the least-squares polish, so that every u maps to
 * a valid slice inside the box with wing slope b(1 + |rho|) < S:
 *   u0 = ln(minW), minW = a + b sigma sqrt(1 - rho^2) (> 0),   u1 = logit(b (1 + |rho|) / S),
 *   u2 = atanh(rho),   m = mMid + mHalf tanh(u3),   ln sigma = lMid + lHalf tanh(u4).
 */
export function sviToUnconstrained(params: SviRawParams, box: SviPolishBox, out = new Float64Array(5)): Float64Array {
  const S = box.slopeBound;
  const rho = Math.max(-EDGE, Math.min(EDGE, params.rho));
  const q = Math.sqrt(1 - rho * rho);
  const s = Math.max(1e-10, Math.min(1 - 1e-10, (params.b * (1 + Math.abs(rho))) / S));
  const b = (S * s) / (1 + Math.abs(rho));
  const [mMid, mHalf, lMid, lHalf] = boxCentres(box);
  const m = mMid + mHalf * Math.max(-EDGE, Math.min(EDGE, (params.m - mMid) / mHalf));
  const lnSigma = lMid + lHalf * Math.max(-EDGE, Math.min(EDGE, (Math.log(params.sigma) - lMid) / lHalf));
  const minW = Math.max(params.a + b * Math.exp(lnSigma) * q, 1e-14);
  out[0] = Math.log(minW);
  out[1] = Math.log(s / (1 - s));
  out[2] = Math.atanh(rho);
  out[3] = Math.atanh((m - mMid) / mHalf);
  out[4] = Math.atanh((lnSigma - lMid) / lHalf);
  return out;
}

/** Inverse of sviToUnconstrained. */
export function sviFromUnconstrained(u: ArrayLike<number>, box: SviPolishBox): SviRawParams {
  const [mMid, mHalf, lMid, lHalf] = boxCentres(box);
  const rho = Math.tanh(u[2] as number);
  const sigma = Math.exp(lMid + lHalf * Math.tanh(u[4] as number));
  const s = 1 / (1 + Math.exp(-(u[1] as number)));
  const b = (box.slopeBound * s) / (1 + Math.abs(rho));
  const a = Math.exp(u[0] as number) - b * sigma * Math.sqrt(1 - rho * rho);
  return { a, b, rho, m: mMid + mHalf * Math.tanh(u[3] as number), sigma };
}

function boxCentres(box: SviPolishBox): [number, number, number, number] {
  const [mLo, mHi] = box.mBounds;
  const lLo = Math.log(box.sigmaBounds[0]);
  const lHi = Math.log(box.sigmaBounds[1]);
  return [0.5 * (mLo + mHi), 0.5 * (mHi - mLo), 0.5 * (lLo + lHi), 0.5 * (lHi - lLo)];
}

/** Options of sviPolish. */
export interface SviPolishOptions {
  readonly box: SviPolishBox;
  /** Log-moneyness grid where a butterfly penalty on min(g, 0) is applied (none when absent). */
  readonly penaltyGrid?: Float64Array;
  /** Multiplier of the butterfly penalty residuals (ignored without penaltyGrid). */
  readonly penaltyWeight?: number;
  /** Penalise g below this margin (default 0). */
  readonly penaltyMargin?: number;
  readonly lm?: LevenbergMarquardtOptions;
}

/** Result of sviPolish. */
export interface SviPolishResult {
  readonly params: SviRawParams;
  /** Weighted sum of squared data residuals (penalty excluded). */
  readonly sse: number;
  readonly lm: LevenbergMarquardtResult;
}

/**
 * Least-squares polish of all five raw SVI parameters by Levenberg–Marquardt in the unconstrained
 * coordinates of sviToUnconstrained (bounds by reparametrisation: the box of the quasi-explicit stage for m and
 * sigma, the wing-slope bound, |rho| < 1, min w > 0; a is otherwise free, may be negative), with residuals sqrt(v_i)(w(k_i) - w_i)
 * and the analytic Jacobian; optionally extra residuals penaltyWeight * min(g(k_j) - margin, 0) on a grid
 * (finite-difference Jacobian rows) to push the slice towards absence of butterfly arbitrage.
 */
export function sviPolish(data: QuasiExplicitData, start: SviRawParams, options: SviPolishOptions): SviPolishResult {
  const { n, k, w, weights } = data;
  const box = options.box;
  const slopeBound = box.slopeBound;
  const [, mHalf, , lHalf] = boxCentres(box);
  const grid = options.penaltyGrid;
  const nPen = grid ? grid.length : 0;
  const penaltyWeight = options.penaltyWeight ?? 1;
  const margin = options.penaltyMargin ?? 0;
  const sqrtW = new Float64Array(n);
  for (let i = 0; i < n; i++) sqrtW[i] = Math.sqrt(weights[i] as number);
  const uPlus = new Float64Array(5);
  const penPlus = new Float64Array(nPen);
  const penMinus = new Float64Array(nPen);

  const penalties = (u: Float64Array, out: Float64Array, offset: number): void => {
    if (!grid) return;
    const p = sviFromUnconstrained(u, box);
    for (let j = 0; j < nPen; j++) {
      const gj = sviDurrlemanG(p, grid[j] as number);
      out[offset + j] = Number.isNaN(gj) ? -penaltyWeight : penaltyWeight * Math.min(gj - margin, 0);
    }
  };

  const problem = {
    parameterCount: 5,
    residualCount: n + nPen,
    residuals(u: Float64Array, out: Float64Array): void {
      const { a, b, rho, m, sigma } = sviFromUnconstrained(u, box);
      const s2 = sigma * sigma;
      for (let i = 0; i < n; i++) {
        const x = (k[i] as number) - m;
        out[i] = (sqrtW[i] as number) * (a + b * (rho * x + Math.sqrt(x * x + s2)) - (w[i] as number));
      }
      penalties(u, out, n);
    },
    jacobian(u: Float64Array, _r: Float64Array, out: Float64Array): void {
      const { b, rho, m, sigma } = sviFromUnconstrained(u, box);
      const minW = Math.exp(u[0] as number);
      const s = 1 / (1 + Math.exp(-(u[1] as number)));
      const q = Math.sqrt(1 - rho * rho);
      const absRho = Math.abs(rho);
      const sgn = rho > 0 ? 1 : rho < 0 ? -1 : 0;
      // derivatives of the raw parameters with respect to u
      const dbdu1 = (slopeBound * s * (1 - s)) / (1 + absRho);
      const dbdu2 = (-b * sgn * (1 - rho * rho)) / (1 + absRho);
      const drhodu2 = 1 - rho * rho;
      const t3 = Math.tanh(u[3] as number);
      const dmdu3 = mHalf * (1 - t3 * t3);
      const t4 = Math.tanh(u[4] as number);
      const dsigmadu4 = sigma * lHalf * (1 - t4 * t4);
      const dadu0 = minW;
      const dadu1 = -sigma * q * dbdu1;
      const dadu2 = -sigma * (q * dbdu2 - b * rho * q);
      const dadu4 = -b * q * dsigmadu4;
      const s2 = sigma * sigma;
      for (let i = 0; i < n; i++) {
        const x = (k[i] as number) - m;
        const r = Math.sqrt(x * x + s2);
        const dwdb = rho * x + r;
        const dwdrho = b * x;
        const dwdm = -b * (rho + x / r);
        const dwdsigma = (b * sigma) / r;
        const sw = sqrtW[i] as number;
        const row = i * 5;
        out[row] = sw * dadu0;
        out[row + 1] = sw * (dadu1 + dwdb * dbdu1);
        out[row + 2] = sw * (dadu2 + dwdb * dbdu2 + dwdrho * drhodu2);
        out[row + 3] = sw * dwdm * dmdu3;
        out[row + 4] = sw * (dadu4 + dwdsigma * dsigmadu4);
      }
      if (nPen > 0) {
        for (let j = 0; j < 5; j++) {
          uPlus.set(u);
          const h = 1e-6 * Math.max(1, Math.abs(u[j] as number));
          uPlus[j] = (u[j] as number) + h;
          penalties(uPlus, penPlus, 0);
          uPlus[j] = (u[j] as number) - h;
          penalties(uPlus, penMinus, 0);
          for (let p = 0; p < nPen; p++) out[(n + p) * 5 + j] = ((penPlus[p] as number) - (penMinus[p] as number)) / (2 * h);
        }
      }
    },
  };
  const u0 = sviToUnconstrained(start, box);
  const lm = levenbergMarquardt(problem, u0, {
    maxIterations: 300,
    gradientTolerance: 1e-15,
    stepTolerance: 1e-13,
    functionTolerance: 1e-16,
    ...options.lm,
  });
  const params = Object.freeze(sviFromUnconstrained(lm.x, box));
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = (lm.residuals[i] as number);
    sse += r * r;
  }
  return Object.freeze({ params, sse, lm });
}
