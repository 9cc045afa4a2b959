/**
 * Surfaces stage (pure): per underlying and side (before/after the incident), clean the snapshot's quotes (market
 * layer defaults plus out-of-the-money only, one-sided quotes kept for fallbacks), fit the chain surface
 * (fitChainSurface: per-expiry SVI, butterfly-free, calendar repaired) and build the base market revaluation needs
 * (index as spot, r = 0 as the venue does for coin-settled options, each expiry's forward, the perpetual mark, the
 * fitted surface). An underlying whose fit fails is a per-object failure: its options cannot be revalued, the
 * accounts holding them fail, the run is partial. A surface made only of fallback slices (no expiry fitted to its own
 * two-sided quotes: bids only, asks only, crossed or one strike per expiry) is kept for pricing but is also a failure.
 */
import { prepareOptionQuotes, type OptionQuote } from '../../../market/index.ts';
import type { BaseMarket, UnderlyingMarket } from '../../../risk/index.ts';
import { fitChainSurface, type ChainSurfaceResult } from '../../../surface/chain/index.ts';
import type { LoadedSnapshot } from '../inputs.ts';
import type { StageFailures } from '../failures.ts';

/** The fitted market of one side. */
export interface SideMarket {
  readonly side: 'before' | 'after';
  readonly file: string;
  /** Snapshot instant, UTC epoch ms (the side's valuation time). */
  readonly asOfMs: number;
  /** Index (USD) per underlying. */
  readonly index: Readonly<Record<string, number>>;
  readonly fits: Readonly<Record<string, ChainSurfaceResult>>;
  /** Quotes per underlying as cleaned (for the report's smiles). */
  readonly quotes: Readonly<Record<string, readonly OptionQuote[]>>;
  readonly market: BaseMarket;
  /** Cleaning counts per underlying. */
  readonly cleaning: Readonly<Record<string, { readonly received: number; readonly withIv: number; readonly rejected: number }>>;
}

/**
 * Why a surface that exists is still not a calibration to the market: not one of its expiries was fitted to its own
 * two-sided quotes (every slice is a fallback: flat at a level taken from one-sided marks, neighbours or a previous
 * calibration). Such a surface prices the book, so its accounts are margined, but the run is partial: its failure
 * lists where the levels came from. `null` when at least one expiry was fitted.
 */
export function unfittedSurface(fit: ChainSurfaceResult): string | null {
  if (fit.slices.length === 0 || fit.slices.some((s) => s.status !== 'fallback')) return null;
  const levels = new Map<string, number>();
  for (const s of fit.slices) levels.set(s.fallbackLevel ?? s.source, (levels.get(s.fallbackLevel ?? s.source) ?? 0) + 1);
  const from = [...levels].map(([k, n]) => `${n} from ${k}`).join(', ');
  return `no expiry fitted to two-sided quotes: all ${fit.slices.length} slices are fallbacks (${from})`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Fits one side's surfaces and builds its base market (see the module comment). */
export function fitSideMarket(
  snapshot: LoadedSnapshot, side: 'before' | 'after', underlyings: readonly string[], failures: StageFailures,
): SideMarket {
  const fits: Record<string, ChainSurfaceResult> = {};
  const quotesBy: Record<string, readonly OptionQuote[]> = {};
  const market: Record<string, UnderlyingMarket> = {};
  const index: Record<string, number> = {};
  const cleaning: Record<string, { received: number; withIv: number; rejected: number }> = {};
  for (const u of underlyings) {
    const raw = snapshot.quotes.filter((q) => q.underlying === u);
    const indices = raw.map((q) => q.index).filter((x): x is number => x !== undefined && Number.isFinite(x) && x > 0);
    if (raw.length === 0 || indices.length === 0) {
      failures.add('surfaces', `${u} ${side}`, `no ${u} option quotes with an index in ${snapshot.file}`);
      continue;
    }
    index[u] = median(indices);
    const prepared = prepareOptionQuotes(raw, { otmOnly: true, keepOneSided: true });
    cleaning[u] = { received: raw.length, withIv: prepared.quotes.length, rejected: prepared.rejected.length };
    quotesBy[u] = prepared.quotes;
    const fit = fitChainSurface(prepared.quotes, { oneSided: prepared.fallback.map((f) => f.quote) });
    fits[u] = fit;
    for (const f of fit.failures) {
      const object = `${u} ${side} ${new Date(f.expiryTimestampMs).toISOString().slice(0, 10)}`;
      // an expiry kept by a flagged fallback slice (or simply too close to expiry) is reported; one missing from the
      // surface is a failure (its options are then priced off the neighbouring slices' total variance)
      if (f.inSurface || f.code === 'expired') failures.note('surfaces', object, `${f.code}: ${f.detail}`);
      else failures.add('surfaces', object, `${f.code}: ${f.detail}`);
    }
    if (fit.surface === null) failures.add('surfaces', `${u} ${side}`, `surface fit failed: ${fit.reason ?? 'no surface'}`);
    else {
      const unfitted = unfittedSurface(fit);
      if (unfitted !== null) failures.add('surfaces', `${u} ${side}`, unfitted);
    }
    const byExpiry = new Map<number, number[]>();
    for (const q of raw) {
      if (!Number.isFinite(q.forward) || q.forward <= 0) continue;
      const list = byExpiry.get(q.expiryTimestampMs) ?? [];
      list.push(q.forward);
      byExpiry.set(q.expiryTimestampMs, list);
    }
    const forwards = [...byExpiry.entries()].sort((a, b) => a[0] - b[0])
      .map(([expiryTimestampMs, fs]) => Object.freeze({ expiryTimestampMs, forward: median(fs) }));
    const perp = snapshot.perpetuals.find((p) => p.instrument === `${u}-PERPETUAL`);
    market[u] = Object.freeze({
      spot: index[u] as number, rate: 0, forwards: Object.freeze(forwards),
      ...(perp === undefined ? {} : { perpetual: perp.price }),
      ...(fit.surface === null ? {} : { vol: fit.surface }),
    });
  }
  return Object.freeze({
    side, file: snapshot.file, asOfMs: snapshot.takenAtMs, index: Object.freeze(index), fits: Object.freeze(fits),
    quotes: Object.freeze(quotesBy), market: Object.freeze(market), cleaning: Object.freeze(cleaning),
  });
}
