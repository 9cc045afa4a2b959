/**
 * Penalised least-squares refit of one raw SVI slice (pure): wing slopes boxed exactly (sviWingBox), total
 * variance kept above a floor slice (the previous expiry: no calendar arbitrage) and Durrleman's g kept
 * non-negative, both by penalty residuals on grids, with the analytic Jacobian.
 */
import { levenbergMarquardt, type LeastSquaresProblem, type LevenbergMarquardtResult } from '../../math/levenbergMarquardt.ts';
import type { SviRawParams } from '../types.ts';
import { rawToWingBox, wingBoxToRaw, type SviWingBox } from './sviWingBox.ts';

/** Quotes of the slice (weights with mean 1). */
export interface RefitData {
  readonly n: number;
  readonly k: ArrayLike<number>;
  /** Mid total variance. */
  readonly w: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
}

/** A penalised refit problem. */
export interface SviPenaltyRefitProblem {
  readonly data: RefitData;
  readonly start: SviRawParams;
  readonly box: SviWingBox;
  /** Slice to stay above (w(k) >= floor(k) on floorGrid), or null. */
  readonly floor: SviRawParams | null;
  readonly floorGrid: Float64Array;
  /** Slice to stay below (w(k) <= ceiling(k) on ceilingGrid), or null. */
  readonly ceiling?: SviRawParams | null;
  readonly ceilingGrid?: Float64Array;
  /** Grid where g(k) >= butterflyMargin is penalised, or null for no butterfly penalty. */
  readonly butterflyGrid: Float64Array | null;
  /** Dimensionless penalty multiplier lambda. */
  readonly penaltyWeight: number;
  /** Total-variance scale of the penalty residuals (e.g. the mean quoted w). */
  readonly scale: number;
  /** Relative margin: penalise (w(k) - floor(k))/min(floor(k), 4 max(floor(0), scale)) below this (>= 0). */
  readonly floorMargin: number;
  /** Penalise g below this (>= 0). */
  readonly butterflyMargin: number;
  /**
   * Weight c^2 of the wing-slope regularisation residuals c s_L and c s_R (default 0): prefers the smallest
   * asymptotic slopes the data allow, i.e. conservative extrapolation beyond the quotes.
   */
  readonly slopeRegularization?: number;
}

/** Result of sviPenaltyRefit. */
export interface SviPenaltyRefitResult {
  readonly params: SviRawParams;
  /** Weighted sum of squared data residuals (penalties and regularisation excluded). */
  readonly sse: number;
  readonly lm: LevenbergMarquardtResult;
}

/**
 * Minimises sum_i v_i (w(k_i) - w_i)^2 + sum_j (lambda s min((w(c_j) - f_j)/d_j - floorMargin, 0))^2 with
 * f_j = floor(c_j), d_j = min(f_j, 4 max(floor(0), s))
 * + sum_l (lambda s min(g(b_l) - butterflyMargin, 0))^2 over the wing-box coordinates by Levenberg–Marquardt
 * (analytic Jacobian: dw, dw', dw'' with respect to (a, b, rho, m, sigma), chained through d raw / du).
 */
export function sviPenaltyRefit(p: SviPenaltyRefitProblem): SviPenaltyRefitResult {
  const { problem, start, dataResiduals } = sviPenaltyProblem(p);
  // loose tolerances: every refit is verified by exact checks afterwards, and a 1e-9 relative change of the
  // objective is far below the bid-ask spreads the fit answers to
  const lm = levenbergMarquardt(problem, start, {
    maxIterations: 100,
    gradientTolerance: 1e-16,
    stepTolerance: 1e-10,
    functionTolerance: 1e-9,
  });
  const params = Object.freeze(wingBoxToRaw(lm.x, p.box));
  let sse = 0;
  for (let i = 0; i < dataResiduals; i++) sse += (lm.residuals[i] as number) ** 2;
  return Object.freeze({ params, sse, lm });
}

/**
 * The least-squares problem behind sviPenaltyRefit (residuals and analytic Jacobian over the wing-box coordinates),
 * its starting point and the number of data residuals (the first ones). Exposed for tests of the Jacobian.
 */
