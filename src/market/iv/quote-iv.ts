/**
 * Implied vols of option quotes (pure), through the pricing layer's Black-76 inversion.
 *
 * Linear quotes: the premium is a USD price discounted at the quote's `rate`. Inverse (coin) quotes: the
 * USD-equivalent premium is `price_coin × F`, inverted with the quote's `rate` (0 for Deribit), i.e. against
 * undiscounted Black on the forward (methods.md §1.5 item 6, §2.3; DESIGN.md §3).
 */

import { ImpliedVolError, impliedVolBlack76, type ImpliedVolErrorCode } from '../../pricing/index.ts';
import type { OptionQuote } from '../types.ts';

/** Implied vol of a premium of the quote, or the pricing layer's error code when none exists. */
export function impliedVolOfPrice(
  quote: Pick<OptionQuote, 'forward' | 'strike' | 'expiry' | 'rate' | 'type' | 'settlement'>,
  price: number,
): { readonly vol: number } | { readonly code: ImpliedVolErrorCode; readonly message: string } {
  const usdPrice = quote.settlement === 'inverse' ? price * quote.forward : price;
  try {
    return {
      vol: impliedVolBlack76({
        price: usdPrice,
        forward: quote.forward,
        strike: quote.strike,
        expiry: quote.expiry,
        rate: quote.rate,
        type: quote.type,
      }),
    };
  } catch (e) {
    if (e instanceof ImpliedVolError) return { code: e.code, message: e.message };
    throw e;
  }
}
