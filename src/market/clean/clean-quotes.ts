/** Quote cleaning (pure): every quote is accepted, kept as a one-sided fallback, or rejected under one rule. */

import type { OptionQuote } from '../types.ts';
import { MarketInputError } from '../errors.ts';
import { noArbitrageBounds } from './bounds.ts';
import { CLEANING_RULES, DEFAULT_CLEANING_OPTIONS, type CleaningOptions, type CleaningRule } from './rules.ts';

/** A quote that failed a rule (the first one, in `CLEANING_RULES` order). */
export interface RejectedQuote<R extends string = CleaningRule> {
  readonly quote: OptionQuote;
  readonly rule: R;
  /** The measured value behind the decision, human-readable (e.g. `relative spread 1.33 > 1`). */
  readonly detail: string;
}

/** Counts of a cleaning pass. `byRule[rule]` counts quotes whose first failing rule is `rule`. */
export interface CleaningReport {
  readonly total: number;
  readonly accepted: number;
  /** One-sided / zero-bid quotes kept for fallback uses (`keepOneSided`). */
  readonly fallback: number;
  readonly rejected: number;
  readonly byRule: Readonly<Record<CleaningRule, number>>;
}

/** Result of `cleanQuotes`. Input order is kept inside each list. */
export interface CleaningResult {
  /** Two-sided quotes that passed every rule. */
  readonly accepted: readonly OptionQuote[];
  /** One-sided and zero-bid quotes kept because `keepOneSided` is set (their `rule` says which). */
  readonly fallback: readonly RejectedQuote[];
  readonly rejected: readonly RejectedQuote[];
  readonly report: CleaningReport;
}

/**
 * Applies the cleaning rules (see `CLEANING_RULES` for their order and meaning, `DEFAULT_CLEANING_OPTIONS` for
 * the defaults). The as-of instant is each quote's own `asOfMs`. Bad options raise `MarketInputError`.
 */
export function cleanQuotes(quotes: readonly OptionQuote[], options: CleaningOptions = {}): CleaningResult {
  const o: ResolvedOptions = { ...DEFAULT_CLEANING_OPTIONS, ...options };
  for (const [field, value] of [
    ['minHoursToExpiry', o.minHoursToExpiry],
    ['maxQuoteAgeSeconds', o.maxQuoteAgeSeconds],
    ['maxRelativeSpread', o.maxRelativeSpread],
    ['boundsTolerance', o.boundsTolerance],
  ] as const) {
    if (!(value >= 0)) throw new MarketInputError(field, value, 'must be a non-negative number');
  }
  const byRule = Object.fromEntries(CLEANING_RULES.map((r) => [r, 0])) as Record<CleaningRule, number>;
  const accepted: OptionQuote[] = [];
  const fallback: RejectedQuote[] = [];
  const rejected: RejectedQuote[] = [];
  for (const q of quotes) {
    const verdict = firstFailedRule(q, o);
    if (verdict === null) {
      accepted.push(q);
      continue;
    }
    byRule[verdict.rule]++;
    const entry = Object.freeze({ quote: q, rule: verdict.rule, detail: verdict.detail });
    if (o.keepOneSided && (verdict.rule === 'one-sided' || verdict.rule === 'zero-bid')) fallback.push(entry);
    else rejected.push(entry);
  }
  return {
    accepted: Object.freeze(accepted),
    fallback: Object.freeze(fallback),
    rejected: Object.freeze(rejected),
    report: Object.freeze({
      total: quotes.length,
      accepted: accepted.length,
      fallback: fallback.length,
      rejected: rejected.length,
      byRule: Object.freeze(byRule),
    }),
  };
}

type ResolvedOptions = Required<CleaningOptions>;

function firstFailedRule(q: OptionQuote, o: ResolvedOptions): { rule: CleaningRule; detail: string } | null {
  const hours = q.expiry * 365 * 24;
  if (!(hours >= o.minHoursToExpiry)) {
    return { rule: 'too-close-to-expiry', detail: `${fmt(hours)} h to expiry < ${o.minHoursToExpiry} h` };
  }
  const ageSeconds = (q.asOfMs - q.quoteTimestampMs) / 1000;
  if (ageSeconds > o.maxQuoteAgeSeconds) {
    return { rule: 'stale', detail: `quote ${fmt(ageSeconds)} s old > ${o.maxQuoteAgeSeconds} s` };
  }
  if (ageSeconds < 0) return { rule: 'quote-after-as-of', detail: `quote ${fmt(-ageSeconds)} s after as-of` };

  const { lower, upper } = noArbitrageBounds(q);
  const tol = o.boundsTolerance;
  const { bid, ask } = q;
  let oneSided: { rule: CleaningRule; detail: string } | null = null;
  if (bid === null || ask === null || ask === 0) {
    oneSided = { rule: 'one-sided', detail: bid === null && (ask === null || ask === 0) ? 'no bid and no ask' : bid === null ? 'no bid' : 'no ask' };
  } else if (bid === 0) {
    oneSided = { rule: 'zero-bid', detail: 'bid is 0' };
  }
  if (oneSided !== null) {
    if (!o.keepOneSided) return oneSided;
    // a fallback candidate whose present side contradicts the bounds is outside bounds, not a fallback
    if (ask !== null && ask > 0 && ask < lower - tol) return { rule: 'outside-bounds', detail: `ask ${ask} < lower bound ${fmt(lower)}` };
    if (bid !== null && bid > 0 && bid > upper + tol) return { rule: 'outside-bounds', detail: `bid ${bid} > upper bound ${fmt(upper)}` };
    return oneSided;
  }
  const b = bid as number;
  const a = ask as number;
  if (b > a) return { rule: 'crossed', detail: `bid ${b} > ask ${a}` };
  const mid = (a + b) / 2;
  if (mid < lower - tol) return { rule: 'outside-bounds', detail: `mid ${fmt(mid)} < lower bound ${fmt(lower)}` };
  if (mid > upper + tol) return { rule: 'outside-bounds', detail: `mid ${fmt(mid)} > upper bound ${fmt(upper)}` };
  const rel = (a - b) / mid;
  if (rel > o.maxRelativeSpread) return { rule: 'spread-too-wide', detail: `relative spread ${fmt(rel)} > ${o.maxRelativeSpread}` };
  if (o.otmOnly && (q.type === 'call' ? q.strike < q.forward : q.strike > q.forward)) {
    return { rule: 'in-the-money', detail: `${q.type} strike ${q.strike} vs forward ${fmt(q.forward)}` };
  }
  return null;
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