export function sviPenaltyProblem(p: SviPenaltyRefitProblem): { problem: LeastSquaresProblem; start: Float64Array; dataResiduals: number } {
  const { data, box, floor, floorGrid, butterflyGrid } = p;
  const ceiling = p.ceiling ?? null;
  const ceilingGrid = p.ceilingGrid ?? new Float64Array(0);
  const nC = ceiling ? ceilingGrid.length : 0;
  const n = data.n;
  const nD = n;
  const reg = Math.sqrt(Math.max(p.slopeRegularization ?? 0, 0));
  const nR = reg > 0 ? 2 : 0;
  const nF = floor ? floorGrid.length : 0;
  const nB = butterflyGrid ? butterflyGrid.length : 0;
  const lam = p.penaltyWeight * p.scale;
  const sqrtV = new Float64Array(n);
  for (let i = 0; i < n; i++) sqrtV[i] = Math.sqrt(data.weights[i] as number);
  const floorW = new Float64Array(nF);
  // divisor of the floor residuals: the floor itself, capped at 4 x its ATM level (or the scale) so that a
  // shortfall far out in the wings, where w is large, still weighs like a shortfall near the money
  const floorDiv = new Float64Array(nF);
  const divCap = floor ? 4 * Math.max(sviW(floor, 0), p.scale) : 1;
  if (floor) {
    for (let j = 0; j < nF; j++) {
      floorW[j] = sviW(floor, floorGrid[j] as number);
      floorDiv[j] = Math.min(floorW[j] as number, divCap);
    }
  }
  const ceilW = new Float64Array(nC);
  const ceilDiv = new Float64Array(nC);
  const ceilCap = ceiling ? 4 * Math.max(sviW(ceiling, 0), p.scale) : 1;
  if (ceiling) {
    for (let j = 0; j < nC; j++) {
      ceilW[j] = sviW(ceiling, ceilingGrid[j] as number);
      ceilDiv[j] = Math.min(ceilW[j] as number, ceilCap);
    }
  }
  const oB = nD + nF + nC;
  const dRaw = new Float64Array(25);
  const row = new Float64Array(5);

  const problem: LeastSquaresProblem = {
    parameterCount: 5,
    residualCount: nD + nF + nC + nB + nR,
    residuals(u: Float64Array, out: Float64Array): void {
      const q = wingBoxToRaw(u, box);
      for (let i = 0; i < n; i++) out[i] = (sqrtV[i] as number) * (sviW(q, data.k[i] as number) - (data.w[i] as number));
      for (let j = 0; j < nF; j++) {
        const rel = (sviW(q, floorGrid[j] as number) - (floorW[j] as number)) / (floorDiv[j] as number) - p.floorMargin;
        out[nD + j] = rel < 0 ? lam * rel : 0;
      }
      for (let j = 0; j < nC; j++) {
        const rel = ((ceilW[j] as number) - sviW(q, ceilingGrid[j] as number)) / (ceilDiv[j] as number) - p.floorMargin;
        out[nD + nF + j] = rel < 0 ? lam * rel : 0;
      }
      for (let l = 0; l < nB; l++) {
        const g = gOnly(q, (butterflyGrid as Float64Array)[l] as number);
        const d = g - p.butterflyMargin;
        out[oB + l] = Number.isNaN(g) ? -lam : d < 0 ? lam * d : 0;
      }
      if (nR > 0) {
        out[oB + nB] = reg * q.b * (1 - q.rho);
        out[oB + nB + 1] = reg * q.b * (1 + q.rho);
      }
    },
    jacobian(u: Float64Array, r: Float64Array, out: Float64Array): void {
      const q = wingBoxToRaw(u, box, dRaw);
      for (let i = 0; i < n; i++) {
        sviDerivatives(q, data.k[i] as number, row, null, null);
        chain(row, dRaw, sqrtV[i] as number, out, i);
      }
      for (let j = 0; j < nF; j++) {
        if ((r[nD + j] as number) === 0) {
          out.fill(0, (nD + j) * 5, (nD + j) * 5 + 5);
          continue;
        }
        sviDerivatives(q, floorGrid[j] as number, row, null, null);
        chain(row, dRaw, lam / (floorDiv[j] as number), out, nD + j);
      }
      for (let j = 0; j < nC; j++) {
        const idx = nD + nF + j;
        if ((r[idx] as number) === 0) {
          out.fill(0, idx * 5, idx * 5 + 5);
          continue;
        }
        sviDerivatives(q, ceilingGrid[j] as number, row, null, null);
        chain(row, dRaw, -lam / (ceilDiv[j] as number), out, idx);
      }
      for (let l = 0; l < nB; l++) {
        const idx = oB + l;
        if ((r[idx] as number) === 0 || (r[idx] as number) === -lam) {
          out.fill(0, idx * 5, idx * 5 + 5);
          continue;
        }
        gGradient(q, (butterflyGrid as Float64Array)[l] as number, row);
        chain(row, dRaw, lam, out, idx);
      }
      if (nR > 0) {
        row.fill(0);
        row[1] = 1 - q.rho;
        row[2] = -q.b;
        chain(row, dRaw, reg, out, oB + nB);
        row[1] = 1 + q.rho;
        row[2] = q.b;
        chain(row, dRaw, reg, out, oB + nB + 1);
      }
    },
  };
  return { problem, start: rawToWingBox(p.start, box), dataResiduals: nD };
}

