/**
 * Stressed correlation from named stress windows: the correlation estimated on the rows of the returns
 * panel whose dates fall in any of the windows (the union, in time order). A window is a closed date
 * range [start, end]; dates are ISO-8601 strings (parsed with Date.parse, e.g. '2026-02-05' = UTC
 * midnight) or epoch milliseconds, one per returns row, strictly increasing.
 *
 * Estimators: 'sample' (default; Pearson, n - 1, demeaned; gaps per `missing` as in sampleCorrelation)
 * or 'ewma' (RiskMetrics zero-mean EWMA over the selected rows with `lambda`, 'sample' seed over all
 * selected rows; no gaps), converted to a correlation.
 * A window that selects no row is reported with rows = 0 (a result, not an error); if the union has
 * fewer than `minRows` rows (default 2) the estimate is refused with TOO_FEW_ROWS.
 */
import { CorrelationInputError } from './errors.ts';
import { toNestedMatrix, type MissingPolicy } from './panel.ts';
import { sampleCorrelation } from './sampleCorrelation.ts';
import { ewmaCovarianceKernel, readEwmaSettings } from './ewmaCovariance.ts';
import { readReturnsPanel } from './panel.ts';
import { correlationFromCovarianceKernel } from './convertCovariance.ts';

/** A named closed date range. */
export interface StressWindow {
  readonly name: string;
  readonly start: string | number;
  readonly end: string | number;
}

/** Options of {@link stressedCorrelation}. */
export interface StressedCorrelationOptions {
  /** One date per returns row (ISO-8601 string or epoch ms), strictly increasing. */
  readonly dates: ReadonlyArray<string | number>;
  readonly windows: ReadonlyArray<StressWindow>;
  readonly estimator?: 'sample' | 'ewma';
  /** EWMA decay, required with estimator 'ewma'. */
  readonly lambda?: number;
  /** Gap policy for the 'sample' estimator (default 'error'). */
  readonly missing?: MissingPolicy;
  /** Minimum number of selected rows (default 2). */
  readonly minRows?: number;
}

/** Result of {@link stressedCorrelation}. */
export interface StressedCorrelationResult {
  readonly correlation: number[][];
  /** Rows used (size of the union of the windows). */
  readonly rows: number;
  /** Indices (into `returns`) of the rows used, ascending. */
  readonly rowIndices: readonly number[];
  /** Per window: its name, bounds (epoch ms) and number of rows it selects. */
  readonly windows: ReadonlyArray<{ readonly name: string; readonly startMs: number; readonly endMs: number; readonly rows: number }>;
}

/** Epoch milliseconds of a date given as ISO-8601 text or epoch ms; BAD_DATE naming `field` otherwise. */
export function toEpochMs(value: string | number, field: string): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new CorrelationInputError('BAD_DATE', field, value, 'expected an ISO-8601 date or epoch milliseconds');
  return ms;
}

/** Correlation over the union of the named stress windows; see the module comment. */
export function stressedCorrelation(returns: ReadonlyArray<ArrayLike<number>>, options: StressedCorrelationOptions): StressedCorrelationResult {
  const { dates, windows } = options;
  if (!Array.isArray(returns)) throw new CorrelationInputError('NOT_A_MATRIX', 'returns', returns, 'expected an array of rows');
  if (!Array.isArray(dates) || dates.length !== returns.length) {
    throw new CorrelationInputError('BAD_DATE', 'options.dates', dates, `expected one date per returns row (${returns.length})`);
  }
  const times = dates.map((d, i) => toEpochMs(d, `options.dates[${i}]`));
  for (let i = 1; i < times.length; i++) {
    if (!(times[i]! > times[i - 1]!)) throw new CorrelationInputError('BAD_DATE', `options.dates[${i}]`, dates[i], 'dates must be strictly increasing');
  }
  if (!Array.isArray(windows) || windows.length === 0) throw new CorrelationInputError('BAD_OPTION', 'options.windows', windows, 'expected at least one stress window');
  const names = new Set<string>();
  const selected = new Uint8Array(times.length);
  const report = windows.map((w, k) => {
    if (w === null || typeof w !== 'object' || typeof w.name !== 'string' || w.name === '') {
      throw new CorrelationInputError('BAD_OPTION', `options.windows[${k}].name`, w?.name, 'a window needs a non-empty name');
    }
    if (names.has(w.name)) throw new CorrelationInputError('BAD_OPTION', `options.windows[${k}].name`, w.name, 'duplicate window name');
    names.add(w.name);
    const startMs = toEpochMs(w.start, `options.windows[${k}].start`);
    const endMs = toEpochMs(w.end, `options.windows[${k}].end`);
    if (endMs < startMs) throw new CorrelationInputError('BAD_DATE', `options.windows[${k}].end`, w.end, 'window ends before it starts');
    let rows = 0;
    for (let i = 0; i < times.length; i++) {
      if (times[i]! >= startMs && times[i]! <= endMs) {
        rows++;
        selected[i] = 1;
      }
    }
    return Object.freeze({ name: w.name, startMs, endMs, rows });
  });
  const rowIndices: number[] = [];
  for (let i = 0; i < selected.length; i++) if (selected[i] === 1) rowIndices.push(i);
  const minRows = options.minRows ?? 2;
  if (!Number.isInteger(minRows) || minRows < 2) throw new CorrelationInputError('BAD_OPTION', 'options.minRows', minRows, 'must be an integer >= 2');
  if (rowIndices.length < minRows) {
    throw new CorrelationInputError('TOO_FEW_ROWS', 'options.windows', rowIndices.length, `the stress windows select fewer than ${minRows} rows`);
  }
  const subset = rowIndices.map((i) => returns[i]!);
  const estimator = options.estimator ?? 'sample';
  let correlation: number[][];
  if (estimator === 'sample') {
    correlation = sampleCorrelation(subset, { missing: options.missing ?? 'error' });
  } else if (estimator === 'ewma') {
    if (options.missing !== undefined && options.missing !== 'error') {
      throw new CorrelationInputError('BAD_OPTION', 'options.missing', options.missing, "the 'ewma' estimator does not accept gaps");
    }
    const panel = readReturnsPanel(subset, false);
    const settings = readEwmaSettings({ lambda: options.lambda as number }, panel.rows);
    const cov = ewmaCovarianceKernel(panel.data, panel.rows, panel.cols, settings);
    correlation = toNestedMatrix(correlationFromCovarianceKernel(cov, panel.cols, 'returns[*]'), panel.cols);
  } else {
    throw new CorrelationInputError('BAD_OPTION', 'options.estimator', estimator, "expected 'sample' or 'ewma'");
  }
  return Object.freeze({ correlation, rows: rowIndices.length, rowIndices: Object.freeze(rowIndices) as number[], windows: Object.freeze(report) });
}
