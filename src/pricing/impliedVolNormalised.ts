/**
 * Implied total volatility s = sigma sqrt(T) from a normalised out-of-the-money call price, after Jäckel's
 * "Let's Be Rational" (Wilmott 2015): the price axis is cut at the inflection point s_c = sqrt(2|x|) of b(x, .) and at
 * the tangent points s_l (lower) and s_h (upper) into four branches; in each, a rational cubic (Delbourgo-Gregory) of
 * the price, or of a transformed price (lower map f = 2pi|x|/sqrt27 Phi(-|x|/(sqrt3 s))^3, upper map f = Phi(-s/2)),
 * gives an initial guess, and at most two third-order Householder steps on a branch-specific objective
 * (1/ln b in the lowest branch, b in the middle ones, ln(b_max - b) in the highest) reach full double precision.
 * No fixed-iteration Newton: the step is Householder(3), and the solver reports why it stopped.
 */
import { normCdf, normInvApprox, ONE_OVER_SQRT_TWO_PI, SQRT_TWO_PI, erfcx } from '../math/index.ts';
import {
  evaluateOtmCall, evaluated, normalisedOtmCallComplement,
  normalisedVega,
} from './normalisedBlack.ts';
import {
  controlForLeftSecondDerivative, controlForRightSecondDerivative, rationalCubicInterpolation,
} from './rationalCubic.ts';

/** Why the implied-vol iteration stopped. */
export type ImpliedVolStopReason =
  | 'converged' // the last Householder step was below eps * s
  | 'iteration-limit' // the configured number of Householder steps (2 by default: full precision by construction)
  | 'zero-time-value' // price at the lower bound: s = 0
  | 'above-maximum'; // price at or above the upper bound: no solution (caller raises)

/** Which of the four branches of the initial guess was used. */
export type ImpliedVolBranch = 'lower' | 'lower-middle' | 'upper-middle' | 'upper' | 'none';

/** Mutable diagnostics a caller may pass to learn how the solver went (no allocation in the solver itself). */
export interface ImpliedVolDiagnostics {
  iterations: number;
  stopReason: ImpliedVolStopReason;
  branch: ImpliedVolBranch;
  /** The initial guess of s before any Householder step. */
  initialGuess: number;
}

/** Householder steps taken by default: two, as in "Let's Be Rational". */
export const DEFAULT_HOUSEHOLDER_STEPS = 2;

const EPS = Number.EPSILON;
const SQRT_THREE = 1.7320508075688772935274463415058723669428052538104;
const TWO_PI_OVER_SQRT_27 = 1.2091995761561452337293855050947704881893774987283;
const SQRT_HALF = 0.7071067811865475244008443621048490392848359376887;
const SQRT_PI_OVER_TWO = 1.253314137315500251207882642405522626503493370305;

/** The lower map's value and its first two derivatives in the price: [f, f', f''] (typed: no boxing). */
const lowerMapOut = new Float64Array(3);

/** The lower map f(s) and its first two derivatives with respect to the price b, written to module scratch. */
function lowerMap(x: number, s: number): void {
  const ax = Math.abs(x);
  const z = ax / (SQRT_THREE * s);
  const y = z * z;
  const s2 = s * s;
  const mills = SQRT_PI_OVER_TWO * erfcx(z * SQRT_HALF); // Phi(-z)/phi(z)
  const phiMinusZ = mills * ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * y); // Phi(-z)
  lowerMapOut[0] = TWO_PI_OVER_SQRT_27 * ax * phiMinusZ * phiMinusZ * phiMinusZ;
  lowerMapOut[1] = y * mills * mills * Math.exp(0.125 * s2);
  lowerMapOut[2] = SQRT_TWO_PI * (y / s) * mills * Math.exp(1.5 * y + 0.25 * s2) *
    (2 * z + mills * (0.25 * s2 - 2 * y - 2));
}

