/**
 * A base market from a snapshot universe (pure): per coin the index as spot, the expiries' forwards, the perpetual
 * mark, r = 0 (the venue's convention for coin-settled options), and a VolSurface from the venue's mark vols:
 * - `atm`: a flat smile per expiry at the expiry's ATM mark vol (SVI with b = 0), total variance interpolated in T;
 * - `svi`: a raw SVI slice per expiry fitted (fitSviSlice, butterfly enforced) to the out-of-the-money mark vols, k =
 *   ln(K/F), w = vol^2 T; an expiry whose fit is not `ok` keeps the flat ATM slice.
 * For tests and benchmarks on fixture books; production surfaces come from the surface layer's chain fits.
 */
import { VolSurface, fitSviSlice, type VolSurfaceSliceInput } from '../../surface/index.ts';
import type { InstrumentUniverse, UniverseExpiry } from '../portfolio/synthetic/universe.ts';
import type { BaseMarket, UnderlyingMarket } from './types.ts';

/** Options of {@link baseMarketFromUniverse}. */
export interface UniverseMarketOptions {
  /** Default `atm`. */
  readonly smile?: 'atm' | 'svi';
}

function slice(e: UniverseExpiry, smile: 'atm' | 'svi'): VolSurfaceSliceInput {
  const atm = { expiry: e.expiry, forward: e.forward, model: { kind: 'svi' as const, params: { a: e.atmVol * e.atmVol * e.expiry, b: 0, rho: 0, m: 0, sigma: 0.1 } } };
  if (smile === 'atm') return atm;
  const k: number[] = [];
  const w: number[] = [];
  e.strikes.forEach((K, j) => {
    const v = e.otmMarkVols[j] as number;
    if (v > 0 && Number.isFinite(v)) {
      k.push(Math.log(K / e.forward));
      w.push(v * v * e.expiry);
    }
  });
  const fit = fitSviSlice({ k, w }, { enforceButterfly: true });
  if (fit.status !== 'ok' || fit.params === null) return atm;
  return { expiry: e.expiry, forward: e.forward, model: { kind: 'svi', params: fit.params }, kRange: fit.diagnostics.kRange };
}

/** The base market of every coin of `universe` (see the module comment). */
export function baseMarketFromUniverse(universe: InstrumentUniverse, options: UniverseMarketOptions = {}): BaseMarket {
  const smile = options.smile ?? 'atm';
  const out: Record<string, UnderlyingMarket> = {};
  for (const c of universe.coins) {
    const expiries = c.expiries.filter((e) => e.atmVol > 0 && Number.isFinite(e.atmVol));
    out[c.coin] = Object.freeze({
      spot: c.index,
      rate: 0,
      perpetual: c.perpetualMark,
      forwards: Object.freeze(c.expiries.map((e) => Object.freeze({ expiryTimestampMs: e.expiryTimestampMs, forward: e.forward }))),
      vol: VolSurface.create(expiries.map((e) => slice(e, smile)), { spot: c.index }),
    });
  }
  return Object.freeze(out);
}
