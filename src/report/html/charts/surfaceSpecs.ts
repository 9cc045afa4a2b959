/** Vega-Lite specs of the surface charts: one smile (before/after fits with quotes) and the ATM term structure. */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportExpirySmile, ReportSmileSide, ReportTermPoint } from '../../model/types.ts';
import { AFTER_COLOR, BEFORE_COLOR, CHART_CONFIG } from './theme.ts';

const SIDES = ['before', 'after'];
const sideColor = { field: 'side', type: 'nominal', scale: { domain: SIDES, range: [BEFORE_COLOR, AFTER_COLOR] }, legend: null } as const;

interface SmileRow { side: string; kind: 'fit' | 'quote'; k: number; vol: number; bid: number | null; ask: number | null }

function rowsOf(side: string, s: ReportSmileSide | null): SmileRow[] {
  if (s === null) return [];
  const pct = (v: number | null): number | null => (v === null ? null : v * 100);
  return [
    ...s.fit.map((p): SmileRow => ({ side, kind: 'fit', k: p.k, vol: p.vol * 100, bid: null, ask: null })),
    ...s.quotes.map((q): SmileRow => ({ side, kind: 'quote', k: q.k, vol: q.midVol * 100, bid: pct(q.bidVol), ask: pct(q.askVol) })),
  ];
}

/** Smile of one expiry: fitted vol (%) against log-moneyness, before (grey) and after (orange), quote mids as dots and bid-ask as bars. */
export function smileSpec(e: ReportExpirySmile): TopLevelSpec {
  const values = [...rowsOf('before', e.before), ...rowsOf('after', e.after)];
  const x = { field: 'k', type: 'quantitative', title: 'log-moneyness ln(K/F)', scale: { zero: false } } as const;
  const y = { field: 'vol', type: 'quantitative', title: 'implied vol (%)', scale: { zero: false } } as const;
  return {
    width: 300, height: 170, config: CHART_CONFIG, data: { values },
    layer: [
      { transform: [{ filter: "datum.kind === 'quote' && datum.bid !== null && datum.ask !== null" }], mark: { type: 'rule', opacity: 0.45 },
        encoding: { x, y: { field: 'bid', type: 'quantitative' }, y2: { field: 'ask' }, color: sideColor } },
      { transform: [{ filter: "datum.kind === 'quote'" }], mark: { type: 'circle', size: 14, opacity: 0.8 }, encoding: { x, y, color: sideColor } },
      { transform: [{ filter: "datum.kind === 'fit'" }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color: sideColor, detail: { field: 'side' } } },
    ],
  } as TopLevelSpec;
}

/** ATM vol (%) against days to expiry (log axis when all are positive), before and after. */
export function termStructureSpec(points: readonly ReportTermPoint[]): TopLevelSpec {
  const values = points.flatMap((p) => [
    ...(p.atmVolBefore === null ? [] : [{ side: 'before', days: p.timeYears * 365, vol: p.atmVolBefore * 100, expiry: p.expiry }]),
    ...(p.atmVolAfter === null ? [] : [{ side: 'after', days: p.timeYears * 365, vol: p.atmVolAfter * 100, expiry: p.expiry }]),
  ]);
  const logX = points.length > 0 && points.every((p) => p.timeYears > 0);
  return {
    width: 360, height: 200, config: CHART_CONFIG, data: { values },
    encoding: {
      x: { field: 'days', type: 'quantitative', title: 'days to expiry', scale: logX ? { type: 'log', nice: false } : { zero: false } },
      y: { field: 'vol', type: 'quantitative', title: 'ATM implied vol (%)', scale: { zero: false } },
      color: sideColor,
    },
    layer: [{ mark: { type: 'line', strokeWidth: 2 } }, { mark: { type: 'point', filled: true, size: 36 } }],
  } as TopLevelSpec;
}
