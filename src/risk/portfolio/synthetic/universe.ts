/**
 * The instrument universe of a venue snapshot (pure): per coin, the index, the perpetual and its mark, and per expiry
 * the forward, the listed dated future (if any) and the listed call and put strikes with their mark vols. The
 * synthetic book generator draws only from it, so every generated name exists in the snapshot.
 */
import type { FuturesMark, OptionQuote } from '../../../market/index.ts';
import { RiskInputError } from '../errors.ts';

/** One expiry of a coin. */
export interface UniverseExpiry {
  /** 08:00 UTC, epoch ms. */
  readonly expiryTimestampMs: number;
  /** Years ACT/365 from the snapshot. */
  readonly expiry: number;
  /** Median forward (USD) of the expiry's option rows. */
  readonly forward: number;
  /** Listed dated future of this expiry, or null (synthetic forward only). */
  readonly future: string | null;
  /** Ascending listed strikes with both a call and a put. */
  readonly strikes: readonly number[];
  /** Option instrument names by strike: [call, put]. */
  readonly names: ReadonlyMap<number, readonly [string, string]>;
  /** Median venue mark vol of the strike nearest the forward (annualised decimal). */
  readonly atmVol: number;
  /** Venue mark vol of the out-of-the-money option (put below the forward, call above) per strike; NaN when absent. */
  readonly otmMarkVols: readonly number[];
}

/** One coin of the universe. */
export interface UniverseCoin {
  readonly coin: string;
  /** Median index price (USD). */
  readonly index: number;
  /** `BTC-PERPETUAL`. */
  readonly perpetual: string;
  /** Perpetual mark (USD); the index when the snapshot has none. */
  readonly perpetualMark: number;
  /** Expiries in increasing order. */
  readonly expiries: readonly UniverseExpiry[];
}

/** The universe of one snapshot. */
export interface InstrumentUniverse {
  readonly asOfMs: number;
  readonly coins: readonly UniverseCoin[];
  /** Every listed instrument name (options, futures, perpetuals). */
  readonly listed: ReadonlySet<string>;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Builds the universe of `coins` from a snapshot's inverse option quotes, the dated futures marks and perpetual marks
 * of the same snapshot (already filtered to it by the caller). Throws RiskInputError when a coin has no options.
 */
export function instrumentUniverse(
  quotes: readonly OptionQuote[], futures: readonly FuturesMark[], perpetuals: readonly FuturesMark[], coins: readonly string[],
): InstrumentUniverse {
  const asOfMs = quotes[0]?.asOfMs;
  if (asOfMs === undefined) throw new RiskInputError('quotes', quotes, 'expected at least one option quote');
  const listed = new Set<string>();
  const out = coins.map((coin): UniverseCoin => {
    const qs = quotes.filter((q) => q.underlying === coin && q.settlement === 'inverse' && q.expiry > 0);
    if (qs.length === 0) throw new RiskInputError('coins', coin, 'no inverse option quotes for this coin');
    const byExpiry = new Map<number, OptionQuote[]>();
    for (const q of qs) {
      const list = byExpiry.get(q.expiryTimestampMs) ?? [];
      list.push(q);
      byExpiry.set(q.expiryTimestampMs, list);
    }
    const futureByExpiry = new Map<number, string>();
    for (const f of futures) {
      if (f.underlying === coin && f.kind === 'future' && f.expiryTimestampMs !== null && f.expiryTimestampMs > asOfMs) {
        futureByExpiry.set(f.expiryTimestampMs, f.instrument);
        listed.add(f.instrument);
      }
    }
    const expiries = [...byExpiry.keys()].sort((a, b) => a - b).map((ms): UniverseExpiry => {
      const list = byExpiry.get(ms) as OptionQuote[];
      const forward = median(list.map((q) => q.forward));
      const calls = new Map<number, string>();
      const puts = new Map<number, string>();
      for (const q of list) (q.type === 'call' ? calls : puts).set(q.strike, q.instrument);
      const strikes = [...calls.keys()].filter((k) => puts.has(k)).sort((a, b) => a - b);
      const names = new Map<number, readonly [string, string]>();
      for (const k of strikes) {
        const pair = [calls.get(k) as string, puts.get(k) as string] as const;
        names.set(k, pair);
        listed.add(pair[0]);
        listed.add(pair[1]);
      }
      const atmStrike = strikes.reduce((best, k) => (Math.abs(k - forward) < Math.abs(best - forward) ? k : best), strikes[0] ?? forward);
      const iv = new Map(list.map((q) => [`${q.type}|${q.strike}`, q.venueMarkIv ?? Number.NaN]));
      const otmMarkVols = strikes.map((k) => iv.get(`${k >= forward ? 'call' : 'put'}|${k}`) ?? Number.NaN);
      const atmVols = list.filter((q) => q.strike === atmStrike && q.venueMarkIv !== undefined).map((q) => q.venueMarkIv as number);
      return Object.freeze({
        expiryTimestampMs: ms, expiry: (list[0] as OptionQuote).expiry, forward, future: futureByExpiry.get(ms) ?? null,
        strikes: Object.freeze(strikes), names, atmVol: atmVols.length > 0 ? median(atmVols) : Number.NaN,
        otmMarkVols: Object.freeze(otmMarkVols),
      });
    }).filter((e) => e.strikes.length > 0);
    const perpetual = `${coin}-PERPETUAL`;
    listed.add(perpetual);
    const perp = perpetuals.find((p) => p.underlying === coin && p.kind === 'perpetual');
    const index = median(qs.filter((q) => q.index !== undefined).map((q) => q.index as number));
    return Object.freeze({ coin, index, perpetual, perpetualMark: perp?.price ?? index, expiries: Object.freeze(expiries) });
  });
  return Object.freeze({ asOfMs, coins: Object.freeze(out), listed });
}
