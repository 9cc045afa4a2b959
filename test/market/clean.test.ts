import { describe, expect, it } from 'vitest';
import {
  CLEANING_RULES, cleanQuotes, MarketInputError, noArbitrageBounds, parseDeribitSnapshotCsv, type OptionQuote,
} from '../../src/market/index.ts';
import { readFixture, snapshotPath } from './fixtures.ts';

const HOUR = 3_600_000;
const AS_OF = Date.UTC(2026, 1, 4, 21);

function quote(over: Partial<OptionQuote> & { hoursToExpiry?: number } = {}): OptionQuote {
  const hours = over.hoursToExpiry ?? 30 * 24;
  const { hoursToExpiry: _h, ...rest } = over;
  const q: OptionQuote = {
    underlying: 'TEST', instrument: 'q', expiryTimestampMs: AS_OF + hours * HOUR, expiry: hours / 8760, asOfMs: AS_OF,
    strike: 100, type: 'call', bid: 3.9, ask: 4.1, settlement: 'linear', currency: 'USD', quoteTimestampMs: AS_OF,
    forward: 100, rate: 0, forwardSource: 'input', ...rest,
  };
  return Object.freeze(q);
}

// One quote per rule, plus clean quotes (linear and inverse) that must pass.
const CHAIN: readonly OptionQuote[] = [
  quote({ instrument: 'ok-call' }),
  quote({ instrument: 'ok-put', type: 'put' }),
  // inverse put deep ITM: coin intrinsic (K − F)/F = 1.0 ≤ mid 1.03 ≤ K/F = 2 (in USD terms it would be 100);
  // it passes the bounds and is the one in-the-money quote
  quote({ instrument: 'in-the-money', type: 'put', strike: 200, bid: 1.02, ask: 1.04, settlement: 'inverse', currency: 'BTC' }),
  quote({ instrument: 'ok-inverse-call', bid: 0.039, ask: 0.041, settlement: 'inverse', currency: 'BTC' }),
  quote({ instrument: 'too-close-to-expiry', hoursToExpiry: 12 }),
  quote({ instrument: 'stale', quoteTimestampMs: AS_OF - 2 * HOUR }),
  quote({ instrument: 'quote-after-as-of', quoteTimestampMs: AS_OF + 1000 }),
  quote({ instrument: 'one-sided', bid: null }),
  quote({ instrument: 'zero-bid', strike: 150, bid: 0, ask: 0.05 }),
  quote({ instrument: 'crossed', bid: 4.2, ask: 4.0 }),
  quote({ instrument: 'outside-bounds', strike: 80, bid: 18, ask: 19 }),
  quote({ instrument: 'spread-too-wide', strike: 130, bid: 0.1, ask: 0.5 }),
  quote({ instrument: 'ok-otm-call', strike: 110, bid: 0.9, ask: 1.1 }),
];

describe('cleanQuotes on a hand-made chain', () => {
  it('fires each rule exactly once, with the per-quote reason', () => {
    const r = cleanQuotes(CHAIN, { otmOnly: true });
    expect(r.report.byRule).toEqual(Object.fromEntries(CLEANING_RULES.map((rule) => [rule, 1])));
    expect(r.report).toMatchObject({ total: 13, accepted: 4, rejected: 9, fallback: 0 });
    expect(r.accepted.map((q) => q.instrument)).toEqual(['ok-call', 'ok-put', 'ok-inverse-call', 'ok-otm-call']);
    // without otmOnly (the default) the in-the-money rule is off
    const d = cleanQuotes(CHAIN);
    expect(d.report.byRule['in-the-money']).toBe(0);
    expect(d.report.accepted).toBe(5);
    for (const x of r.rejected) expect(x.rule).toBe(x.quote.instrument);
    expect(r.rejected.find((x) => x.rule === 'spread-too-wide')?.detail).toBe('relative spread 1.33333 > 1');
    expect(r.rejected.find((x) => x.rule === 'outside-bounds')?.detail).toBe('mid 18.5 < lower bound 20');
  });

  it('thresholds are configurable', () => {
    const r = cleanQuotes(CHAIN, { minHoursToExpiry: 6, maxQuoteAgeSeconds: 3 * 3600, maxRelativeSpread: 2 });
    expect(r.report.byRule).toMatchObject({ 'too-close-to-expiry': 0, stale: 0, 'spread-too-wide': 0 });
    expect(r.report.accepted).toBe(8);
    expect(cleanQuotes(CHAIN, { boundsTolerance: 2 }).report.byRule['outside-bounds']).toBe(0);
  });

  it('keepOneSided moves one-sided and zero-bid quotes to fallback, still counted, unless their present side breaks the bounds', () => {
    const extra = quote({ instrument: 'one-sided-below-intrinsic', strike: 50, bid: null, ask: 40 }); // intrinsic 50
    const r = cleanQuotes([...CHAIN, extra], { keepOneSided: true });
    expect(r.fallback.map((x) => [x.quote.instrument, x.rule])).toEqual([['one-sided', 'one-sided'], ['zero-bid', 'zero-bid']]);
    expect(r.report).toMatchObject({ fallback: 2, rejected: 7, accepted: 5 });
    expect(r.report.byRule['outside-bounds']).toBe(2);
    expect(cleanQuotes([extra]).report.byRule['one-sided']).toBe(1);
  });

  it('rejects bad options with a typed error naming the field', () => {
    expect(() => cleanQuotes(CHAIN, { maxRelativeSpread: -1 })).toThrow(MarketInputError);
    expect(() => cleanQuotes(CHAIN, { minHoursToExpiry: Number.NaN })).toThrow(/minHoursToExpiry/);
  });
});

