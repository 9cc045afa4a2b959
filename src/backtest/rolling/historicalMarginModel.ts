/**
 * A plain historical-simulation VaR or ES margin as a backtest margin model (pure, USD). At date t, from the view:
 *
 * - rows carrying an `excludeTags` tag are dropped first (windows then join across the removed rows);
 * - scenarios = the book's P&L over each of the last `lookbackRows` kept rows s:
 *   'overlapping': the exact h-day P&L sum_u P_u(r_u(s-h+1) + ... + r_u(s)) of the window ending at s
 *   (h = the MPOR; the first h - 1 kept rows end no window); 'sqrt': sum_u P_u(sqrt(h) r_u(s)); P_u(m) the book's
 *   P&L for the log move m of u (./bookPnl.ts: E_u expm1(m) for a linear book, R_u(expm1(m)) for a response book);
 * - stress observations seen so far (`stress`) older than the lookback are appended ("always included");
 * - VaR = the k-th largest loss, ES = the mean of the k largest (or Acerbi-Tasche), k = ceil(n (1 - confidence))
 *   exact (src/risk/measures); margin = max(0, VaR) or max(0, ES) per `measure`.
 *
 * Forecasts for the ES test: the VaR and ES of the same vector at the same confidence.
 */
import { expectedShortfall, historicalVaR, type EsMethod } from '../../risk/index.ts';
import { BacktestInputError } from '../stats/index.ts';
import { linearBookPnl } from './bookPnl.ts';
import type { HistoryView, MarginContext, MarginForecast, MarginModel } from './types.ts';
import { keptRows, stressRowFlags, type StressSelection } from './viewRows.ts';

/** Configuration of {@link createHistoricalMarginModel}. */
export interface HistoricalMarginModelConfig {
  /** Name for reports (default `historical-<measure>`). */
  readonly name?: string;
  /** What the margin is: the VaR or the ES of the scenario vector. */
  readonly measure: 'var' | 'es';
  /** Confidence, e.g. 0.99. */
  readonly confidence: number;
  /** ES estimator (default 'k-worst'). */
  readonly esMethod?: EsMethod;
  /** Scenario rows. */
  readonly lookbackRows: number;
  /** The MPOR h in rows (must equal the backtest's). */
  readonly mporDays: number;
  readonly mporScaling: 'overlapping' | 'sqrt';
  readonly stress?: StressSelection;
  readonly excludeTags?: readonly string[];
}

/** A rolling-backtest margin model computing the historical VaR/ES margin at each date; see the module comment. */
export function createHistoricalMarginModel(config: HistoricalMarginModelConfig): MarginModel {
  const { lookbackRows: L, confidence, measure } = config;
  if (!Number.isSafeInteger(L) || L < 1) throw new BacktestInputError('lookbackRows', L, 'must be a positive integer');
  if (!(confidence > 0 && confidence < 1)) throw new BacktestInputError('confidence', confidence, 'must be in (0, 1)');
  if (measure !== 'var' && measure !== 'es') throw new BacktestInputError('measure', measure, "must be 'var' or 'es'");
  if (config.mporScaling !== 'overlapping' && config.mporScaling !== 'sqrt') throw new BacktestInputError('mporScaling', config.mporScaling, "must be 'overlapping' or 'sqrt'");
  const H = config.mporDays;
  if (!Number.isSafeInteger(H) || H < 1) throw new BacktestInputError('mporDays', H, 'must be a positive integer (rows)');
  const esMethod = config.esMethod ?? 'k-worst';
  const overlapping = config.mporScaling === 'overlapping';
  const fullHistory = config.stress !== undefined || (config.excludeTags ?? []).length > 0;

  const margin = (view: HistoryView, ctx: MarginContext): MarginForecast => {
    const h = ctx.mporDays;
    if (h !== H) throw new BacktestInputError('mporDays', h, `the margin model's MPOR is ${H}`);
    const book = ctx.pnl ?? linearBookPnl(ctx.exposuresUsd, view.assets);
    const columns = book.columns;
    const cols = view.assets.length;
    const kept = keptRows(view, config.excludeTags);
    const windowEnd = (q: number): number => {
      // book P&L of the scenario ending at kept row q
      let p = 0;
      for (let c = 0; c < columns.length; c++) {
        const j = columns[c] as number;
        let s = 0;
        if (overlapping) for (let d = 0; d < h; d++) s += view.returns[(kept[q - d] as number) * cols + j] as number;
        else s = Math.sqrt(h) * (view.returns[(kept[q] as number) * cols + j] as number);
        p += book.columnPnl(j, s);
      }
      return p;
    };
    const firstEnd = overlapping ? h - 1 : 0;
    const start = Math.max(firstEnd, kept.length - L);
    if (start >= kept.length) throw new BacktestInputError('view.rows', view.rows, `no complete ${h}-row window in the history`);
    const pnl: number[] = [];
    for (let q = start; q < kept.length; q++) pnl.push(windowEnd(q));
    if (config.stress !== undefined) {
      const flags = stressRowFlags(view, config.stress);
      for (let q = firstEnd; q < start; q++) if (flags[kept[q] as number] === 1) pnl.push(windowEnd(q));
    }
    const valueAtRisk = historicalVaR(pnl, confidence);
    const es = expectedShortfall(pnl, confidence, { method: esMethod });
    return Object.freeze({
      marginUsd: Math.max(0, measure === 'var' ? valueAtRisk : es),
      valueAtRiskUsd: valueAtRisk,
      expectedShortfallUsd: es,
      components: Object.freeze({ scenarios: pnl.length }),
    });
  };

  return Object.freeze({
    name: config.name ?? `historical-${measure}`,
    description: `historical ${measure.toUpperCase()} ${confidence}, ${L} rows, MPOR ${H} (${config.mporScaling})` +
      `${config.stress === undefined ? '' : ', stress observations'}${config.excludeTags?.length ? `, excluding ${config.excludeTags.join(', ')}` : ''}`,
    coverage: confidence,
    ...(fullHistory ? {} : { lookbackRows: L + (overlapping ? H - 1 : 0) }),
    minRows: L + (overlapping ? H - 1 : 0),
    margin,
  });
}
