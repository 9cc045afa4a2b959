/**
 * RiskMetrics exponentially weighted (EWMA) covariance of a returns panel (rows = dates in time
 * order, oldest first; cols = assets).
 *
 * Zero-mean convention: returns are NOT demeaned (RiskMetrics); the estimate is an exponentially
 * weighted second moment. Units: squared return units per observation period.
 *
 * Recursion (J.P. Morgan/Reuters RiskMetrics Technical Document, 4th ed., 1996):
 *   S_{t+1|t} = lambda S_{t|t-1} + (1 - lambda) r_t r_t^T,   t = 1..T,
 * and the result is the one-step-ahead forecast S_{T+1|T}, built from data up to T. The seed
 * S_{1|0} is:
 *  - init 'first':  r_1 r_1^T (the first observation's outer product). The t = 1 step then leaves it
 *    unchanged, so S_{T+1|T} = lambda^(T-1) r_1 r_1^T + (1 - lambda) sum_{t=2..T} lambda^(T-t) r_t r_t^T;
 *  - init 'sample' (default): (1/m) sum_{t=1..m} r_t r_t^T, the zero-mean sample second moment of the
 *    first m = `seedRows` rows (default m = T, all rows, divisor m, no demeaning); the recursion
 *    then runs over all T rows, the seed rows included. This is the seed of the FHS worked example of
 *    methods.md 5.1 (sigma_0^2 = mean(r^2)).
 *  - normalizeWeights: true: no seed; the finite-window normalised estimator
 *    S = sum_{i=0..T-1} w_i r_{T-i} r_{T-i}^T with w_i = (1 - lambda) lambda^i / (1 - lambda^T)
 *    (weights sum to 1). `init`/`seedRows` must then be absent.
 * Every series uses the same lambda and the same dates, so the result is positive semidefinite.
 * Gaps (NaN) raise MISSING_VALUE: align the panel first.
 */
import { CorrelationInputError } from './errors.ts';
import { readReturnsPanel, toNestedMatrix } from './panel.ts';

/** Options of {@link ewmaCovariance}. */
export interface EwmaCovarianceOptions {
  /** Decay factor in (0, 1): 0.94 is RiskMetrics daily. */
  readonly lambda: number;
  /** Seed of the recursion (default 'sample'); see the module comment. */
  readonly init?: 'first' | 'sample';
  /** Rows in the 'sample' seed window (1..T, default T). */
  readonly seedRows?: number;
  /** Use the finite-window normalised weights instead of a seeded recursion (default false). */
  readonly normalizeWeights?: boolean;
}

/** Validated EWMA settings shared by the covariance and per-asset variance estimators. */
export interface EwmaSettings {
  readonly lambda: number;
  readonly mode: 'first' | 'sample' | 'normalized';
  readonly seedRows: number;
}

/** Validate EWMA options for a series of `rows` observations (raises BAD_OPTION naming the option). */
export function readEwmaSettings(options: EwmaCovarianceOptions, rows: number): EwmaSettings {
  if (options === null || typeof options !== 'object') throw new CorrelationInputError('BAD_OPTION', 'options', options, 'expected { lambda, ... }');
  const { lambda } = options;
  if (typeof lambda !== 'number' || !(lambda > 0 && lambda < 1)) {
    throw new CorrelationInputError('BAD_OPTION', 'options.lambda', lambda, 'decay factor must be in (0, 1)');
  }
  const normalize = options.normalizeWeights ?? false;
  if (typeof normalize !== 'boolean') throw new CorrelationInputError('BAD_OPTION', 'options.normalizeWeights', normalize, 'expected a boolean');
  if (normalize) {
    if (options.init !== undefined) throw new CorrelationInputError('BAD_OPTION', 'options.init', options.init, 'normalizeWeights uses no seed: leave init unset');
    if (options.seedRows !== undefined) throw new CorrelationInputError('BAD_OPTION', 'options.seedRows', options.seedRows, 'normalizeWeights uses no seed: leave seedRows unset');
    return { lambda, mode: 'normalized', seedRows: 0 };
  }
  const init = options.init ?? 'sample';
  if (init !== 'first' && init !== 'sample') throw new CorrelationInputError('BAD_OPTION', 'options.init', init, "expected 'first' or 'sample'");
  if (init === 'first') {
    if (options.seedRows !== undefined) throw new CorrelationInputError('BAD_OPTION', 'options.seedRows', options.seedRows, "seedRows applies to init 'sample' only");
    return { lambda, mode: 'first', seedRows: 1 };
  }
  const seedRows = options.seedRows ?? rows;
  if (!Number.isInteger(seedRows) || seedRows < 1 || seedRows > rows) {
    throw new CorrelationInputError('BAD_OPTION', 'options.seedRows', seedRows, `must be an integer in 1..${rows} (the number of rows)`);
  }
  return { lambda, mode: 'sample', seedRows };
}

/**
 * Flat kernel: EWMA covariance forecast S_{T+1|T} of a complete rows x cols panel per `settings`
 * (see the module comment). Returns `out` (length cols*cols).
 */
export function ewmaCovarianceKernel(
  data: Float64Array,
  rows: number,
  cols: number,
  settings: EwmaSettings,
  out: Float64Array = new Float64Array(cols * cols),
): Float64Array {
  const { lambda, mode, seedRows } = settings;
  out.fill(0, 0, cols * cols);
  let start = 0;
  if (mode === 'sample') {
    for (let t = 0; t < seedRows; t++) addOuter(out, data, t * cols, cols, 1 / seedRows);
  } else if (mode === 'first') {
    addOuter(out, data, 0, cols, 1);
    start = 1; // the t = 1 step leaves r_1 r_1^T unchanged
  }
  const w = 1 - lambda;
  for (let t = start; t < rows; t++) {
    for (let i = 0; i < cols; i++) {
      const ri = w * data[t * cols + i]!;
      const rowI = i * cols;
      for (let j = i; j < cols; j++) out[rowI + j] = lambda * out[rowI + j]! + ri * data[t * cols + j]!;
    }
  }
  const scale = mode === 'normalized' ? 1 / (1 - lambda ** rows) : 1;
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      const v = out[i * cols + j]! * scale;
      out[i * cols + j] = v;
      out[j * cols + i] = v;
    }
  }
  return out;
}

/** out (upper triangle) += weight * r r^T for the row starting at data[offset]. */
function addOuter(out: Float64Array, data: Float64Array, offset: number, cols: number, weight: number): void {
  for (let i = 0; i < cols; i++) {
    const ri = weight * data[offset + i]!;
    for (let j = i; j < cols; j++) out[i * cols + j] = out[i * cols + j]! + ri * data[offset + j]!;
  }
}

/**
 * EWMA covariance forecast S_{T+1|T} of `returns` (rows = dates oldest first, cols = assets),
 * zero-mean, in squared return units per period. See the module comment for the three conventions.
 */
export function ewmaCovariance(returns: ReadonlyArray<ArrayLike<number>>, options: EwmaCovarianceOptions): number[][] {
  const panel = readReturnsPanel(returns, false);
  const settings = readEwmaSettings(options, panel.rows);
  return toNestedMatrix(ewmaCovarianceKernel(panel.data, panel.rows, panel.cols, settings), panel.cols);
}
