/** Margin attribution: the worst scenario and its drivers, and the waterfall split of a margin change. */
export * from './marginChange.ts';
export * from './worstScenario.ts';
