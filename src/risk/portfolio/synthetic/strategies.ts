/**
 * Realistic option and futures books on a snapshot's real instruments (pure, seeded): the strategies that synthetic
 * accounts are made of. Each strategy draws from an InstrumentUniverse with a caller's Rng and returns positions and
 * collateral; nothing here reads a clock or Math.random.
 *
 * Sizes are lognormal in coin (median 1 BTC / 20 ETH, clamped, rounded to the venue's option lot: 0.1 BTC, 1 ETH);
 * futures and perpetual quantities are coin-equivalent notionals (USD notional in the venue's 10 / 1 USD contract
 * steps divided by the base mark, rounded to 1e-6); stablecoin collateral in whole units.
 */
import type { Rng } from '../../../math/index.ts';
import type { CollateralHolding, Position } from '../types.ts';
import type { UniverseCoin, UniverseExpiry } from './universe.ts';

/** What a strategy adds to an account. */
export interface StrategyLegs {
  readonly positions: readonly Position[];
  readonly collateral: readonly CollateralHolding[];
}

/** A strategy: legs on one coin. */
export type Strategy = (coin: UniverseCoin, rng: Rng) => StrategyLegs;

const DAY_YEARS = 1 / 365;

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.nextFloat64();
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.nextFloat64() * xs.length)] as T;
}

function isBtc(coin: UniverseCoin): boolean {
  return coin.coin === 'BTC';
}

/** Option lot size in coin. */
function lot(coin: UniverseCoin): number {
  return isBtc(coin) ? 0.1 : 1;
}

/** Lognormal coin size (median 1 BTC or 20 ETH, sigma 0.9), clamped to [1 lot, 200 / 5000] and rounded to lots. */
export function coinSize(coin: UniverseCoin, rng: Rng, scale = 1): number {
  const median = isBtc(coin) ? 1 : 20;
  const cap = isBtc(coin) ? 200 : 5000;
  const l = lot(coin);
  const raw = median * scale * Math.exp(0.9 * rng.nextNormal());
  const lots = Math.max(1, Math.round(Math.min(raw, cap) / l));
  return Number((lots * l).toFixed(1));
}

/** Coin-equivalent quantity of a futures/perpetual notional: USD in venue contract steps / mark, 1e-6. */
function notionalCoin(coin: UniverseCoin, coinQty: number, mark: number): number {
  const step = isBtc(coin) ? 10 : 1;
  const usd = Math.max(step, Math.round((coinQty * mark) / step) * step);
  return Math.round((usd / mark) * 1e6) / 1e6;
}

/** An expiry whose time to expiry lies in [minDays, maxDays] (the nearest one to the range when none does). */
export function pickExpiry(coin: UniverseCoin, rng: Rng, minDays: number, maxDays: number, filter: (e: UniverseExpiry) => boolean = () => true): UniverseExpiry {
  const pool = coin.expiries.filter(filter);
  const inRange = pool.filter((e) => e.expiry >= minDays * DAY_YEARS && e.expiry <= maxDays * DAY_YEARS);
  if (inRange.length > 0) return pick(rng, inRange);
  const mid = ((minDays + maxDays) / 2) * DAY_YEARS;
  return pool.reduce((best, e) => (Math.abs(e.expiry - mid) < Math.abs(best.expiry - mid) ? e : best), pool[0] ?? (coin.expiries[0] as UniverseExpiry));
}

/** The listed strike nearest `target`. */
export function strikeNear(e: UniverseExpiry, target: number): number {
  let best = e.strikes[0] as number;
  for (const k of e.strikes) if (Math.abs(k - target) < Math.abs(best - target)) best = k;
  return best;
}

function call(e: UniverseExpiry, k: number): string {
  return (e.names.get(k) as readonly [string, string])[0];
}

function put(e: UniverseExpiry, k: number): string {
  return (e.names.get(k) as readonly [string, string])[1];
}

const pos = (instrument: string, quantity: number): Position => ({ instrument, quantity });
const col = (asset: string, quantity: number): CollateralHolding => ({ asset, quantity });
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const stable = (rng: Rng): string => (rng.nextFloat64() < 0.7 ? 'USDC' : 'USDT');

/** Short OTM call against coin collateral. */
export const coveredCall: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng);
  const e = pickExpiry(coin, rng, 7, 95);
  const k = strikeNear(e, e.forward * uniform(rng, 1.05, 1.3));
  return { positions: [pos(call(e, k), -q)], collateral: [col(coin.coin, round4(q * uniform(rng, 1, 1.25)))] };
};

/** Long coin (spot position) with a long OTM put, stablecoin collateral. */
export const protectivePut: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng);
  const e = pickExpiry(coin, rng, 14, 180);
  const k = strikeNear(e, e.forward * uniform(rng, 0.75, 0.95));
  return { positions: [pos(coin.coin, q), pos(put(e, k), q)], collateral: [col(stable(rng), Math.round(q * coin.index * uniform(rng, 0.05, 0.3)))] };
};

/** Short OTM call and put of one expiry. */
export const shortStrangle: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng);
  const e = pickExpiry(coin, rng, 7, 60);
  const kc = strikeNear(e, e.forward * uniform(rng, 1.08, 1.25));
  const kp = strikeNear(e, e.forward * uniform(rng, 0.75, 0.92));
  const collateral = rng.nextFloat64() < 0.5
    ? [col(coin.coin, round4(q * uniform(rng, 0.3, 1)))]
    : [col(stable(rng), Math.round(q * coin.index * uniform(rng, 0.3, 1)))];
  return { positions: [pos(call(e, kc), -q), pos(put(e, kp), -q)], collateral };
};

