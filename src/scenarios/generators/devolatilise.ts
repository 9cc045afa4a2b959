/**
 * Devolatilising a returns panel for filtered historical simulation (pure; methods.md §5.1): per asset, a
 * conditional vol model from src/correlation gives sigma_t (information up to t - 1) and the innovations
 * z_t = r_t / sigma_t (zero-mean convention), plus the one-step forecast sigma_{T+1}. Units: per row (daily).
 */
import { ewmaVolatility, fitGarch, garchVolatility, type ConditionalVolatility } from '../../correlation/index.ts';
import type { ReturnsPanel } from '../../market/returns/index.ts';
import { ScenarioInputError } from '../errors.ts';
import type { FhsVolModel } from '../models/historical.ts';
import { columnsOf } from './panelRows.ts';

/** Recursion parameters of one asset's vol model (what a bootstrap path needs). */
export type VolRecursion =
  | { readonly model: 'ewma'; readonly lambda: number }
  | { readonly model: 'garch'; readonly omega: number; readonly alpha: number; readonly beta: number };

/** Output of {@link devolatilise}: rows 0..endIndex of the panel, columns = `assets`. */
export interface Devolatilised {
  readonly assets: readonly string[];
  readonly dates: readonly string[];
  /** z_t, row-major rows x assets. */
  readonly residuals: Float64Array;
  /** sigma_{t|t-1}, row-major rows x assets. */
  readonly volatility: Float64Array;
  /** sigma_{T+1|T} per asset. */
  readonly forecast: Float64Array;
  /** Per asset, the recursion that produced the series. */
  readonly recursions: readonly VolRecursion[];
}

/**
 * Fits `volModel` to each selected column over rows 0..`endIndex` (default the last row) and returns the
 * innovations. The rows must have no gap (align with `gaps: 'drop-row'`): a NaN raises ScenarioInputError naming
 * the cell.
 */
export function devolatilise(
  panel: ReturnsPanel,
  volModel: FhsVolModel,
  options: { readonly underlyings?: readonly string[]; readonly endIndex?: number } = {},
): Devolatilised {
  const { names, idx } = columnsOf(panel, options.underlyings);
  const end = options.endIndex ?? panel.dates.length - 1;
  const T = end + 1;
  const n = names.length;
  const cols = panel.assets.length;
  const residuals = new Float64Array(T * n);
  const volatility = new Float64Array(T * n);
  const forecast = new Float64Array(n);
  const recursions: VolRecursion[] = [];
  const series = new Float64Array(T);
  for (let k = 0; k < n; k++) {
    const j = idx[k] as number;
    for (let t = 0; t < T; t++) {
      const r = panel.returns[t * cols + j] as number;
      if (!Number.isFinite(r)) {
        throw new ScenarioInputError(`panel.returns[${t}][${j}]`, r, `gap in ${names[k]} on ${panel.dates[t]}: filtered historical simulation needs gap-free rows (align with gaps: 'drop-row')`);
      }
      series[t] = r;
    }
    let cv: ConditionalVolatility;
    if (volModel.model === 'ewma') {
      cv = ewmaVolatility(series, volModel.seed_rows === undefined ? { lambda: volModel.lambda, init: volModel.init } : { lambda: volModel.lambda, init: volModel.init, seedRows: volModel.seed_rows });
      recursions.push(Object.freeze({ model: 'ewma', lambda: volModel.lambda }));
    } else if (volModel.model === 'garch') {
      cv = garchVolatility(series, { omega: volModel.omega, alpha: volModel.alpha, beta: volModel.beta }, { initialVariance: volModel.initial_variance });
      recursions.push(Object.freeze({ model: 'garch', omega: volModel.omega, alpha: volModel.alpha, beta: volModel.beta }));
    } else {
      const fit = fitGarch(series, { varianceTargeting: volModel.variance_targeting });
      cv = fit;
      recursions.push(Object.freeze({ model: 'garch', omega: fit.params.omega, alpha: fit.params.alpha, beta: fit.params.beta }));
    }
    for (let t = 0; t < T; t++) {
      residuals[t * n + k] = cv.standardizedResiduals[t] as number;
      volatility[t * n + k] = cv.volatility[t] as number;
    }
    forecast[k] = cv.nextVolatility;
  }
  return Object.freeze({
    assets: Object.freeze([...names]),
    dates: Object.freeze(panel.dates.slice(0, T)),
    residuals,
    volatility,
    forecast,
    recursions: Object.freeze(recursions),
  });
}

/** One step of a vol recursion: the next variance after an innovation `eps` at variance `v`. */
export function nextVariance(rec: VolRecursion, v: number, eps: number): number {
  return rec.model === 'ewma' ? rec.lambda * v + (1 - rec.lambda) * eps * eps : rec.omega + rec.alpha * eps * eps + rec.beta * v;
}
