/**
 * Per-asset daily close series (pure): points grouped by asset, sorted ascending by date, duplicates
 * detected. Gaps are left as they are (no calendar filling): returns are computed elsewhere, on aligned dates.
 */

import type { PricePoint } from '../types.ts';

/** One asset's closes, ascending by date, no duplicate dates. */
export interface PriceSeries {
  /** Asset code. */
  readonly asset: string;
  /** Quote currency of the closes when all points agree on one, else undefined. */
  readonly currency?: string;
  /** UTC days `YYYY-MM-DD`, strictly ascending. */
  readonly dates: readonly string[];
  /** Closes, `closes[i]` on `dates[i]`, in the series currency. */
  readonly closes: Float64Array;
}

/** A point dropped while building series. */
export interface SeriesFailure {
  readonly asset: string;
  readonly date: string;
  /** `duplicate-date`: the same asset/date appeared more than once (all but the first occurrence are dropped);
   * `mixed-currency`: the point's currency differs from the asset's first point's currency. */
  readonly reason: 'duplicate-date' | 'mixed-currency';
  /** The dropped close. */
  readonly close: number;
  /** The close that was kept for that date (for `duplicate-date`). */
  readonly keptClose?: number;
}

/**
 * Groups points by asset (assets in ascending code order) and sorts each group ascending by date. When a date
 * repeats, the first point in input order is kept and every later one is reported as a `duplicate-date`
 * failure; a point whose currency differs from the first point's currency of that asset is a `mixed-currency`
 * failure.
 */
export function buildPriceSeries(points: readonly PricePoint[]): {
  readonly series: readonly PriceSeries[];
  readonly failures: readonly SeriesFailure[];
} {
  const byAsset = new Map<string, { currency: string | undefined; byDate: Map<string, number> }>();
  const failures: SeriesFailure[] = [];
  for (const p of points) {
    let group = byAsset.get(p.asset);
    if (group === undefined) {
      group = { currency: p.currency, byDate: new Map() };
      byAsset.set(p.asset, group);
    }
    if (p.currency !== group.currency) {
      failures.push(Object.freeze({ asset: p.asset, date: p.date, reason: 'mixed-currency', close: p.close }));
      continue;
    }
    const kept = group.byDate.get(p.date);
    if (kept !== undefined) {
      failures.push(Object.freeze({ asset: p.asset, date: p.date, reason: 'duplicate-date', close: p.close, keptClose: kept }));
      continue;
    }
    group.byDate.set(p.date, p.close);
  }
  const series: PriceSeries[] = [];
  for (const asset of [...byAsset.keys()].sort()) {
    const group = byAsset.get(asset) as { currency: string | undefined; byDate: Map<string, number> };
    const dates = [...group.byDate.keys()].sort();
    const closes = new Float64Array(dates.length);
    dates.forEach((d, i) => {
      closes[i] = group.byDate.get(d) as number;
    });
    const s: PriceSeries = group.currency === undefined
      ? { asset, dates: Object.freeze(dates), closes }
      : { asset, currency: group.currency, dates: Object.freeze(dates), closes };
    series.push(Object.freeze(s));
  }
  return { series: Object.freeze(series), failures: Object.freeze(failures) };
}
