/** Pure parsers: text → { rows, failures }. One module per file format. */
export { tokenizeCsv, CsvChunker, type CsvRecord, type CsvChunkerOptions, type TokenizeOptions } from './csv.ts';
export { TableParser, FailureList, MAX_FAILURE_TEXT, type RecordParser } from './rows.ts';
export type { OptionParseOptions, ParseOptions } from './options.ts';
export { parseDeribitSnapshotCsv, deribitSnapshotParser, DERIBIT_SNAPSHOT_REQUIRED_COLUMNS } from './deribit-snapshot.ts';
export { parseDeribitBookCsv, DERIBIT_BOOK_REQUIRED_COLUMNS } from './deribit-book.ts';
export {
  parseCanonicalOptionCsv, CANONICAL_OPTION_COLUMNS, type CanonicalOptionParseOptions,
} from './canonical-options.ts';
export { parseCboeQuoteTableCsv, cboeExpiryInstant, type CboePreamble } from './cboe-quote-table.ts';
export { parseCddDailyCsv, cddDailyParser, splitPairSymbol, QUOTE_CURRENCIES, type CddParseOptions } from './cdd-daily.ts';
export { parseCanonicalPriceCsv, CANONICAL_PRICE_COLUMNS } from './canonical-prices.ts';
export { comparePricePoints } from './price-order.ts';
export { parsePerpetualFuturesCsv, perpetualFuturesParser, PERPETUAL_REQUIRED_COLUMNS } from './perpetual-futures.ts';
export { parseTermFuturesCsv, TERM_FUTURES_REQUIRED_COLUMNS } from './term-futures.ts';
