/** Forwards per expiry: venue summary, put-call parity, resolution of unresolved quotes (pure). */
export type { ForwardEstimate, ForwardFailure, ForwardMethod } from './types.ts';
export { summarizeForwards } from './venue.ts';
export { estimateForwardByParity, parityPairs, DEFAULT_PARITY_OPTIONS, type ParityOptions } from './parity.ts';
export { resolveForwards, type ResolveForwardsOptions, type ResolvedQuotes } from './resolve.ts';
export { groupByExpiry } from './group.ts';
