/**
 * Resolution of a portfolio-margin book into legs (pure): each position's instrument parsed once, checked to settle
 * in the margined currency, and given what revaluation needs: the forward, the base implied vol (the mark's `iv`,
 * else implied from its `markPrice`), the time to expiry (years ACT/365 from `asOf` to 08:00 UTC of the expiry), the
 * base value and the delta per unit.
 *
 * Units: quantities in the underlying coin (the venue's "size in base currency"); inverse option marks in coin,
 * linear (USDC/USDT) marks in the settlement currency (taken as USD); forwards and index in USD. Deltas per unit are
 * coin deltas: 1 for perpetuals and futures; for inverse options the venue's net (price-adjusted) delta
 * theta Phi(theta d1) - price_coin (methods.md §2.3, `inverseOptionGreeks`); for linear options the Black-76 delta.
 */
import {
  MS_PER_YEAR_ACT365, parseIsoDateTimeUtc, tryParseInstrumentName, InstrumentNameError, type Instrument,
} from '../../../market/index.ts';
import {
  black76Greeks, impliedVolBlack76, impliedVolInverse, inverseOptionGreeks, type OptionType,
} from '../../../pricing/index.ts';
import { MarginInputError } from '../../measures/index.ts';

/** A position as given: instrument name and signed quantity (coin). */
export interface PmPosition {
  readonly instrument: string;
  readonly quantity: number;
}

/** Market data of one instrument: `markPrice` (coin for inverse options, else the settlement currency / USD). */
export interface PmMark {
  readonly markPrice?: number;
  /** Forward of the expiry (the venue's `underlying_price`), USD; default the index price. */
  readonly forward?: number;
  /** Mark implied vol, annualised decimal (0.55 = 55 %). */
  readonly iv?: number;
}

/** One resolved position (quantities of the same instrument summed). */
export interface PmLeg {
  readonly instrument: Instrument;
  readonly name: string;
  readonly quantity: number;
  readonly underlying: string;
  readonly inverse: boolean;
  readonly kind: 'option' | 'future' | 'perpetual';
  /** Expiry instant (epoch ms) for options and futures. */
  readonly expiryMs?: number;
  /** Years ACT/365 to expiry (0 for perpetuals). */
  readonly expiry: number;
  /** Forward (options, linear futures/perpetuals: their price), USD. */
  readonly forward: number;
  readonly strike: number;
  readonly type: OptionType | undefined;
  /** Base implied vol (options), else NaN. */
  readonly vol: number;
  /** Delta per unit, coin (see the module comment). */
  readonly deltaPerUnit: number;
}

/** Epoch ms of `asOf` (epoch ms number or ISO-8601 date-time with offset). */
export function asOfMs(asOf: number | string): number {
  if (typeof asOf === 'number' && Number.isFinite(asOf)) return asOf;
  if (typeof asOf === 'string') {
    const ms = parseIsoDateTimeUtc(asOf);
    if (ms !== null) return ms;
  }
  throw new MarginInputError('asOf', asOf, 'expected epoch milliseconds or an ISO-8601 date-time with offset');
}

/** Index price (USD) of `underlying`: the number itself, or the map's entry. */
export function indexOf(indexPrice: number | Readonly<Record<string, number>>, underlying: string): number {
  const v = typeof indexPrice === 'number' ? indexPrice : indexPrice[underlying];
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
    throw new MarginInputError(typeof indexPrice === 'number' ? 'indexPrice' : `indexPrice.${underlying}`, v, 'expected a positive USD index price');
  }
  return v;
}

function positiveOr(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new MarginInputError(field, value, 'expected a positive finite number');
  return value;
}

