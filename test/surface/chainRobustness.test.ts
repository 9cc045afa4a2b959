/**
 * fitChainSurface on degenerate inputs built from the real 2026-02-04 BTC chain: too few quotes, one-sided quotes
 * only, absurd vols, one strike per expiry, nothing at all; fallbacks from a previous calibration; bad options.
 * Every case must give flagged fallbacks or a failed status, never a crash and never a NaN.
 */
import { describe, expect, it } from 'vitest';
import {
  groupByExpiry, MS_PER_YEAR_ACT365, parseDeribitSnapshotCsv, prepareOptionQuotes, type QuoteWithIv,
} from '../../src/market/index.ts';
import { fitChainSurface, scanSurfaceArbitrage, type ChainSurfaceResult } from '../../src/surface/chain/index.ts';
import { previousSliceFallback } from '../../src/surface/chain/fallbackSlice.ts';
import type { ChainSliceData } from '../../src/surface/chain/chainSlices.ts';
import { SurfaceDomainError, VolSurface, sliceRawParams, sviTotalVariance } from '../../src/surface/index.ts';
import { readFixture, snapshotPath } from '../market/fixtures.ts';

const prepared = prepareOptionQuotes(
  parseDeribitSnapshotCsv(readFixture(snapshotPath('20260204T213308Z'))).rows.filter((q) => q.underlying === 'BTC'),
  { otmOnly: true, keepOneSided: true },
);
const quotes = prepared.quotes;
const groups = groupByExpiry(quotes).sort((a, b) => a[0]!.expiry - b[0]!.expiry);

function hasNaN(x: unknown, seen = new Set<unknown>()): boolean {
  if (typeof x === 'number') return Number.isNaN(x);
  if (x === null || typeof x !== 'object' || seen.has(x)) return false;
  seen.add(x);
  if (typeof (x as { toJSON?: unknown }).toJSON === 'function' && !Array.isArray(x)) return hasNaN((x as { toJSON(): unknown }).toJSON(), seen);
  return Object.values(x as object).some((v) => hasNaN(v, seen));
}

function expectArbitrageFree(r: ChainSurfaceResult): void {
  expect(r.surface).not.toBeNull();
  expect(r.arbitrage.butterfly.arbitrage).toBe(false);
  expect(r.arbitrage.calendar.violationsAfter).toEqual([]);
  expect(scanSurfaceArbitrage(r.surface!, { kMax: 10 }).arbitrage).toBe(false);
}

describe('fitChainSurface: degenerate expiries inside a real chain', () => {
  // expiry 4 keeps 2 quotes, expiry 6 has only one-sided quotes (its bids removed), expiry 7 has absurd mid vols
  const e2 = groups[3]![0]!.expiryTimestampMs;
  const eOne = groups[5]![0]!.expiryTimestampMs;
  const eAbsurd = groups[6]![0]!.expiryTimestampMs;
  const input: QuoteWithIv[] = [];
  let kept = 0;
  for (const q of quotes) {
    if (q.expiryTimestampMs === e2) {
      if (kept++ < 2) input.push(q);
    } else if (q.expiryTimestampMs === eAbsurd) {
      input.push({ ...q, ivMid: q.strike > q.forward ? 0 : 50 });
    } else if (q.expiryTimestampMs !== eOne) {
      input.push(q);
    }
  }
  const oneSided = quotes.filter((q) => q.expiryTimestampMs === eOne).map((q) => ({ ...q, bid: null }));
  const r = fitChainSurface(input, { oneSided });

  it('the three expiries are flagged fallbacks with the right failure codes; the others are fitted', () => {
    const bySlice = new Map(r.slices.map((s) => [s.expiryTimestampMs, s]));
    expect(r.slices).toHaveLength(groups.length);
    const code = (ts: number): string | undefined => r.failures.find((f) => f.expiryTimestampMs === ts)?.code;
    expect(code(e2)).toBe('too-few-quotes');
    expect(code(eOne)).toBe('one-sided-only');
    expect(code(eAbsurd)).toBe('too-few-quotes');
    for (const ts of [e2, eOne, eAbsurd]) {
      const s = bySlice.get(ts)!;
      expect(s.status).toBe('fallback');
      expect(s.source).toBe('flat-atm');
      expect(s.reasons.length).toBeGreaterThanOrEqual(2);
    }
    expect(bySlice.get(e2)!.fallbackLevel).toBe('quotes');
    expect(bySlice.get(eOne)!.fallbackLevel).toBe('one-sided-marks');
    expect(bySlice.get(eAbsurd)!.fallbackLevel).toBe('neighbours');
    expect(bySlice.get(eAbsurd)!.quotes.droppedAbsurdVol).toBe(groups[6]!.length);
    for (const s of r.slices) if (![e2, eOne, eAbsurd].includes(s.expiryTimestampMs)) expect(['ok', 'flagged']).toContain(s.status);
    expect(r.status).toBe('partial');
    expect(r.reason).toMatch(/3 fallback slices/);
  });

  it('the fallback levels: 2 quotes -> their ATM interpolation; one-sided -> venue mark IVs near the money', () => {
    const two = input.filter((q) => q.expiryTimestampMs === e2);
    const s2 = r.slices.find((s) => s.expiryTimestampMs === e2)!;
    const vols = two.map((q) => q.ivMid);
    // flat level from the two quotes (both on one side of the money: the nearest one), possibly lifted for the calendar
    expect(s2.reasons[1]).toMatch(/flat slice at ATM vol/);
    expect(Math.min(...vols) - 1e-9).toBeLessThanOrEqual(Number(/ATM vol ([0-9.]+)/.exec(s2.reasons[1]!)![1]));
    const sOne = r.slices.find((s) => s.expiryTimestampMs === eOne)!;
    const marks = oneSided.map((q) => ({ k: Math.abs(Math.log(q.strike / q.forward)), v: q.venueMarkIv! })).sort((p, q) => p.k - q.k);
    const level = Number(/ATM vol ([0-9.]+)/.exec(sOne.reasons[1]!)![1]);
    expect(Math.abs(level - marks[0]!.v)).toBeLessThan(0.02);
  });

  it('the surface stays free of butterfly and calendar arbitrage, with no NaN anywhere in the result', () => {
    expectArbitrageFree(r);
    expect(hasNaN(r)).toBe(false);
  });
});

