/** The backtest layer (DESIGN.md §2): statistical tests and metrics; the rolling-margin engine is still to come. */
export * from './stats/index.ts';
