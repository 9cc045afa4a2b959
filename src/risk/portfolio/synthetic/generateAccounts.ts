/**
 * Seeded synthetic accounts on a snapshot's real instruments (pure): desks with their strategy mixes (strategies.ts),
 * one coin per strategy, a second strategy for some accounts, collateral merged by asset. The same seed and universe
 * give the same accounts, byte for byte (createRng, xoshiro128**). Used for fixtures/portfolios (a few thousand
 * accounts) and, with `positionsPerAccount`, for benchmark books of a million accounts (`generateBook`, straight into
 * the CSR matrices of a PortfolioBook without keeping account objects).
 */
import { createRng, type Rng, type RngSeed } from '../../../math/index.ts';
import { BookBuilder, resolvePortfolio, type PortfolioBook } from '../book.ts';
import { RiskInputError } from '../errors.ts';
import { buildInstrumentTable } from '../instrumentTable.ts';
import type { Account, CollateralHolding, Position } from '../types.ts';
import {
  basisTrade, calendarSpread, coveredCall, futuresCalendar, longCall, marketMaker, perpLong, protectivePut, shortStraddle,
  shortStrangle, type Strategy,
} from './strategies.ts';
import type { InstrumentUniverse, UniverseCoin } from './universe.ts';

/** Desk -> share of accounts and its strategy mix (weights need not sum to 1). */
export interface DeskProfile {
  readonly share: number;
  readonly strategies: readonly (readonly [Strategy, number])[];
}

/** The default desks: retail, vol-arb, delta-one and market makers. */
export const DEFAULT_DESKS: Readonly<Record<string, DeskProfile>> = Object.freeze({
  retail: { share: 0.45, strategies: [[coveredCall, 0.3], [protectivePut, 0.2], [perpLong, 0.3], [longCall, 0.2]] },
  'vol-arb': { share: 0.2, strategies: [[shortStrangle, 0.4], [calendarSpread, 0.35], [shortStraddle, 0.25]] },
  'delta-one': { share: 0.2, strategies: [[basisTrade, 0.6], [perpLong, 0.25], [futuresCalendar, 0.15]] },
  mm: { share: 0.15, strategies: [[marketMaker, 1]] },
});

/** Options of the generators. */
export interface SyntheticBookOptions {
  readonly seed: RngSeed;
  readonly accounts: number;
  /** When set, every account gets exactly this many positions (strategies stacked, the last one cut). */
  readonly positionsPerAccount?: number;
  /** Probability of a second strategy (natural mode); default 0.2. */
  readonly secondStrategy?: number;
  /** Account id prefix; default `ACC-`. Ids are the prefix and a 7-digit number from 1. */
  readonly idPrefix?: string;
  /** Coin shares; default BTC 0.6, ETH 0.4 (coins missing from the universe are skipped). */
  readonly coinShares?: Readonly<Record<string, number>>;
  readonly desks?: Readonly<Record<string, DeskProfile>>;
  /** generateBook only: build the CSR arrays in SharedArrayBuffers (for the worker pool, without a copy). */
  readonly sharedMemory?: boolean;
}

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let u = rng.nextFloat64() * total;
  for (const [x, w] of items) {
    u -= w;
    if (u < 0) return x;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

function mergeCollateral(list: readonly CollateralHolding[]): CollateralHolding[] {
  const by = new Map<string, number>();
  for (const c of list) by.set(c.asset, (by.get(c.asset) ?? 0) + c.quantity);
  return [...by].map(([asset, q]) => Object.freeze({ asset, quantity: Math.round(q * 1e4) / 1e4 }));
}

function check(universe: InstrumentUniverse, options: SyntheticBookOptions): void {
  if (!Number.isSafeInteger(options.accounts) || options.accounts < 0) throw new RiskInputError('accounts', options.accounts, 'expected an integer >= 0');
  const n = options.positionsPerAccount;
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 1)) throw new RiskInputError('positionsPerAccount', n, 'expected an integer >= 1');
  if (universe.coins.length === 0) throw new RiskInputError('universe.coins', universe.coins, 'expected at least one coin');
}

/**
 * Yields `options.accounts` accounts in order (nothing is kept, so a million accounts need no more memory than one).
 * Account i (0-based) has id `${idPrefix}${i + 1, 7 digits}`.
 */
export function* accountStream(universe: InstrumentUniverse, options: SyntheticBookOptions): Generator<Account, void, undefined> {
  check(universe, options);
  const rng = createRng(options.seed);
  const desks = Object.entries(options.desks ?? DEFAULT_DESKS).map(([name, p]) => [[name, p], p.share] as const);
  const shares = options.coinShares ?? { BTC: 0.6, ETH: 0.4 };
  const coins = universe.coins.map((c) => [c, shares[c.coin] ?? 0] as const).filter(([, w]) => w > 0);
  const coinPool: (readonly [UniverseCoin, number])[] = coins.length > 0 ? coins : universe.coins.map((c) => [c, 1] as const);
  const prefix = options.idPrefix ?? 'ACC-';
  const target = options.positionsPerAccount;
  const second = options.secondStrategy ?? 0.2;
  for (let i = 0; i < options.accounts; i++) {
    const [desk, profile] = weighted(rng, desks);
    const positions: Position[] = [];
    const collateral: CollateralHolding[] = [];
    const add = (): void => {
      const legs = weighted(rng, profile.strategies)(weighted(rng, coinPool), rng);
      positions.push(...legs.positions);
      collateral.push(...legs.collateral);
    };
    add();
    if (target === undefined) {
      if (rng.nextFloat64() < second) add();
    } else {
      while (positions.length < target) add();
      positions.length = target;
    }
    yield Object.freeze({
      id: `${prefix}${String(i + 1).padStart(7, '0')}`,
      desk,
      positions: Object.freeze(positions.map((p) => Object.freeze(p))),
      collateral: Object.freeze(mergeCollateral(collateral)),
    });
  }
}

/** Hands every account of {@link accountStream} to `emit`, in order. */
export function generateAccounts(universe: InstrumentUniverse, options: SyntheticBookOptions, emit: (account: Account) => void): void {
  for (const a of accountStream(universe, options)) emit(a);
}

/** Generated accounts as an array (fixture sizes). */
export function generateAccountList(universe: InstrumentUniverse, options: SyntheticBookOptions): Account[] {
  const out: Account[] = [];
  generateAccounts(universe, options, (a) => out.push(a));
  return out;
}

/**
 * Generates a book straight into a PortfolioBook (benchmark sizes): the instrument table is resolved once from the
 * universe's listed names, the coins and the stablecoins, and every account goes into the CSR matrices as it is made.
 */
export function generateBook(universe: InstrumentUniverse, options: SyntheticBookOptions): PortfolioBook {
  const names = [...universe.listed, ...universe.coins.map((c) => c.coin), 'USDC', 'USDT'];
  const { table, failures } = buildInstrumentTable(names, { asOfMs: universe.asOfMs });
  if (failures.size > 0) throw new RiskInputError('universe.listed', [...failures.keys()], 'universe names that do not resolve');
  const per = options.positionsPerAccount ?? 4;
  const builder = new BookBuilder(table, options.accounts, options.accounts * per, options.accounts * 2);
  generateAccounts(universe, options, (a) => builder.add(a));
  return builder.build(options.sharedMemory ?? false);
}

/** The same book through the account path (resolvePortfolio), for checking generateBook. */
export function generateBookViaAccounts(universe: InstrumentUniverse, options: SyntheticBookOptions): PortfolioBook {
  return resolvePortfolio(generateAccountList(universe, options), { asOfMs: universe.asOfMs, listed: universe.listed }).book;
}
