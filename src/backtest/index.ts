/** The backtest layer (DESIGN.md §2): statistical tests and metrics; and the rolling-margin engine (rolling/). */
export * from './stats/index.ts';
export * from './rolling/index.ts';
