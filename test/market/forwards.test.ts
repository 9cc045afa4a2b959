import { describe, expect, it } from 'vitest';
import * as aq from 'arquero';
import { black76Price } from '../../src/pricing/index.ts';
import { createRng } from '../../src/math/index.ts';
import {
  estimateForwardByParity, groupByExpiry, parseCboeQuoteTableCsv, parseDeribitSnapshotCsv, resolveForwards,
  summarizeForwards, type ForwardEstimate, type UnresolvedOptionQuote,
} from '../../src/market/index.ts';
import { readFixture, snapshotPath } from './fixtures.ts';

const AS_OF = Date.UTC(2026, 0, 1);

/** A synthetic chain with a known forward and rate; prices from Black-76 with a smile; optional seeded noise. */
function syntheticChain(opts: { F: number; r: number; T: number; noise: number; settlement: 'linear' | 'inverse'; seed: string }): UnresolvedOptionQuote[] {
  const rng = createRng(opts.seed);
  const quotes: UnresolvedOptionQuote[] = [];
  for (let k = 0.7; k <= 1.3001; k += 0.025) {
    const K = Math.round(opts.F * k);
    for (const type of ['call', 'put'] as const) {
      const vol = 0.5 + 0.4 * Math.log(K / opts.F) ** 2 - 0.1 * Math.log(K / opts.F);
      const usd = black76Price({ forward: opts.F, strike: K, expiry: opts.T, rate: opts.r, vol, type });
      const px = opts.settlement === 'inverse' ? usd / opts.F : usd;
      const mid = px * (1 + opts.noise * (2 * rng.nextFloat64() - 1));
      const half = Math.max(px * 0.01, opts.settlement === 'inverse' ? 1e-4 : 0.05);
      quotes.push(Object.freeze({
        underlying: 'SYN', instrument: `SYN-${K}-${type}`, expiryTimestampMs: AS_OF + opts.T * 365 * 86_400_000, expiry: opts.T,
        asOfMs: AS_OF, strike: K, type, bid: mid - half, ask: mid + half, settlement: opts.settlement,
        currency: opts.settlement === 'inverse' ? 'SYN' : 'USD', quoteTimestampMs: AS_OF, forward: null, rate: null,
      }));
    }
  }
  return quotes;
}

const asEstimate = (x: ReturnType<typeof estimateForwardByParity>): ForwardEstimate => {
  if ('reason' in x) throw new Error(`expected an estimate, got ${x.reason}`);
  return x;
};

