/**
 * Portfolio model (pure): accounts with desk, positions and collateral; JSON parsing with one failure per bad account;
 * instruments resolved once into a structure-of-arrays table; books as CSR matrices of quantities. The file loader
 * (fs) is in ./load/index.ts, not re-exported here.
 */
export type {
  Position, CollateralHolding, Account, PortfolioFailure, PortfolioFailureReason, PortfolioParseResult,
} from './types.ts';
export { RiskInputError, describeValue } from './errors.ts';
export { parsePortfolioJson, validatePortfolio, validateAccount, ASSET_CODE, type PortfolioParseOptions } from './parsePortfolio.ts';
export {
  buildInstrumentTable, INSTRUMENT_KIND, INSTRUMENT_SETTLEMENT, ACCOUNTING_CURRENCY, type InstrumentTable,
  type InstrumentTableOptions, type InstrumentTableResult, type InstrumentResolutionFailure,
} from './instrumentTable.ts';
export { CsrBuilder, checkCsr, filterCsrColumns, type CsrMatrix } from './csr.ts';
export { resolvePortfolio, type PortfolioBook, type ResolvePortfolioOptions, type ResolvedPortfolio } from './book.ts';
export * from './synthetic/index.ts';
export { formatPortfolioJson, formatPortfolioHeader, formatAccountLine, PORTFOLIO_FORMAT } from './formatPortfolio.ts';