function inverseLowerMap(x: number, f: number): number {
  const ax = Math.abs(x);
  const u = Math.cbrt(f / (TWO_PI_OVER_SQRT_27 * ax));
  // ten digits of the quantile are far more than the guess needs (the Householder steps polish it)
  return Math.abs(ax / (SQRT_THREE * normInvApprox(u)));
}

/** s -> Householder(3) correction factor applied to the Newton step nu. */
function householderFactor(nu: number, h2: number, h3: number): number {
  return (1 + 0.5 * h2 * nu) / (1 + nu * (h2 + h3 * nu * (1 / 6)));
}

/**
 * The implied total volatility s >= 0 of a normalised out-of-the-money call price `beta` at log-moneyness x <= 0
 * (beta = undiscounted OTM price / sqrt(F K)). Returns 0 for beta <= 0 and +Infinity when beta >= e^{x/2} (the
 * upper bound; the caller decides whether that is an error). `maxSteps` caps the Householder steps (default 2).
 */
export function impliedTotalVolOtmCall(
  beta: number, x: number, diagnostics?: ImpliedVolDiagnostics, maxSteps: number = DEFAULT_HOUSEHOLDER_STEPS,
): number {
  const bMax = Math.exp(0.5 * x);
  if (!(beta > 0)) {
    if (diagnostics) setDiagnostics(diagnostics, 0, 'zero-time-value', 'none', 0);
    return beta === 0 ? 0 : NaN;
  }
  if (beta >= bMax) {
    if (diagnostics) setDiagnostics(diagnostics, 0, 'above-maximum', 'none', Infinity);
    return Infinity;
  }
  const sC = Math.sqrt(Math.abs(2 * x));
  let bC: number;
  let vC: number;
  if (sC > 0) {
    evaluateOtmCall(x, sC);
    bC = evaluated[0]!;
    vC = evaluated[1]!;
  } else {
    bC = 0;
    vC = normalisedVega(x, sC);
  }
  let s: number;
  let sLeft = Number.MIN_VALUE;
  let sRight = Infinity;
  let branch: ImpliedVolBranch;

  if (beta < bC) {
    const sL = sC - bC / vC;
    evaluateOtmCall(x, sL);
    const bL = evaluated[0]!;
    const vL = evaluated[1]!;
    if (beta < bL) {
      branch = 'lower';
      lowerMap(x, sL);
      const fL = lowerMapOut[0]!;
      const fpL = lowerMapOut[1]!;
      const r = controlForRightSecondDerivative(0, bL, 0, fL, 1, fpL, lowerMapOut[2]!);
      let f = rationalCubicInterpolation(beta, 0, bL, 0, fL, 1, fpL, r);
      if (!(f > 0)) {
        const t = beta / bL;
        f = (fL * t + bL * (1 - t)) * t;
      }
      s = inverseLowerMap(x, f);
      sRight = sL;
    } else {
      branch = 'lower-middle';
      const r = controlForRightSecondDerivative(bL, bC, sL, sC, 1 / vL, 1 / vC, 0);
      s = rationalCubicInterpolation(beta, bL, bC, sL, sC, 1 / vL, 1 / vC, r);
      sLeft = sL;
      sRight = sC;
    }
  } else {
    const sH = vC > Number.MIN_VALUE ? sC + (bMax - bC) / vC : sC;
    evaluateOtmCall(x, sH);
    const bH = evaluated[0]!;
    const vH = evaluated[1]!;
    if (beta <= bH) {
      branch = 'upper-middle';
      const r = controlForLeftSecondDerivative(bC, bH, sC, sH, 1 / vC, 1 / vH, 0);
      s = rationalCubicInterpolation(beta, bC, bH, sC, sH, 1 / vC, 1 / vH, r);
      sLeft = sC;
      sRight = sH;
    } else {
      branch = 'upper';
      const hH = x / sH;
      const fH = normCdf(-0.5 * sH);
      const fpH = -0.5 * Math.exp(0.5 * hH * hH);
      const fppH = SQRT_PI_OVER_TWO * ((hH * hH) / sH) * Math.exp(hH * hH + 0.125 * sH * sH);
      let f = NaN;
      if (Number.isFinite(fppH)) {
        const r = controlForLeftSecondDerivative(bH, bMax, fH, 0, fpH, -0.5, fppH);
        f = rationalCubicInterpolation(beta, bH, bMax, fH, 0, fpH, -0.5, r);
      }
      if (!(f > 0)) {
        const h = bMax - bH;
        const t = (beta - bH) / h;
        f = (fH * (1 - t) + 0.5 * h * t) * (1 - t);
      }
      s = -2 * normInvApprox(f);
      sLeft = sH;
    }
  }
  const initialGuess = s;

  let ds = Infinity;
  let iterations = 0;
  const lnBeta = branch === 'lower' ? Math.log(beta) : 0;
  const lnUpperGap = branch === 'upper' ? Math.log(bMax - beta) : 0;
  while (iterations < maxSteps && Math.abs(ds) > EPS * s) {
    iterations++;
    const x2OverS = (x * x) / s;
    const h2b = x2OverS / (s * s) - 0.25 * s; // b''/b'
    const h3b = h2b * h2b - (3 * x2OverS) / (s * s * s) - 0.25; // b'''/b'
    let nu: number;
    let h2: number;
    let h3: number;
    if (branch === 'lower') {
      evaluateOtmCall(x, s);
      const b = evaluated[0]!;
      if (!(b > 0)) {
        // s far too small for the price to register: move right within the bracket
        sLeft = Math.max(sLeft, s);
        ds = Number.isFinite(sRight) ? 0.5 * (sRight - s) : s;
        s += ds;
        continue;
      }
      const p = 1 / evaluated[2]!; // b'/b
      const lnB = Math.log(b);
      const l2 = p * h2b - p * p; // (ln b)''
      nu = ((lnBeta - lnB) * lnB) / (lnBeta * p);
      h2 = h2b - p - (2 * p) / lnB;
      h3 = h3b - h2b * p - 2 * l2 - (6 * l2) / lnB + (6 * p * p) / (lnB * lnB);
    } else if (branch === 'upper') {
      const gap = normalisedOtmCallComplement(x, s); // bMax - b(s)
      const bp = normalisedVega(x, s);
      if (!(gap > 0) || !(bp > 0)) break;
      const q = bp / gap;
      nu = (Math.log(gap) - lnUpperGap) / q;
      h2 = h2b + q;
      h3 = h3b + 3 * q * h2b + 2 * q * q;
    } else {
      evaluateOtmCall(x, s);
      const b = evaluated[0]!;
      const bp = evaluated[1]!;
      if (!(bp > 0)) break;
      nu = (beta - b) / bp;
      h2 = h2b;
      h3 = h3b;
    }
    // the sign of the Newton step says on which side of the root s lies: keep the bracket with it
    if (nu > 0) sLeft = Math.max(sLeft, s);
    else if (nu < 0) sRight = Math.min(sRight, s);
    ds = nu * householderFactor(nu, h2, h3);
    if (!(ds * nu > 0)) ds = nu; // a Householder factor that flips the direction is outside its domain: Newton
    ds = Math.max(-0.5 * s, ds);
    let next = s + ds;
    if (Math.abs(ds) > EPS * s && !(next >= sLeft && next <= sRight)) {
      next = Number.isFinite(sRight) ? 0.5 * (sLeft + sRight) : 2 * s;
      ds = next - s;
    }
    s = next;
  }
  if (diagnostics) {
    setDiagnostics(diagnostics, iterations, Math.abs(ds) <= EPS * s ? 'converged' : 'iteration-limit', branch, initialGuess);
  }
  return s;
}

function setDiagnostics(
  d: ImpliedVolDiagnostics, iterations: number, stopReason: ImpliedVolStopReason, branch: ImpliedVolBranch,
  initialGuess: number,
): void {
  d.iterations = iterations;
  d.stopReason = stopReason;
  d.branch = branch;
  d.initialGuess = initialGuess;
}