describe('estimateForwardByParity on synthetic quotes', () => {
  it('recovers F and DF exactly from noiseless USD quotes (parity holds for any smile)', () => {
    const e = asEstimate(estimateForwardByParity(syntheticChain({ F: 4321.5, r: 0.045, T: 0.75, noise: 0, settlement: 'linear', seed: 'a' })));
    expect(e.method).toBe('parity-regression');
    expect(e.forward).toBeCloseTo(4321.5, 8);
    expect(e.discountFactor).toBeCloseTo(Math.exp(-0.045 * 0.75), 12);
    expect(e.rate).toBeCloseTo(0.045, 10);
    expect(e.count).toBe(8);
    expect(e.residualRms).toBeLessThan(1e-9);
  });

  it('recovers F from noiseless coin quotes (C − P = DF (1 − K/F))', () => {
    const e = asEstimate(estimateForwardByParity(syntheticChain({ F: 70123, r: 0, T: 0.2, noise: 0, settlement: 'inverse', seed: 'b' })));
    expect(e.forward).toBeCloseTo(70123, 5);
    expect(e.discountFactor).toBeCloseTo(1, 12);
  });

  it('with 0.5 % seeded price noise the forward stays within 0.1 % and the residual reflects the noise', () => {
    for (const seed of ['n1', 'n2', 'n3']) {
      const e = asEstimate(estimateForwardByParity(syntheticChain({ F: 100, r: 0.02, T: 1, noise: 0.005, settlement: 'linear', seed })));
      expect(Math.abs(e.forward / 100 - 1)).toBeLessThan(1e-3);
      expect(e.residualRms).toBeGreaterThan(0);
      expect(e.residualRms).toBeLessThan(0.1);
    }
  });

  it('uses the pairs nearest the money by default and every pair with maxPairs = Infinity', () => {
    const chain = syntheticChain({ F: 100, r: 0, T: 0.5, noise: 0, settlement: 'linear', seed: 'c' });
    const near = asEstimate(estimateForwardByParity(chain));
    const strikes = [...new Set(chain.map((q) => q.strike))];
    const nearest8 = strikes.sort((a, b) => Math.abs(Math.log(a / 100)) - Math.abs(Math.log(b / 100))).slice(0, 8).sort((a, b) => a - b);
    expect(nearest8).toEqual([93, 95, 98, 100, 103, 105, 108, 110]);
    expect(near.strikesUsed).toEqual(nearest8);
    expect(asEstimate(estimateForwardByParity(chain, { maxPairs: Infinity })).count).toBe(25);
  });

  it('falls back clearly: one pair → fixed rate; no pair or no fallback rate → failure; implausible DF → fixed rate', () => {
    const chain = syntheticChain({ F: 100, r: 0.01, T: 0.5, noise: 0, settlement: 'linear', seed: 'd' });
    const onePair = chain.filter((q) => q.strike === 103);
    const e = asEstimate(estimateForwardByParity(onePair, { fallbackRate: 0.01 }));
    expect(e).toMatchObject({ method: 'parity-fixed-rate', fallbackReason: 'one-pair', count: 1, residualRms: 0 });
    expect(e.forward).toBeCloseTo(100, 9);
    expect(estimateForwardByParity(onePair, { fallbackRate: null })).toMatchObject({ reason: 'no-parity-pairs', droppedQuotes: 2 });
    expect(estimateForwardByParity(chain.filter((q) => q.type === 'call'))).toMatchObject({ reason: 'no-parity-pairs' });
    // two pairs whose C − P increases with K: DF = −slope < 0
    const twisted = chain.filter((q) => q.strike === 98 || q.strike === 103).map((q) =>
      q.strike === 103 && q.type === 'call' ? { ...q, bid: (q.bid as number) + 20, ask: (q.ask as number) + 20 } : q);
    expect(asEstimate(estimateForwardByParity(twisted))).toMatchObject({ method: 'parity-fixed-rate', fallbackReason: 'implausible-discount-factor' });
    expect(estimateForwardByParity(twisted, { fallbackRate: null })).toMatchObject({ reason: 'implausible-discount-factor' });
  });
});

