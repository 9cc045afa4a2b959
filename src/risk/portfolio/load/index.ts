/** Portfolio loaders (fs I/O), kept apart from the pure parsers. */
export { loadPortfolioFile } from './loadPortfolioFile.ts';
export { loadSnapshotUniverse } from './loadUniverse.ts';
