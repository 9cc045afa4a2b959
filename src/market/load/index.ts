/** Loaders (fs I/O): read a file, call the pure parser, put the file name into the failures. */
export { loadDeribitSnapshot, loadDeribitBook, loadCanonicalOptions, loadCboeQuoteTable } from './options-chains.ts';
export { loadCddDaily, loadCanonicalPrices, loadPerpetualFutures, loadTermFutures } from './prices.ts';
export { readTextFile } from './read-text.ts';
export { streamCsvFile, checkFileSize, formatMiB, InputFileError, type InputFileProblem, type StreamCsvOptions, type StreamedCsv } from './stream.ts';
