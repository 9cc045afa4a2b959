/**
 * Per-asset volatility models over a returns panel (rows = dates oldest first, cols = assets): each
 * column gets an EWMA or GARCH(1,1) conditional variance series. A failure for one asset (e.g. a constant
 * column, too few observations) is recorded as that asset's result, never a crash of the whole panel.
 */
import { CorrelationInputError } from '../errors.ts';
import { readReturnsPanel } from '../panel.ts';
import { ewmaVolatility, type ConditionalVolatility } from './ewmaVolatility.ts';
import { fitGarch, type FitGarchOptions, type GarchFit } from './fitGarch.ts';

/** Which model to fit per asset. */
export type VolatilityModelSpec =
  | { readonly model: 'ewma'; readonly lambda: number; readonly init?: 'first' | 'sample'; readonly seedRows?: number }
  | ({ readonly model: 'garch' } & FitGarchOptions);

/** One asset's outcome. */
export type AssetVolatilityResult =
  | { readonly asset: number; readonly ok: true; readonly model: 'ewma'; readonly result: ConditionalVolatility }
  | { readonly asset: number; readonly ok: true; readonly model: 'garch'; readonly result: GarchFit }
  | { readonly asset: number; readonly ok: false; readonly error: { readonly code: string; readonly field: string; readonly message: string } };

/** Fit `spec` to every column of `returns` (no gaps: align the panel first). */
export function fitAssetVolatilities(returns: ReadonlyArray<ArrayLike<number>>, spec: VolatilityModelSpec): AssetVolatilityResult[] {
  if (spec === null || typeof spec !== 'object' || (spec.model !== 'ewma' && spec.model !== 'garch')) {
    throw new CorrelationInputError('BAD_OPTION', 'spec.model', (spec as { model?: unknown } | null)?.model, "expected 'ewma' or 'garch'");
  }
  const panel = readReturnsPanel(returns, false);
  const out: AssetVolatilityResult[] = [];
  for (let j = 0; j < panel.cols; j++) {
    const series = new Float64Array(panel.rows);
    for (let t = 0; t < panel.rows; t++) series[t] = panel.data[t * panel.cols + j]!;
    try {
      if (spec.model === 'ewma') {
        const opts = spec.seedRows === undefined ? { lambda: spec.lambda, init: spec.init ?? 'sample' } : { lambda: spec.lambda, init: spec.init ?? 'sample', seedRows: spec.seedRows };
        out.push(Object.freeze({ asset: j, ok: true as const, model: 'ewma' as const, result: ewmaVolatility(series, opts) }));
      } else {
        const { model: _model, ...options } = spec;
        out.push(Object.freeze({ asset: j, ok: true as const, model: 'garch' as const, result: fitGarch(series, options) }));
      }
    } catch (e) {
      if (!(e instanceof CorrelationInputError)) throw e;
      // Option errors are the caller's, not the asset's: rethrow them.
      if (e.code === 'BAD_OPTION') throw e;
      out.push(Object.freeze({ asset: j, ok: false as const, error: Object.freeze({ code: e.code, field: `returns[*][${j}]`, message: e.message }) }));
    }
  }
  return Object.freeze(out) as AssetVolatilityResult[];
}