/** Raw SVI total variance (parameters not validated). */
export function sviW(q: SviRawParams, k: number): number {
  const x = k - q.m;
  return q.a + q.b * (q.rho * x + Math.sqrt(x * x + q.sigma * q.sigma));
}

// row_u[c] = scale * sum_r row_raw[r] * dRaw[r][c], written to out[index * 5 + c]
function chain(rowRaw: Float64Array, dRaw: Float64Array, scale: number, out: Float64Array, index: number): void {
  for (let c = 0; c < 5; c++) {
    let s = 0;
    for (let r = 0; r < 5; r++) s += (rowRaw[r] as number) * (dRaw[r * 5 + c] as number);
    out[index * 5 + c] = scale * s;
  }
}

const D1 = new Float64Array(5);
const D2 = new Float64Array(5);

/** dw/d(a, b, rho, m, sigma) at k into dw; optionally dw'/d... and dw''/d... */
function sviDerivatives(q: SviRawParams, k: number, dw: Float64Array, dw1: Float64Array | null, dw2: Float64Array | null): void {
  const { b, rho, m, sigma } = q;
  const x = k - m;
  const s2 = sigma * sigma;
  const R = Math.sqrt(x * x + s2);
  const R3 = R * R * R;
  dw[0] = 1;
  dw[1] = rho * x + R;
  dw[2] = b * x;
  dw[3] = -b * (rho + x / R);
  dw[4] = (b * sigma) / R;
  if (dw1) {
    dw1[0] = 0;
    dw1[1] = rho + x / R;
    dw1[2] = b;
    dw1[3] = (-b * s2) / R3;
    dw1[4] = (-b * x * sigma) / R3;
  }
  if (dw2) {
    const R5 = R3 * R * R;
    dw2[0] = 0;
    dw2[1] = s2 / R3;
    dw2[2] = 0;
    dw2[3] = (3 * b * s2 * x) / R5;
    dw2[4] = b * ((2 * sigma) / R3 - (3 * s2 * sigma) / R5);
  }
}

/** Durrleman's g at k (NaN for w <= 0). */
function gOnly(q: SviRawParams, k: number): number {
  const { a, b, rho, m, sigma } = q;
  const x = k - m;
  const s2 = sigma * sigma;
  const R = Math.sqrt(x * x + s2);
  const w = a + b * (rho * x + R);
  if (!(w > 0)) return Number.NaN;
  const w1 = b * (rho + x / R);
  const w2 = (b * s2) / (R * R * R);
  const t = 1 - (k * w1) / (2 * w);
  return t * t - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/** dg/d(a, b, rho, m, sigma) at k into out (w > 0 assumed). */
function gGradient(q: SviRawParams, k: number, out: Float64Array): void {
  const { a, b, rho, m, sigma } = q;
  const x = k - m;
  const s2 = sigma * sigma;
  const R = Math.sqrt(x * x + s2);
  const w = a + b * (rho * x + R);
  const w1 = b * (rho + x / R);
  const t = 1 - (k * w1) / (2 * w);
  const gw = 2 * t * ((k * w1) / (2 * w * w)) + (w1 * w1) / (4 * w * w);
  const gw1 = 2 * t * (-k / (2 * w)) - (w1 / 2) * (1 / w + 0.25);
  sviDerivatives(q, k, out, D1, D2);
  for (let r = 0; r < 5; r++) out[r] = gw * (out[r] as number) + gw1 * (D1[r] as number) + 0.5 * (D2[r] as number);
}
