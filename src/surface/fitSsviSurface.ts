import { levenbergMarquardt, type LevenbergMarquardtStopReason } from '../math/levenbergMarquardt.ts';
import { prepareSurfaceQuotes, type PreparedSlice, type SurfaceSliceQuotes } from './prepareSurfaceQuotes.ts';
import { ssviArbitrage, type SsviArbitrageResult } from './ssviArbitrage.ts';
import { ssviPhi } from './ssviTotalVariance.ts';
import type { SsviPowerLawParams } from './types.ts';

/** Options of fitSsviSurface. */
export interface SsviFitOptions {
  /** Curvature family (default 'power-law': phi = eta theta^-gamma). */
  readonly phi?: 'power-law' | 'power-law-gj';
  /** Starting points (rho, gamma); eta starts at half its no-arbitrage cap. Default: rho in {-0.5, 0, 0.5} x gamma in {0.3, 0.6}. */
  readonly starts?: readonly (readonly [number, number])[];
  /** Fewest usable quotes for an expiry to enter the fit (default 3). */
  readonly minQuotes?: number;
}

/** Result of fitSsviSurface. */
export interface SsviFitResult {
  /** 'ok'; 'flagged' when the final arbitrage check still reports arbitrage; 'failed' when no expiry was usable. */
  readonly status: 'ok' | 'flagged' | 'failed';
  readonly reason: string | null;
  /** Fitted SSVI parameters (null when failed). */
  readonly params: SsviPowerLawParams | null;
  /** Per fitted expiry: expiry (years), theta (monotone ATM total variance used), thetaQuoted (before isotonic fix), rmse. */
  readonly slices: readonly { readonly expiry: number; readonly theta: number; readonly thetaQuoted: number; readonly rmse: number }[];
  /** Unweighted RMSE in total variance over all fitted quotes (+Infinity when failed). */
  readonly rmse: number;
  readonly diagnostics: {
    readonly iterations: number;
    readonly functionEvaluations: number;
    readonly stopReason: LevenbergMarquardtStopReason | 'no-data';
    readonly skipped: readonly { readonly inputIndex: number; readonly reason: string }[];
    /** ssviArbitrage of the result (null when failed). */
    readonly arbitrage: SsviArbitrageResult | null;
  };
}

/**
 * Global SSVI fit over all expiries (Gatheral & Jacquier 2014; reference/methods.md §3.5):
 * theta per expiry = ATM total variance interpolated from the quotes, made non-decreasing by isotonic regression;
 * then (rho, eta, gamma) by Levenberg–Marquardt on sqrt(v)(w_model - w) over all quotes (weights normalised to
 * mean 1 per expiry), multi-start, under the no-arbitrage constraints by reparametrisation:
 * rho = tanh(u0); gamma = logistic(u1) in (0, 1), so d(theta phi)/dtheta = (1-gamma) phi (power-law) or
 * (1-gamma) phi/(1+theta) (GJ form) lies in [0, phi] and Thm 4.1 holds; eta = etaMax(rho, gamma) logistic(u2), where
 * etaMax is the largest eta meeting Thm 4.2, theta phi (1+|rho|) < 4 and theta phi^2 (1+|rho|) <= 4, on the fitted
 * theta range (its extremes and a 64-point log grid; exact for the pure power law, whose constraints are monotone).
 * Never throws for data problems.
 */
