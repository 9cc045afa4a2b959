/**
 * GARCH(1,1) by Gaussian (quasi-)maximum likelihood (Bollerslev 1986; QMLE: Bollerslev & Wooldridge
 * 1992), model and likelihood as in garchVariance.ts.
 *
 * Constraints by reparametrisation (unconstrained coordinates u):
 *   persistence p = alpha + beta = logistic(u_p) in (0, 1),  share a = alpha / p = logistic(u_a) in (0, 1),
 *   omega = s2 exp(u_w) > 0 (s2 = sample variance of r), mu = s u_m (constant mean only, s = sqrt(s2));
 *   with variance targeting omega = mean((r - mu)^2) (1 - p) and u_w is dropped.
 * Optimiser: Nelder–Mead (math/optim/nelderMead.ts) on -logL / T from each start of a fixed grid of
 * (alpha, beta) pairs (omega started at s2 (1 - alpha - beta), mu at the sample mean), then a BFGS
 * polish with central-difference gradients from the best; deterministic.
 * Standard errors at the optimum, in the natural parameters (omega, alpha, beta, mu): from the inverse
 * of the negative Hessian of logL (central differences), and the QMLE-robust sandwich
 * A^-1 B A^-1 with B = sum_t s_t s_t^T (per-observation scores by central differences). Parameters not
 * estimated (omega under targeting, mu under the zero mean) have NaN standard errors; so do all when
 * the Hessian is not negative definite (`standardErrorsValid` false).
 */
import { CorrelationInputError } from '../errors.ts';
import { bfgs, centralHessian, invertSymmetricPositive, nelderMead, type NelderMeadResult } from '../../math/index.ts';
import { readSeries, type ConditionalVolatility } from './ewmaVolatility.ts';
import { conditionalFromFilter, garchFilterKernel } from './garchVariance.ts';

/** Options of {@link fitGarch}. */
export interface FitGarchOptions {
  /** 'zero' (default; r_t = eps_t, the RiskMetrics/FHS convention) or 'constant' (mu estimated). */
  readonly mean?: 'zero' | 'constant';
  /** omega = sample variance x (1 - alpha - beta) instead of a free omega (default false). */
  readonly varianceTargeting?: boolean;
  /** h_1 convention (default 'sample'); see garchVariance.ts. */
  readonly initialVariance?: 'sample' | 'unconditional';
  /** Starting (alpha, beta) pairs (alpha, beta > 0, alpha + beta < 1); default: a grid of 8. */
  readonly starts?: ReadonlyArray<{ readonly alpha: number; readonly beta: number }>;
  /** Nelder–Mead iteration cap per start (default 2000). */
  readonly maxIterations?: number;
}

/** Parameter-wise standard errors (NaN where not estimated or unavailable). */
export interface GarchStandardErrors {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  readonly mu: number;
}

/** Result of {@link fitGarch}. */
export interface GarchFit extends ConditionalVolatility {
  readonly params: { readonly omega: number; readonly alpha: number; readonly beta: number; readonly mu: number };
  readonly logLikelihood: number;
  /** alpha + beta. */
  readonly persistence: number;
  /** omega / (1 - alpha - beta), per-period variance. */
  readonly unconditionalVariance: number;
  readonly standardErrors: GarchStandardErrors;
  readonly robustStandardErrors: GarchStandardErrors;
  readonly standardErrorsValid: boolean;
  /** Nelder–Mead iterations of the best start plus BFGS iterations. */
  readonly iterations: number;
  /** Log-likelihood evaluations over all starts and the polish. */
  readonly evaluations: number;
  readonly stopReason: 'converged' | 'max-iterations' | 'no-progress';
  /** Number of starts tried and the index of the best. */
  readonly starts: number;
  readonly bestStart: number;
  readonly observations: number;
  readonly options: { readonly mean: 'zero' | 'constant'; readonly varianceTargeting: boolean; readonly initialVariance: 'sample' | 'unconditional' };
}

const DEFAULT_STARTS: ReadonlyArray<{ alpha: number; beta: number }> = [
  { alpha: 0.05, beta: 0.9 },
  { alpha: 0.1, beta: 0.85 },
  { alpha: 0.05, beta: 0.94 },
  { alpha: 0.1, beta: 0.89 },
  { alpha: 0.15, beta: 0.8 },
  { alpha: 0.03, beta: 0.96 },
  { alpha: 0.2, beta: 0.7 },
  { alpha: 0.08, beta: 0.6 },
];

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));

