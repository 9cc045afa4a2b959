/**
 * Market data layer (pure): domain types, parsers (text → rows + failures), instrument names, quote cleaning,
 * forwards, implied vols of quotes, price series. The file loaders (fs I/O) are deliberately not re-exported
 * here: import them from `./load/index.ts`.
 */
export * from './types.ts';
export { MarketInputError, InstrumentNameError } from './errors.ts';
export {
  parseInstrumentName, tryParseInstrumentName, parseDeribitExpiryCode, DERIBIT_EXPIRY_HOUR_UTC,
  type Instrument, type OptionInstrument, type FutureInstrument, type PerpetualInstrument, type SpotInstrument,
} from './instrument.ts';
export {
  yearsAct365, parseIsoDateTimeUtc, parseDateOnlyUtc, parseTimestampUtc, formatUtcDate, MS_PER_DAY,
  MS_PER_YEAR_ACT365,
} from './time.ts';
export * from './parse/index.ts';
export * from './clean/index.ts';
export * from './forwards/index.ts';
export * from './iv/index.ts';
export * from './prices/index.ts';
export { prepareOptionQuotes, type PreparedQuotes } from './prepare.ts';
export * from './returns/index.ts';
