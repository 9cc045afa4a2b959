/** Price series (pure). Returns are computed elsewhere. */
export { buildPriceSeries, type PriceSeries, type SeriesFailure } from './series.ts';