export function fitSsviSurface(input: readonly SurfaceSliceQuotes[], options: SsviFitOptions = {}): SsviFitResult {
  const phiKind = options.phi ?? 'power-law';
  const prepared = prepareSurfaceQuotes(input, Math.max(3, options.minQuotes ?? 3));
  const slices = prepared.slices;
  if (slices.length === 0) {
    return Object.freeze({
      status: 'failed' as const,
      reason: 'no expiry with enough usable quotes',
      params: null,
      slices: Object.freeze([]),
      rmse: Number.POSITIVE_INFINITY,
      diagnostics: Object.freeze({ iterations: 0, functionEvaluations: 0, stopReason: 'no-data' as const, skipped: prepared.skipped, arbitrage: null }),
    });
  }
  const thetaMin = (slices[0] as PreparedSlice).theta;
  const thetaMax = (slices[slices.length - 1] as PreparedSlice).theta;
  const thetaGrid: number[] = slices.map((s) => s.theta);
  for (let i = 0; i <= 63; i++) thetaGrid.push(thetaMin * Math.pow(thetaMax / thetaMin, i / 63));
  const etaMax = (rho: number, gamma: number): number => {
    const unit: SsviPowerLawParams = { rho, eta: 1, gamma, phi: phiKind };
    const s = 1 + Math.abs(rho);
    let cap = Number.POSITIVE_INFINITY;
    for (const theta of thetaGrid) {
      const phi1 = ssviPhi(unit, theta);
      cap = Math.min(cap, 4 / (s * theta * phi1), 2 / (phi1 * Math.sqrt(s * theta)));
    }
    return cap * (1 - 1e-9);
  };
  const decode = (u: ArrayLike<number>): SsviPowerLawParams => {
    const rho = Math.tanh(u[0] as number);
    const gamma = 1 / (1 + Math.exp(-(u[1] as number)));
    const eta = etaMax(rho, gamma) / (1 + Math.exp(-(u[2] as number)));
    return Object.freeze({ rho, eta, gamma, phi: phiKind });
  };
  const total = slices.reduce((acc, s) => acc + s.quotes.n, 0);
  const problem = {
    parameterCount: 3,
    residualCount: total,
    residuals(u: Float64Array, out: Float64Array): void {
      const p = decode(u);
      let j = 0;
      for (const s of slices) {
        const phi = ssviPhi(p, s.theta);
        const q = s.quotes;
        for (let i = 0; i < q.n; i++) {
          const pk = phi * (q.k[i] as number);
          const w = (s.theta / 2) * (1 + p.rho * pk + Math.sqrt((pk + p.rho) * (pk + p.rho) + 1 - p.rho * p.rho));
          out[j++] = Math.sqrt(q.weights[i] as number) * (w - (q.w[i] as number));
        }
      }
    },
  };
  const starts = options.starts ?? [[-0.5, 0.3], [0, 0.3], [0.5, 0.3], [-0.5, 0.6], [0, 0.6], [0.5, 0.6]];
  let best: ReturnType<typeof levenbergMarquardt> | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const [rho0, gamma0] of starts) {
    const r0 = Math.max(-0.999, Math.min(0.999, rho0));
    const g0 = Math.max(1e-3, Math.min(1 - 1e-3, gamma0));
    const lm = levenbergMarquardt(problem, [Math.atanh(r0), Math.log(g0 / (1 - g0)), 0], {
      maxIterations: 200,
      gradientTolerance: 1e-15,
      stepTolerance: 1e-12,
    });
    iterations += lm.iterations;
    evaluations += lm.evaluations;
    if (Number.isFinite(lm.cost) && (best === null || lm.cost < best.cost)) best = lm;
  }
  const params = best ? decode(best.x) : null;
  const perSlice = slices.map((s) => {
    let sq = 0;
    const q = s.quotes;
    if (params) {
      const phi = ssviPhi(params, s.theta);
      for (let i = 0; i < q.n; i++) {
        const pk = phi * (q.k[i] as number);
        const w = (s.theta / 2) * (1 + params.rho * pk + Math.sqrt((pk + params.rho) ** 2 + 1 - params.rho ** 2));
        sq += (w - (q.w[i] as number)) ** 2;
      }
    }
    return { expiry: s.expiry, theta: s.theta, thetaQuoted: s.thetaQuoted, sq, n: q.n };
  });
  const sumSq = perSlice.reduce((acc, s) => acc + s.sq, 0);
  const rmse = params ? Math.sqrt(sumSq / total) : Number.POSITIVE_INFINITY;
  const arbitrage = params ? ssviArbitrage(params, slices.map((s) => ({ expiry: s.expiry, theta: s.theta }))) : null;
  const status = params === null || !Number.isFinite(rmse) ? 'failed' : arbitrage?.arbitrage ? 'flagged' : 'ok';
  return Object.freeze({
    status,
    reason: status === 'ok' ? null : status === 'failed' ? 'least squares did not produce finite residuals' : (arbitrage?.violations.join('; ') ?? null),
    params: status === 'failed' ? null : params,
    slices: Object.freeze(perSlice.map((s) => Object.freeze({ expiry: s.expiry, theta: s.theta, thetaQuoted: s.thetaQuoted, rmse: Math.sqrt(s.sq / s.n) }))),
    rmse: status === 'failed' ? Number.POSITIVE_INFINITY : rmse,
    diagnostics: Object.freeze({
      iterations,
      functionEvaluations: evaluations,
      stopReason: best ? best.stopReason : ('non-finite-start' as const),
      skipped: prepared.skipped,
      arbitrage,
    }),
  });
}
