/** Ordering of price points (pure). */

import type { PricePoint } from '../types.ts';

/** Compares price points by asset, then by date ascending (`YYYY-MM-DD` strings sort chronologically). */
export function comparePricePoints(a: PricePoint, b: PricePoint): number {
  if (a.asset !== b.asset) return a.asset < b.asset ? -1 : 1;
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
