/** Pure parsers: text → { rows, failures }. One module per file format. */
export { tokenizeCsv, type CsvRecord } from './csv.ts';
export type { OptionParseOptions, ParseOptions } from './options.ts';
export { parseDeribitSnapshotCsv, DERIBIT_SNAPSHOT_REQUIRED_COLUMNS } from './deribit-snapshot.ts';
export { parseDeribitBookCsv, DERIBIT_BOOK_REQUIRED_COLUMNS } from './deribit-book.ts';
export {
  parseCanonicalOptionCsv, CANONICAL_OPTION_COLUMNS, type CanonicalOptionParseOptions,
} from './canonical-options.ts';
export { parseCboeQuoteTableCsv, cboeExpiryInstant, type CboePreamble } from './cboe-quote-table.ts';
export { parseCddDailyCsv, splitPairSymbol, QUOTE_CURRENCIES, type CddParseOptions } from './cdd-daily.ts';
export { parseCanonicalPriceCsv, CANONICAL_PRICE_COLUMNS } from './canonical-prices.ts';
export { comparePricePoints } from './price-order.ts';
export { parsePerpetualFuturesCsv, PERPETUAL_REQUIRED_COLUMNS } from './perpetual-futures.ts';
export { parseTermFuturesCsv, TERM_FUTURES_REQUIRED_COLUMNS } from './term-futures.ts';
