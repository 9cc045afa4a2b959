/** Quote cleaning (pure): named rules, counts, per-quote reasons. */
export { cleanQuotes, type CleaningReport, type CleaningResult, type RejectedQuote } from './clean-quotes.ts';
export { CLEANING_RULES, DEFAULT_CLEANING_OPTIONS, type CleaningOptions, type CleaningRule } from './rules.ts';
export { noArbitrageBounds } from './bounds.ts';
