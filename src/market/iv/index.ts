/** Implied vols of quotes through the pricing layer (pure). */
export { impliedVolOfPrice } from './quote-iv.ts';
export { impliedVolsOfQuotes, type IvRule, type QuoteWithIv, type QuotesIvResult } from './quotes-iv.ts';
