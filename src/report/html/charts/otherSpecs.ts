/** Vega-Lite specs of the correlation heatmap, the histograms and the backtest chart. */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportBacktest, ReportHistogram } from '../../model/types.ts';
import { CALIBRATION_COLORS, CHART_CONFIG, GAIN_COLOR, LOSS_COLOR } from './theme.ts';

/** Heatmap of a correlation matrix on `assets` (diverging blue-red on [-1, 1]) with the values printed in the cells. */
export function correlationHeatmapSpec(assets: readonly string[], matrix: readonly (readonly number[])[]): TopLevelSpec {
  const values = matrix.flatMap((row, i) => row.map((v, j) => ({ row: assets[i], col: assets[j], value: v })));
  const cell = Math.max(22, Math.min(48, Math.floor(300 / Math.max(assets.length, 1))));
  const order = [...assets];
  return {
    width: cell * assets.length, height: cell * assets.length, config: { ...CHART_CONFIG, axis: { ...CHART_CONFIG.axis, grid: false } }, data: { values },
    encoding: {
      x: { field: 'col', type: 'nominal', sort: order, title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'row', type: 'nominal', sort: order, title: null },
    },
    layer: [
      { mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: { color: { field: 'value', type: 'quantitative', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true }, legend: null } } },
      { mark: { type: 'text', fontSize: cell >= 36 ? 11 : 9 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: '.2f' },
          color: { condition: { test: 'abs(datum.value) > 0.65', value: 'white' }, value: '#222' },
        } },
    ],
  } as TopLevelSpec;
}

/**
 * Bar chart of a precomputed histogram; bars whose bin lies below zero in `negativeColor`, the others in
 * `positiveColor` (a bin straddling zero counts as positive). `xTitle` names the values and their unit.
 */
export function histogramSpec(h: ReportHistogram, xTitle: string, negativeColor: string, positiveColor: string): TopLevelSpec {
  const values = h.bins.map((b) => ({ lower: b.lower, upper: b.upper, count: b.count, sign: b.upper <= 0 ? 'negative' : 'positive' }));
  return {
    width: 380, height: 190, config: CHART_CONFIG, data: { values },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'lower', type: 'quantitative', bin: { binned: true, step: h.binWidth > 0 ? h.binWidth : 1 }, title: xTitle, axis: { format: '~s' } },
      x2: { field: 'upper' },
      y: { field: 'count', type: 'quantitative', title: 'count' },
      color: { field: 'sign', type: 'nominal', scale: { domain: ['negative', 'positive'], range: [negativeColor, positiveColor] }, legend: null },
    },
  } as TopLevelSpec;
}

/** Scenario P&L histogram: losses red, gains green. */
export function scenarioPnlSpec(h: ReportHistogram): TopLevelSpec {
  return histogramSpec(h, 'portfolio P&L per scenario (USD)', LOSS_COLOR, GAIN_COLOR);
}

/** Margin-change histogram: decreases green, increases red. */
export function marginChangeSpec(h: ReportHistogram): TopLevelSpec {
  return histogramSpec(h, 'change of initial margin per account (USD)', GAIN_COLOR, LOSS_COLOR);
}

/**
 * Backtest chart: realised MPOR P&L (grey dots) against minus the margin of each calibration (lines, so a loss
 * below its line is an exception), exceptions marked with the calibration's colour as large diamonds. Dates UTC.
 */
export function backtestSpec(backtests: readonly ReportBacktest[]): TopLevelSpec {
  const names = backtests.map((b) => b.calibration);
  const lines = backtests.flatMap((b) => b.days.map((d) => ({ date: d.date, calibration: b.calibration, negMargin: -d.margin })));
  const first = backtests[0];
  const pnl = first === undefined ? [] : first.days.map((d) => ({ date: d.date, pnl: d.pnl }));
  const exceptions = backtests.flatMap((b) => b.days.filter((d) => d.exception).map((d) => ({ date: d.date, calibration: b.calibration, pnl: d.pnl })));
  const x = { field: 'date', type: 'temporal', timeUnit: 'utcyearmonthdate', title: null, axis: { format: '%b %Y', labelOverlap: true } } as const;
  const color = {
    field: 'calibration', type: 'nominal', scale: { domain: names, range: CALIBRATION_COLORS.slice(0, Math.max(names.length, 1)) },
    legend: { orient: 'top', title: null, direction: 'horizontal' },
  } as const;
  const y = { type: 'quantitative', title: 'USD (P&L; −margin as lines)', axis: { format: '~s' } } as const;
  return {
    width: 820, height: 240, config: CHART_CONFIG,
    layer: [
      { data: { values: pnl }, mark: { type: 'circle', size: 8, color: '#8a94a3', opacity: 0.55 }, encoding: { x, y: { ...y, field: 'pnl' } } },
      { data: { values: lines }, mark: { type: 'line', strokeWidth: 1.4 }, encoding: { x, y: { ...y, field: 'negMargin' }, color } },
      { data: { values: exceptions }, mark: { type: 'point', shape: 'diamond', filled: true, size: 70, stroke: '#111', strokeWidth: 0.6 },
        encoding: { x, y: { ...y, field: 'pnl' }, color } },
    ],
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}
