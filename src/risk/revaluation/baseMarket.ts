/** Base-market input checks and look-ups of revaluation (pure). */
import { VolSurface } from '../../surface/index.ts';
import { RiskInputError } from '../portfolio/errors.ts';
import { STABLECOINS, type BaseMarket, type UnderlyingMarket } from './types.ts';

/** A finite number > 0. */
export const finitePositive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Checks a base market's fields; throws RiskInputError naming `market.<asset>.<field>`. */
export function checkBaseMarket(market: BaseMarket): void {
  if (market === null || typeof market !== 'object') throw new RiskInputError('market', market, 'expected an object of asset -> market');
  for (const [asset, m] of Object.entries(market)) {
    const f = `market.${asset}`;
    if (m === null || typeof m !== 'object') throw new RiskInputError(f, m, 'expected an object');
    if (!finitePositive(m.spot)) throw new RiskInputError(`${f}.spot`, m.spot, 'expected a finite spot > 0');
    for (const key of ['rate', 'carry'] as const) {
      const v = m[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) throw new RiskInputError(`${f}.${key}`, v, 'expected a finite number');
    }
    if (m.perpetual !== undefined && !finitePositive(m.perpetual)) throw new RiskInputError(`${f}.perpetual`, m.perpetual, 'expected a finite price > 0');
    if (m.vol !== undefined && !(m.vol instanceof VolSurface) && !(typeof m.vol === 'number' && Number.isFinite(m.vol) && m.vol >= 0)) {
      throw new RiskInputError(`${f}.vol`, m.vol, 'expected a flat vol >= 0 or a VolSurface');
    }
    (m.forwards ?? []).forEach((x, i) => {
      if (!Number.isFinite(x?.expiryTimestampMs)) throw new RiskInputError(`${f}.forwards[${i}].expiryTimestampMs`, x?.expiryTimestampMs, 'expected epoch ms');
      if (!finitePositive(x.forward)) throw new RiskInputError(`${f}.forwards[${i}].forward`, x.forward, 'expected a finite forward > 0');
    });
  }
}

/** Market of an asset, with the stablecoin default (spot 1); undefined when none. */
export function marketOf(market: BaseMarket, asset: string): UnderlyingMarket | undefined {
  const m = Object.prototype.hasOwnProperty.call(market, asset) ? market[asset] : undefined;
  if (m !== undefined) return m;
  return STABLECOINS.has(asset) ? { spot: 1 } : undefined;
}