/** Resolves `positions` of a book margined in `currency`; see the module comment. */
export function resolveLegs(
  currency: string,
  positions: readonly PmPosition[],
  marks: Readonly<Record<string, PmMark>>,
  indexPrice: number | Readonly<Record<string, number>>,
  nowMs: number,
): PmLeg[] {
  if (!Array.isArray(positions)) throw new MarginInputError('positions', positions, 'expected an array of { instrument, quantity }');
  const totals = new Map<string, { q: number; at: number }>();
  positions.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || typeof p.instrument !== 'string') {
      throw new MarginInputError(`positions[${i}].instrument`, p?.instrument, 'expected an instrument name');
    }
    if (typeof p.quantity !== 'number' || !Number.isFinite(p.quantity)) {
      throw new MarginInputError(`positions[${i}].quantity`, p.quantity, 'expected a finite signed quantity');
    }
    const prev = totals.get(p.instrument);
    totals.set(p.instrument, { q: (prev?.q ?? 0) + p.quantity, at: prev?.at ?? i });
  });
  const legs: PmLeg[] = [];
  for (const [name, { q, at }] of totals) {
    const field = `positions[${at}].instrument`;
    const inst = tryParseInstrumentName(name);
    if (inst instanceof InstrumentNameError) throw new MarginInputError(field, name, inst.reason);
    if (inst.kind === 'spot') throw new MarginInputError(field, name, 'spot holdings are collateral, not portfolio-margin positions');
    if (inst.settlementCurrency.toUpperCase() !== currency.toUpperCase()) {
      throw new MarginInputError(field, name, `settles in ${inst.settlementCurrency}, not in the margined currency ${currency}`);
    }
    const index = indexOf(indexPrice, inst.underlying);
    const mark = marks[name];
    const inverse = inst.settlement === 'inverse';
    let expiryMs: number | undefined;
    let expiry = 0;
    if (inst.kind !== 'perpetual') {
      expiryMs = inst.expiryTimestampMs;
      expiry = (expiryMs - nowMs) / MS_PER_YEAR_ACT365;
      if (!(expiry > 0)) throw new MarginInputError(field, name, `expired: expiry ${new Date(expiryMs).toISOString()} is not after asOf`);
    }
    const common = { instrument: inst, name, quantity: q, underlying: inst.underlying, inverse, expiry, ...(expiryMs === undefined ? {} : { expiryMs }) };
    if (inst.kind !== 'option') {
      // inverse: coin P&L q m / (1 + m) needs no price; linear: the contract's price (mark, else forward, else index)
      const price = inverse ? index : positiveOr(mark?.markPrice ?? mark?.forward, index, `marks.${name}.markPrice`);
      legs.push(Object.freeze({ ...common, kind: inst.kind, forward: price, strike: Number.NaN, type: undefined, vol: Number.NaN, deltaPerUnit: 1 }));
      continue;
    }
    if (mark === undefined) throw new MarginInputError(`marks.${name}`, mark, 'an option needs a mark with iv or markPrice');
    const forward = positiveOr(mark.forward, index, `marks.${name}.forward`);
    let vol: number;
    if (mark.iv !== undefined) {
      if (!(mark.iv >= 0) || !Number.isFinite(mark.iv)) throw new MarginInputError(`marks.${name}.iv`, mark.iv, 'expected an implied vol >= 0 (annualised decimal)');
      vol = mark.iv;
    } else {
      const price = mark.markPrice;
      if (typeof price !== 'number') throw new MarginInputError(`marks.${name}.markPrice`, price, 'an option needs iv or markPrice');
      try {
        vol = inverse
          ? impliedVolInverse({ priceCoin: price, forward, strike: inst.strike, expiry, type: inst.type })
          : impliedVolBlack76({ price, forward, strike: inst.strike, expiry, rate: 0, type: inst.type });
      } catch (e) {
        throw new MarginInputError(`marks.${name}.markPrice`, price, `no implied vol: ${(e as Error).message}`);
      }
    }
    const deltaPerUnit = inverse
      ? inverseOptionGreeks({ forward, strike: inst.strike, expiry, vol, type: inst.type }).delta
      : black76Greeks({ forward, strike: inst.strike, expiry, rate: 0, vol, type: inst.type }).delta;
    legs.push(Object.freeze({ ...common, kind: 'option' as const, forward, strike: inst.strike, type: inst.type, vol, deltaPerUnit }));
  }
  return legs;
}
