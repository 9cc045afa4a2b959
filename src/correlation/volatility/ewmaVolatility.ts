/**
 * Per-asset RiskMetrics EWMA conditional variance series, for filtered historical simulation
 * (methods.md 5.1). Zero-mean convention (returns not demeaned). For returns r_1..r_T (oldest first):
 *
 *   sigma^2_{t+1|t} = lambda sigma^2_{t|t-1} + (1 - lambda) r_t^2,   t = 1..T,
 *
 * seeded with sigma^2_{1|0} = r_1^2 (init 'first') or the mean of r_t^2 over the first `seedRows` rows
 * (init 'sample', default all T rows: the FHS worked example's sigma_0^2 = mean(r^2)); the same seeds
 * as ewmaCovariance, so nextVariance equals that function's diagonal. `variance[t]` uses information up to
 * t - 1 only, and `standardizedResiduals[t] = r_t / sqrt(variance[t])` are the FHS innovations z_t.
 * Units: squared return units per period (no annualisation).
 */
import { CorrelationInputError } from '../errors.ts';
import { readEwmaSettings } from '../ewmaCovariance.ts';

/** Options of {@link ewmaVolatility}. */
export interface EwmaVolatilityOptions {
  readonly lambda: number;
  readonly init?: 'first' | 'sample';
  readonly seedRows?: number;
}

/** A conditional-variance series and its one-step-ahead forecast. */
export interface ConditionalVolatility {
  /** sigma^2_{t|t-1} for t = 1..T (length T). */
  readonly variance: Float64Array;
  /** sqrt(variance). */
  readonly volatility: Float64Array;
  /** (r_t - mu) / sigma_{t|t-1} (mu = 0 for EWMA). */
  readonly standardizedResiduals: Float64Array;
  /** sigma^2_{T+1|T}. */
  readonly nextVariance: number;
  /** sqrt(nextVariance). */
  readonly nextVolatility: number;
}

/** Validate a return series (finite numbers, length >= minLength), naming `field`. */
export function readSeries(returns: ArrayLike<number>, field: string, minLength: number): Float64Array {
  if (returns === null || typeof returns !== 'object' || typeof returns.length !== 'number') {
    throw new CorrelationInputError('NOT_A_MATRIX', field, returns, 'expected an array of returns');
  }
  if (returns.length < minLength) throw new CorrelationInputError('TOO_FEW_ROWS', field, returns.length, `need at least ${minLength} returns`);
  const out = new Float64Array(returns.length);
  for (let t = 0; t < returns.length; t++) {
    const v = returns[t];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new CorrelationInputError(Number.isNaN(v) ? 'MISSING_VALUE' : 'NON_FINITE', `${field}[${t}]`, v, 'returns must be finite (no gaps)');
    }
    out[t] = v;
  }
  return out;
}

/** EWMA conditional variance series of one asset's returns (oldest first); see the module comment. */
export function ewmaVolatility(returns: ArrayLike<number>, options: EwmaVolatilityOptions): ConditionalVolatility {
  const r = readSeries(returns, 'returns', 1);
  const T = r.length;
  const settings = readEwmaSettings({ ...options }, T);
  const { lambda, mode, seedRows } = settings;
  let h: number;
  if (mode === 'first') h = r[0]! * r[0]!;
  else {
    h = 0;
    for (let t = 0; t < seedRows; t++) h += r[t]! * r[t]!;
    h /= seedRows;
  }
  const variance = new Float64Array(T);
  const volatility = new Float64Array(T);
  const z = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    variance[t] = h;
    const s = Math.sqrt(h);
    volatility[t] = s;
    z[t] = s > 0 ? r[t]! / s : Number.NaN;
    h = lambda * h + (1 - lambda) * r[t]! * r[t]!;
  }
  return Object.freeze({ variance, volatility, standardizedResiduals: z, nextVariance: h, nextVolatility: Math.sqrt(h) });
}