describe('fitChainSurface: whole degenerate chains', () => {
  it('one strike per expiry: every expiry a flagged flat fallback at its quote vol, arbitrage-free', () => {
    const one = groups.map((g) => g.reduce((p, q) => (Math.abs(Math.log(q.strike / q.forward)) < Math.abs(Math.log(p.strike / p.forward)) ? q : p)));
    const r = fitChainSurface(one);
    expect(r.status).toBe('partial');
    expect(r.slices).toHaveLength(groups.length);
    expect(r.slices.every((s) => s.status === 'fallback' && s.fallbackLevel === 'quotes')).toBe(true);
    expect(r.failures.every((f) => f.code === 'too-few-quotes' && f.inSurface)).toBe(true);
    r.slices.forEach((s, i) => {
      // flat at the quote's mid vol: ATM total variance rises with T here, so the calendar repair leaves them alone
      expect(s.notes).toEqual([]);
      expect(s.atmVol).toBeCloseTo(one[i]!.ivMid, 12);
    });
    expectArbitrageFree(r);
    expect(hasNaN(r)).toBe(false);
  });

  it('only one-sided quotes: flat fallbacks at the venue mark ATM vols', () => {
    const r = fitChainSurface([], { oneSided: quotes.map((q) => ({ ...q, ask: null })) });
    expect(r.slices.every((s) => s.status === 'fallback' && s.fallbackLevel === 'one-sided-marks')).toBe(true);
    expect(r.failures.every((f) => f.code === 'one-sided-only')).toBe(true);
    expectArbitrageFree(r);
  });

  it('zero vols everywhere, and no quote at all: status failed, no surface, failures listed, no crash', () => {
    const zero = fitChainSurface(quotes.map((q) => ({ ...q, ivMid: 0 })));
    expect(zero.status).toBe('failed');
    expect(zero.surface).toBeNull();
    expect(zero.failures).toHaveLength(groups.length);
    expect(zero.failures.every((f) => !f.inSurface && f.code === 'too-few-quotes')).toBe(true);
    expect(hasNaN(zero)).toBe(false);
    const empty = fitChainSurface([]);
    expect(empty.status).toBe('failed');
    expect(empty.slices).toEqual([]);
    expect(empty.reason).toMatch(/no quotes/);
  });

  it('absurd vols in some quotes only are dropped and counted; the expiry is still fitted', () => {
    const g = groups[7]!;
    const bad = new Set([g[0]!.instrument, g[1]!.instrument]);
    const r = fitChainSurface(quotes.map((q) => (bad.has(q.instrument) ? { ...q, ivMid: 9 } : q)));
    const s = r.slices.find((x) => x.expiryTimestampMs === g[0]!.expiryTimestampMs)!;
    expect(s.quotes.droppedAbsurdVol).toBe(2);
    expect(s.quotes.used).toBe(g.length - 2);
    expect(['ok', 'flagged']).toContain(s.status);
  });
});