describe('noArbitrageBounds', () => {
  it('USD bounds are discounted; coin bounds are the USD bounds over F', () => {
    const T = 0.5;
    const r = 0.04;
    const df = Math.exp(-r * T);
    const base = { forward: 100, strike: 90, rate: r, expiry: T } as const;
    expect(noArbitrageBounds({ ...base, type: 'call', settlement: 'linear' })).toEqual({ lower: 10 * df, upper: 100 * df });
    expect(noArbitrageBounds({ ...base, type: 'put', settlement: 'linear' })).toEqual({ lower: 0, upper: 90 * df });
    expect(noArbitrageBounds({ ...base, rate: 0, type: 'call', settlement: 'inverse' })).toEqual({ lower: 0.1, upper: 1 });
    expect(noArbitrageBounds({ ...base, strike: 150, rate: 0, type: 'put', settlement: 'inverse' })).toEqual({ lower: 0.5, upper: 1.5 });
  });
});

describe('cleanQuotes on the real 2026-02-04 BTC chain', () => {
  const btc = parseDeribitSnapshotCsv(readFixture(snapshotPath('20260204T213308Z'))).rows.filter((q) => q.underlying === 'BTC');

  it('default rules: counts match independent tallies and the recorded figures', () => {
    const r = cleanQuotes(btc);
    // independent tallies of the first two rules in the order they are applied
    const shortDated = btc.filter((q) => q.expiry * 8760 < 24);
    const oneSided = btc.filter((q) => q.expiry * 8760 >= 24 && (q.bid === null || q.ask === null || q.ask === 0));
    expect(r.report.byRule['too-close-to-expiry']).toBe(shortDated.length);
    expect(r.report.byRule['one-sided']).toBe(oneSided.length);
    // recorded figures (see the market-layer report): 804 quotes → 704 accepted
    expect(r.report).toEqual({
      total: 804,
      accepted: 704,
      fallback: 0,
      rejected: 100,
      byRule: {
        'too-close-to-expiry': 38, stale: 0, 'quote-after-as-of': 0, 'one-sided': 33, 'zero-bid': 0, crossed: 0,
        'outside-bounds': 20, 'spread-too-wide': 9, 'in-the-money': 0,
      },
    });
    expect(Object.values(r.report.byRule).reduce((a, b) => a + b, 0)).toBe(r.report.rejected);
    // every accepted quote really is inside its coin bounds and two-sided
    for (const q of r.accepted) {
      const { lower, upper } = noArbitrageBounds(q);
      const mid = ((q.bid as number) + (q.ask as number)) / 2;
      expect(mid >= lower && mid <= upper && (q.bid as number) > 0).toBe(true);
    }
  });

  it('the outside-bounds quotes are deep in the money (mid below coin intrinsic)', () => {
    const r = cleanQuotes(btc);
    const ob = r.rejected.filter((x) => x.rule === 'outside-bounds');
    expect(ob.length).toBe(20);
    for (const { quote: q } of ob) {
      const itm = q.type === 'call' ? q.strike < q.forward : q.strike > q.forward;
      expect(itm).toBe(true);
    }
  });
});