describe('put-call parity on the SPX 2011-01-24 chain against pyql', () => {
  const { rows } = parseCboeQuoteTableCsv(readFixture('spx_2011/SPX-Options-24jan2011.csv'));
  // pyql's processed file (published output): one Fwd per expiry, dated one month early (SOURCES.md §3).
  const pyql = aq.fromCSV(readFixture('spx_2011/df_options_SPX_24jan2011.csv')).objects() as { dtExpiry: Date | string; Fwd: number }[];
  const pyqlFwd = new Map<string, number>();
  for (const o of pyql) {
    const d = new Date(o.dtExpiry);
    const trueSaturday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
    pyqlFwd.set(trueSaturday.toISOString().slice(0, 10), o.Fwd);
  }
  // pyql used SPX monthlies only (its symbol regex) with bid > 0 and ask > 0, every strike, plain OLS
  const monthlies = groupByExpiry(rows.filter((q) => /^SPX\d/.test(q.instrument)));
  const saturdayOf = (ms: number) => new Date(ms + 86_400_000).toISOString().slice(0, 10);

  it('has the 8 pyql expiries (2011-04-16 … 2013-12-21)', () => {
    expect([...pyqlFwd.keys()].sort()).toEqual(['2011-04-16', '2011-05-21', '2011-06-18', '2011-09-17', '2011-12-17', '2012-06-16', '2012-12-22', '2013-12-21']);
  });

  it('all-pairs equal-weight regression reproduces pyql Fwd to 1e-9 relative', () => {
    let matched = 0;
    for (const g of monthlies) {
      const ref = pyqlFwd.get(saturdayOf(g[0]?.expiryTimestampMs as number));
      if (ref === undefined) continue;
      const e = asEstimate(estimateForwardByParity(g, { maxPairs: Infinity, weighting: 'equal' }));
      expect(Math.abs(e.forward / ref - 1)).toBeLessThan(1e-9);
      matched++;
    }
    expect(matched).toBe(8);
  });

  it('the default near-ATM fit stays within 0.05 % of pyql, with small residuals and plausible rates', () => {
    for (const g of monthlies) {
      const ref = pyqlFwd.get(saturdayOf(g[0]?.expiryTimestampMs as number));
      if (ref === undefined) continue;
      const e = asEstimate(estimateForwardByParity(g));
      expect(e.method).toBe('parity-regression');
      expect(Math.abs(e.forward / ref - 1)).toBeLessThan(5e-4);
      expect(e.residualRms).toBeLessThan(0.5); // index points; quoted spreads are 0.5–4 points
      expect(Math.abs(e.rate)).toBeLessThan(0.05);
    }
  });

  it('resolveForwards fills forward and rate for every expiry with pairs and reports the one without (2011-10-22, 1 strike line)', () => {
    const res = resolveForwards(rows);
    expect(res.forwards).toHaveLength(15);
    expect(res.failures).toEqual([{ underlying: 'SPX', expiryTimestampMs: Date.parse('2011-10-21T13:30:00Z'), reason: 'no-parity-pairs', droppedQuotes: 2 }]);
    expect(res.quotes).toHaveLength(1918);
    expect(res.quotes.every((q) => q.forwardSource === 'put-call-parity' && q.forward > 1200 && q.forward < 1300)).toBe(true);
    // forwards decline with maturity (dividend yield above the 2011 rate)
    const byExpiry = [...res.forwards].sort((a, b) => a.expiryTimestampMs - b.expiryTimestampMs);
    expect(byExpiry[0]?.forward).toBeGreaterThan(byExpiry.at(-1)?.forward as number);
  });

  it('resolveForwards keeps given forwards and rates', () => {
    const given = rows.slice(0, 4).map((q) => ({ ...q, forward: 1291, rate: 0.001 }));
    const res = resolveForwards(given);
    expect(res.quotes.map((q) => [q.forward, q.rate, q.forwardSource])).toEqual(Array(4).fill([1291, 0.001, 'input']));
    expect(res.forwards[0]).toMatchObject({ method: 'input', forward: 1291, count: 4 });
  });
});

describe('forwards of a Deribit snapshot', () => {
  const { rows } = parseDeribitSnapshotCsv(readFixture(snapshotPath('20260204T213308Z')));

  it('venue summary: 12 expiries per coin, forwards drift only slightly during the snapshot', () => {
    const f = summarizeForwards(rows);
    expect(f).toHaveLength(24);
    for (const e of f) {
      expect(e.method).toBe('venue');
      expect(e.forwardMin as number).toBeLessThanOrEqual(e.forward);
      expect(e.forwardMax as number).toBeGreaterThanOrEqual(e.forward);
      expect((e.forwardMax as number) / (e.forwardMin as number) - 1).toBeLessThan(1e-3);
    }
  });

  it('parity on the coin quotes agrees with the venue forward to within 10 bp on every expiry (calm snapshot)', () => {
    const venue = new Map(summarizeForwards(rows).map((e) => [`${e.underlying}|${e.expiryTimestampMs}`, e.forward]));
    for (const g of groupByExpiry(rows)) {
      const e = asEstimate(estimateForwardByParity(g));
      const v = venue.get(`${e.underlying}|${e.expiryTimestampMs}`) as number;
      expect(Math.abs(e.forward / v - 1)).toBeLessThan(1e-3);
    }
  });
});