/** Short ATM call and put of one expiry. */
export const shortStraddle: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng, 0.5);
  const e = pickExpiry(coin, rng, 7, 45);
  const k = strikeNear(e, e.forward);
  return { positions: [pos(call(e, k), -q), pos(put(e, k), -q)], collateral: [col(coin.coin, round4(q * uniform(rng, 0.5, 1.2)))] };
};

/** Short near-expiry, long far-expiry option at a common strike near the forward. */
export const calendarSpread: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng);
  const near = pickExpiry(coin, rng, 5, 45);
  const far = pickExpiry(coin, rng, near.expiry * 365 + 20, near.expiry * 365 + 150, (e) => e.expiry > near.expiry);
  const common = near.strikes.filter((k) => far.names.has(k));
  const k = common.length > 0 ? common.reduce((b, x) => (Math.abs(x - near.forward) < Math.abs(b - near.forward) ? x : b), common[0] as number) : strikeNear(near, near.forward);
  const kFar = far.names.has(k) ? k : strikeNear(far, k);
  const useCall = rng.nextFloat64() < 0.6;
  return {
    positions: [pos(useCall ? call(near, k) : put(near, k), -q), pos(useCall ? call(far, kFar) : put(far, kFar), q)],
    collateral: [col(coin.coin, round4(q * uniform(rng, 0.2, 0.5)))],
  };
};

/** Long spot, short dated future (cash and carry), or long future against short perpetual. */
export const basisTrade: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng, 3);
  const e = pickExpiry(coin, rng, 20, 330, (x) => x.future !== null);
  const future = e.future ?? coin.perpetual;
  const fq = notionalCoin(coin, q, e.future ? e.forward : coin.perpetualMark);
  if (rng.nextFloat64() < 0.65) {
    return { positions: [pos(coin.coin, q), pos(future, -fq)], collateral: [col(stable(rng), Math.round(q * coin.index * uniform(rng, 0.05, 0.2)))] };
  }
  const pq = notionalCoin(coin, q, coin.perpetualMark);
  return { positions: [pos(future, fq), pos(coin.perpetual, -pq)], collateral: [col(stable(rng), Math.round(q * coin.index * uniform(rng, 0.1, 0.3)))] };
};

/** Leveraged perpetual long with stablecoin or coin collateral. */
export const perpLong: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng);
  const pq = notionalCoin(coin, q, coin.perpetualMark);
  const leverage = uniform(rng, 1.5, 10);
  const collateral = rng.nextFloat64() < 0.75
    ? [col(stable(rng), Math.round((q * coin.perpetualMark) / leverage))]
    : [col(coin.coin, round4(q / leverage))];
  return { positions: [pos(coin.perpetual, pq)], collateral };
};

/** Long OTM call, stablecoin collateral. */
export const longCall: Strategy = (coin, rng) => {
  const q = coinSize(coin, rng, 0.5);
  const e = pickExpiry(coin, rng, 7, 120);
  const k = strikeNear(e, e.forward * uniform(rng, 1, 1.3));
  return { positions: [pos(call(e, k), q)], collateral: [col(stable(rng), Math.round(q * coin.index * uniform(rng, 0.02, 0.1)))] };
};

/** Market-maker inventory: 6-16 options over 2-4 expiries within +-25 % of the forward, mixed signs, perpetual hedge. */
export const marketMaker: Strategy = (coin, rng) => {
  const legs = 6 + Math.floor(rng.nextFloat64() * 11);
  const expiries = Array.from({ length: 2 + Math.floor(rng.nextFloat64() * 3) }, () => pickExpiry(coin, rng, 1, 200));
  const positions: Position[] = [];
  let exposure = 0;
  for (let j = 0; j < legs; j++) {
    const e = pick(rng, expiries);
    const k = strikeNear(e, e.forward * Math.exp(0.12 * rng.nextNormal()));
    const q = coinSize(coin, rng, 0.6) * (rng.nextFloat64() < 0.5 ? -1 : 1);
    const isCall = k >= e.forward ? rng.nextFloat64() < 0.8 : rng.nextFloat64() < 0.2;
    positions.push(pos(isCall ? call(e, k) : put(e, k), q));
    exposure += Math.abs(q);
  }
  positions.push(pos(coin.perpetual, notionalCoin(coin, coinSize(coin, rng, 0.5), coin.perpetualMark) * (rng.nextFloat64() < 0.5 ? -1 : 1)));
  return {
    positions,
    collateral: [col(coin.coin, round4(exposure * uniform(rng, 0.1, 0.3))), col('USDC', Math.round(exposure * coin.index * uniform(rng, 0.05, 0.2)))],
  };
};

/** Long dated future against a short nearer future (a futures calendar). */
export const futuresCalendar: Strategy = (coin, rng) => {
  const withFuture = coin.expiries.filter((e) => e.future !== null);
  if (withFuture.length < 2) return perpLong(coin, rng);
  const i = Math.floor(rng.nextFloat64() * (withFuture.length - 1));
  const near = withFuture[i] as UniverseExpiry;
  const far = withFuture[i + 1 + Math.floor(rng.nextFloat64() * (withFuture.length - 1 - i))] as UniverseExpiry;
  const q = coinSize(coin, rng, 2);
  return {
    positions: [pos(far.future as string, notionalCoin(coin, q, far.forward)), pos(near.future as string, -notionalCoin(coin, q, near.forward))],
    collateral: [col(stable(rng), Math.round(q * coin.index * uniform(rng, 0.03, 0.1)))],
  };
};