describe('fallback from a previous calibration', () => {
  it('an expiry with 2 quotes takes the previous slice of the same expiry instant, vols in k kept', () => {
    const previous = fitChainSurface(quotes);
    const target = groups[7]![0]!.expiryTimestampMs;
    let n = 0;
    const r = fitChainSurface(quotes.filter((q) => q.expiryTimestampMs !== target || n++ < 2), { previous });
    const s = r.slices.find((x) => x.expiryTimestampMs === target)!;
    expect(s.status).toBe('fallback');
    expect(s.source).toBe('previous-slice');
    expect(s.fallbackLevel).toBe('previous-slice');
    const p = previous.slices.find((x) => x.expiryTimestampMs === target)!;
    // same as-of: the previous slice itself (it already fits between its neighbours, so the repair leaves it alone)
    expect(s.notes).toEqual([]);
    for (const k of [-0.5, 0, 0.4]) expect(r.surface!.impliedVol(s.expiry, k)).toBeCloseTo(previous.surface!.impliedVol(p.expiry, k), 12);
    expectArbitrageFree(r);
  });

  it('previousSliceFallback rescales total variance by T_now / T_then, keeping the implied vol at every k', () => {
    const asOf = Date.UTC(2026, 1, 4, 21, 33);
    const expiryTs = Date.UTC(2026, 2, 27, 8);
    const params = { a: 0.01, b: 0.1, rho: -0.4, m: 0.05, sigma: 0.2 };
    const tThen = (expiryTs - (asOf - 86_400_000)) / MS_PER_YEAR_ACT365;
    const tNow = (expiryTs - asOf) / MS_PER_YEAR_ACT365;
    const previous = { asOfMs: asOf - 86_400_000, slices: [{ expiryTimestampMs: expiryTs, expiry: tThen, model: { kind: 'svi' as const, params } }] };
    const slice = { expiryTimestampMs: expiryTs, expiry: tNow } as ChainSliceData;
    const scaled = previousSliceFallback(previous, slice, 6)!;
    for (const k of [-1, -0.2, 0, 0.3, 1.2]) {
      expect(Math.sqrt(sviTotalVariance(scaled, k) / tNow)).toBeCloseTo(Math.sqrt(sviTotalVariance(params, k) / tThen), 13);
    }
    expect(previousSliceFallback(previous, { ...slice, expiryTimestampMs: expiryTs + 1 }, 6)).toBeNull();
    expect(sliceRawParams(previous.slices[0]!.model)).toBe(params);
  });
});

describe('fitChainSurface: input checks', () => {
  it('bad options and mixed chains raise SurfaceDomainError naming the field', () => {
    const cases: [Parameters<typeof fitChainSurface>[1], string][] = [
      [{ weights: 'price' as never }, 'options.weights'],
      [{ calendar: 'sometimes' as never }, 'options.calendar'],
      [{ minQuotes: 2.5 }, 'options.minQuotes'],
      [{ volBounds: [1, 0.5] }, 'options.volBounds'],
      [{ spreadFloor: 0 }, 'options.spreadFloor'],
      [{ scanKMax: 1 }, 'options.scanKMax'],
      [{ spot: -1 }, 'options.spot'],
    ];
    for (const [options, field] of cases) {
      const run = (): unknown => fitChainSurface(quotes.slice(0, 10), options);
      expect(run).toThrow(SurfaceDomainError);
      try {
        run();
      } catch (e) {
        expect((e as SurfaceDomainError).field).toBe(field);
      }
    }
    const mixed = [...quotes.slice(0, 3), { ...quotes[3]!, underlying: 'ETH' }];
    expect(() => fitChainSurface(mixed)).toThrow(/quotes\[3\]\.underlying/);
    expect(() => fitChainSurface([...quotes.slice(0, 3), { ...quotes[3]!, asOfMs: 0 }])).toThrow(/quotes\[3\]\.asOfMs/);
  });

  it("calendar policy 'essvi': the global eSSVI fit, calendar-free by construction; the VolSurface round-trips through JSON", () => {
    const r = fitChainSurface(quotes, { calendar: 'essvi' });
    expect(r.arbitrage.calendar.method).toBe('essvi');
    expect(r.slices.every((s) => s.model.kind === 'essvi' && s.source === 'essvi')).toBe(true);
    expectArbitrageFree(r);
    const back = VolSurface.fromJSON(JSON.parse(JSON.stringify(r.surface)));
    for (const t of r.surface!.expiries()) expect(back.impliedVol(t, 0.1)).toBe(r.surface!.impliedVol(t, 0.1));
    console.log(`eSSVI policy on 2026-02-04 BTC: inside bid-ask ${r.statistics.insideBidAskShare?.toFixed(4)}, RMSE ${r.statistics.rmseVolPoints?.toFixed(2)} vol pts`);
  });
});
