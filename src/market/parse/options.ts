/** Options shared by the option-chain parsers. */
export interface OptionParseOptions {
  /** Label written into failures (loaders pass the file name). Default `'<input>'`. */
  readonly file?: string;
  /**
   * As-of instant (UTC epoch ms) that `expiry` (years) is measured from. Default: the latest quote timestamp
   * among the valid rows (for a Deribit snapshot, the collection run's start time, shared by every row).
   */
  readonly asOfMs?: number;
  /** Failures kept (the first ones); later bad rows are only counted (`ParseResult.omittedFailures`). Default: all. */
  readonly maxFailures?: number;
}

/** Options of the other parsers. */
export interface ParseOptions {
  /** Label written into failures (loaders pass the file name). Default `'<input>'`. */
  readonly file?: string;
  /** Failures kept (the first ones); later bad rows are only counted (`ParseResult.omittedFailures`). Default: all. */
  readonly maxFailures?: number;
}