/** Fit GARCH(1,1) to one asset's returns (oldest first, finite, >= 30 observations). */
export function fitGarch(returns: ArrayLike<number>, options: FitGarchOptions = {}): GarchFit {
  const mean = options.mean ?? 'zero';
  if (mean !== 'zero' && mean !== 'constant') throw new CorrelationInputError('BAD_OPTION', 'options.mean', mean, "expected 'zero' or 'constant'");
  const targeting = options.varianceTargeting ?? false;
  if (typeof targeting !== 'boolean') throw new CorrelationInputError('BAD_OPTION', 'options.varianceTargeting', targeting, 'expected a boolean');
  const initial = options.initialVariance ?? 'sample';
  if (initial !== 'sample' && initial !== 'unconditional') throw new CorrelationInputError('BAD_OPTION', 'options.initialVariance', initial, "expected 'sample' or 'unconditional'");
  const starts = options.starts ?? DEFAULT_STARTS;
  if (!Array.isArray(starts) || starts.length === 0) throw new CorrelationInputError('BAD_OPTION', 'options.starts', starts, 'expected at least one start');
  starts.forEach((s, k) => {
    if (!(s.alpha > 0 && s.beta > 0 && s.alpha + s.beta < 1)) throw new CorrelationInputError('BAD_OPTION', `options.starts[${k}]`, s.alpha, 'need alpha > 0, beta > 0, alpha + beta < 1');
  });
  const maxIterations = options.maxIterations ?? 2000;

  const r = readSeries(returns, 'returns', 30);
  const T = r.length;
  let sampleMean = 0;
  for (let t = 0; t < T; t++) sampleMean += r[t]!;
  sampleMean /= T;
  let s2 = 0;
  for (let t = 0; t < T; t++) s2 += (r[t]! - sampleMean) * (r[t]! - sampleMean);
  s2 /= T;
  let maxAbs = 0;
  for (let t = 0; t < T; t++) maxAbs = Math.max(maxAbs, Math.abs(r[t]!));
  // a constant series leaves only rounding noise (~1e-16 relative) after demeaning
  if (!(Math.sqrt(s2) > 1e-12 * maxAbs) || !(s2 > 0)) throw new CorrelationInputError('ZERO_VARIANCE', 'returns', Math.sqrt(s2), 'constant series: no volatility to model');
  const sd = Math.sqrt(s2);
  const constantMean = mean === 'constant';
  const h = new Float64Array(T);

  // Coordinates: [u_p, u_a, (u_w), (u_m)].
  const iW = targeting ? -1 : 2;
  const iM = constantMean ? (targeting ? 2 : 3) : -1;
  const dim = 2 + (targeting ? 0 : 1) + (constantMean ? 1 : 0);
  const natural = (u: ArrayLike<number>): { omega: number; alpha: number; beta: number; mu: number } => {
    const p = logistic(u[0]!);
    const a = logistic(u[1]!);
    const mu = constantMean ? sd * u[iM]! : 0;
    let omega: number;
    if (targeting) {
      let v = 0;
      for (let t = 0; t < T; t++) v += (r[t]! - mu) * (r[t]! - mu);
      omega = (v / T) * (1 - p);
    } else {
      omega = s2 * Math.exp(u[iW]!);
    }
    return { omega, alpha: p * a, beta: p * (1 - a), mu };
  };
  const objective = (u: Float64Array): number => {
    const q = natural(u);
    return -garchFilterKernel(r, q.omega, q.alpha, q.beta, q.mu, initial, h).logLikelihood / T;
  };

  let best: NelderMeadResult | undefined;
  let bestStart = 0;
  let evaluations = 0;
  const step = new Float64Array(dim).fill(0.5);
  if (constantMean) step[iM] = 0.05;
  starts.forEach((s, k) => {
    const u0 = new Float64Array(dim);
    u0[0] = logit(s.alpha + s.beta);
    u0[1] = logit(s.alpha / (s.alpha + s.beta));
    if (!targeting) u0[iW] = Math.log(1 - s.alpha - s.beta);
    if (constantMean) u0[iM] = sampleMean / sd;
    const res = nelderMead(objective, u0, { step, maxIterations, fTol: 1e-13, xTol: 1e-9 });
    evaluations += res.evaluations;
    if (best === undefined || res.fx < best.fx) {
      best = res;
      bestStart = k;
    }
  });
  const nm = best as NelderMeadResult;
  const polish = bfgs(objective, nm.x, { maxIterations: 200, gTol: 1e-9 });
  evaluations += polish.evaluations;
  const final = polish.fx <= nm.fx ? polish : nm;
  const q = natural(final.x);
  let stopReason: GarchFit['stopReason'];
  if (polish.stopReason === 'converged-gradient' || (polish.stopReason === 'no-progress' && nm.stopReason === 'converged')) stopReason = 'converged';
  else stopReason = polish.stopReason === 'max-iterations' || nm.stopReason === 'max-iterations' ? 'max-iterations' : 'no-progress';

  const se = standardErrors(r, q, initial, targeting, constantMean, sd);
  const series = conditionalFromFilter(r, q.omega, q.alpha, q.beta, q.mu, initial);
  return Object.freeze({
    ...series,
    params: Object.freeze(q),
    persistence: q.alpha + q.beta,
    unconditionalVariance: q.omega / (1 - q.alpha - q.beta),
    standardErrors: se.hessian,
    robustStandardErrors: se.robust,
    standardErrorsValid: se.valid,
    iterations: nm.iterations + polish.iterations,
    evaluations,
    stopReason,
    starts: starts.length,
    bestStart,
    observations: T,
    options: Object.freeze({ mean, varianceTargeting: targeting, initialVariance: initial }),
  });
}

