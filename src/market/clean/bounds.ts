/** No-arbitrage price bounds of a European option quote (pure). */

import type { OptionQuote } from '../types.ts';

/**
 * Static no-arbitrage bounds of the option's premium, in the quote's own currency, with DF = exp(−rate·expiry):
 * - linear (USD): call ∈ [DF·max(F − K, 0), DF·F], put ∈ [DF·max(K − F, 0), DF·K];
 * - inverse (coin; Deribit, methods.md §2.3, DF = 1 when rate = 0): the USD bounds divided by F, i.e.
 *   call ∈ [DF·max(F − K, 0)/F, DF], put ∈ [DF·max(K − F, 0)/F, DF·K/F].
 */
export function noArbitrageBounds(
  quote: Pick<OptionQuote, 'forward' | 'strike' | 'type' | 'rate' | 'expiry' | 'settlement'>,
): { readonly lower: number; readonly upper: number } {
  const df = Math.exp(-quote.rate * Math.max(quote.expiry, 0));
  const F = quote.forward;
  const K = quote.strike;
  const intrinsic = quote.type === 'call' ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const cap = quote.type === 'call' ? F : K;
  const scale = quote.settlement === 'inverse' ? df / F : df;
  return { lower: intrinsic * scale, upper: cap * scale };
}