/** Hessian-based and sandwich standard errors in natural parameters; see the module comment. */
function standardErrors(
  r: Float64Array,
  q: { omega: number; alpha: number; beta: number; mu: number },
  initial: 'sample' | 'unconditional',
  targeting: boolean,
  constantMean: boolean,
  sd: number,
): { hessian: GarchStandardErrors; robust: GarchStandardErrors; valid: boolean } {
  const T = r.length;
  // theta = [alpha, beta, (omega), (mu)]
  const names: Array<keyof GarchStandardErrors> = ['alpha', 'beta'];
  if (!targeting) names.push('omega');
  if (constantMean) names.push('mu');
  const k = names.length;
  const theta = new Float64Array(k);
  const scale = new Float64Array(k);
  names.forEach((nm, i) => {
    theta[i] = q[nm];
    scale[i] = nm === 'omega' ? q.omega : nm === 'mu' ? sd : 1e-2;
  });
  const h = new Float64Array(T);
  const unpack = (th: ArrayLike<number>): { omega: number; alpha: number; beta: number; mu: number } => {
    let alpha = q.alpha;
    let beta = q.beta;
    let omega = q.omega;
    let mu = q.mu;
    names.forEach((nm, i) => {
      if (nm === 'alpha') alpha = th[i]!;
      else if (nm === 'beta') beta = th[i]!;
      else if (nm === 'omega') omega = th[i]!;
      else mu = th[i]!;
    });
    if (targeting) {
      let v = 0;
      for (let t = 0; t < T; t++) v += (r[t]! - mu) * (r[t]! - mu);
      omega = (v / T) * (1 - alpha - beta);
    }
    return { omega, alpha, beta, mu };
  };
  const ll = (th: Float64Array, per?: Float64Array): number => {
    const p = unpack(th);
    return garchFilterKernel(r, p.omega, p.alpha, p.beta, p.mu, initial, h, per).logLikelihood;
  };
  const nan: GarchStandardErrors = { omega: Number.NaN, alpha: Number.NaN, beta: Number.NaN, mu: Number.NaN };
  const hess = centralHessian((th) => ll(th), theta, { scale });
  const negH = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) negH[i] = -hess[i]!;
  const cov = invertSymmetricPositive(negH, k);
  if (cov === undefined) return { hessian: Object.freeze(nan), robust: Object.freeze(nan), valid: false };
  // scores by central differences of the per-observation log-likelihoods
  const rel = Math.cbrt(2 ** -52);
  const scores = new Float64Array(T * k);
  const plus = new Float64Array(T);
  const minus = new Float64Array(T);
  const th = Float64Array.from(theta);
  for (let i = 0; i < k; i++) {
    const step = rel * Math.max(Math.abs(theta[i]!), scale[i]!);
    th[i] = theta[i]! + step;
    ll(th, plus);
    th[i] = theta[i]! - step;
    ll(th, minus);
    th[i] = theta[i]!;
    for (let t = 0; t < T; t++) scores[t * k + i] = (plus[t]! - minus[t]!) / (2 * step);
  }
  const b = new Float64Array(k * k);
  for (let t = 0; t < T; t++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) b[i * k + j] = b[i * k + j]! + scores[t * k + i]! * scores[t * k + j]!;
  const tmp = new Float64Array(k * k);
  const robustCov = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let m = 0; m < k; m++) s += cov[i * k + m]! * b[m * k + j]!;
    tmp[i * k + j] = s;
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let m = 0; m < k; m++) s += tmp[i * k + m]! * cov[m * k + j]!;
    robustCov[i * k + j] = s;
  }
  const hessian: Record<keyof GarchStandardErrors, number> = { ...nan };
  const robust: Record<keyof GarchStandardErrors, number> = { ...nan };
  names.forEach((nm, i) => {
    hessian[nm] = Math.sqrt(cov[i * k + i]!);
    robust[nm] = Math.sqrt(robustCov[i * k + i]!);
  });
  return { hessian: Object.freeze(hessian), robust: Object.freeze(robust), valid: true };
}
