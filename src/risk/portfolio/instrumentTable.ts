/**
 * The instrument table: every distinct instrument of a book resolved ONCE (DESIGN.md §5 "Revaluation") into a
 * structure of arrays that the revaluation kernels read by row index. Pure.
 *
 * Rows hold derivatives and spot assets alike (a collateral holding is the spot row of its asset), so positions and
 * collateral are revalued in the same instrument x scenario matrix. Conventions:
 * - `assets` is the index space of `underlyingIndex` and `settlementAssetIndex` (underlyings and settlement
 *   currencies, first-seen order); `USD` is the unit of account and never an asset (settlement index -1);
 * - `expiry` in years ACT/365 from `asOfMs` (NaN for perpetuals and spot); `expiryTimestampMs` 08:00 UTC (NaN likewise);
 * - `strike` in USD (NaN for non-options); `isCall` 1 call, 0 put (0 for non-options);
 * - `settlement` INSTRUMENT_SETTLEMENT (inverse = priced and settled in the coin, linear = in USD or a stablecoin);
 * - values of a row are in its settlement asset: coin for inverse rows, the stablecoin for `_USDC`/`_USDT` rows, the
 *   asset itself for spot rows (value 1 per unit, USD value = asset price);
 * - `multiplier` converts one unit of quantity into contracts of the pricing formula (1 everywhere by default, since
 *   quantities are in coin, types.ts).
 */
import { MS_PER_YEAR_ACT365, tryParseInstrumentName, type Instrument } from '../../market/index.ts';
import { InstrumentNameError } from '../../market/index.ts';
import { RiskInputError } from './errors.ts';

/** Instrument kinds as stored in `InstrumentTable.kind`. */
export const INSTRUMENT_KIND = Object.freeze({ option: 0, future: 1, perpetual: 2, spot: 3 } as const);
/** Settlement conventions as stored in `InstrumentTable.settlement`. */
export const INSTRUMENT_SETTLEMENT = Object.freeze({ linear: 0, inverse: 1 } as const);
/** The unit of account: not an asset, no price risk. */
export const ACCOUNTING_CURRENCY = 'USD';

/** Structure-of-arrays instrument table (see the module comment). All arrays have `length` entries. */
export interface InstrumentTable {
  readonly length: number;
  /** Valuation instant the expiries are measured from, UTC epoch ms. */
  readonly asOfMs: number;
  readonly names: readonly string[];
  /** Row of each name. */
  readonly rowOf: ReadonlyMap<string, number>;
  /** Asset codes (underlyings and settlement currencies), the index space of the two index columns. */
  readonly assets: readonly string[];
  readonly underlyingIndex: Int32Array;
  /** INSTRUMENT_KIND. */
  readonly kind: Uint8Array;
  readonly expiry: Float64Array;
  readonly expiryTimestampMs: Float64Array;
  readonly strike: Float64Array;
  readonly isCall: Uint8Array;
  /** INSTRUMENT_SETTLEMENT. */
  readonly settlement: Uint8Array;
  /** Asset index of the currency the row's value is expressed in; -1 for USD. */
  readonly settlementAssetIndex: Int32Array;
  readonly multiplier: Float64Array;
}

/** Why a name could not be resolved. */
export interface InstrumentResolutionFailure {
  readonly instrument: string;
  readonly reason: 'unknown-instrument' | 'expired-instrument';
  readonly detail: string;
}

/** Options of {@link buildInstrumentTable}. */
export interface InstrumentTableOptions {
  /** Valuation instant, UTC epoch ms (an explicit argument: nothing here reads a clock). */
  readonly asOfMs: number;
  /**
   * The venue's listed instruments. When given, a derivative name outside it is `unknown-instrument` (spot assets are
   * always accepted). Default: any name the parser accepts.
   */
  readonly listed?: ReadonlySet<string>;
  /** Contract multiplier per parsed instrument; default 1 (quantities are in coin). Must return a finite value > 0. */
  readonly multiplier?: (instrument: Instrument) => number;
}

/** Result of {@link buildInstrumentTable}: the table of the resolvable names and one failure per other name. */
export interface InstrumentTableResult {
  readonly table: InstrumentTable;
  readonly failures: ReadonlyMap<string, InstrumentResolutionFailure>;
}

/**
 * Resolves distinct instrument names (duplicates are resolved once) into a table, in first-seen order. Spot asset
 * codes (`BTC`, `USDC`, `USD`) are rows of kind spot. A name that does not parse, has expired at `asOfMs` (expiry <=
 * asOf) or is not listed (when `listed` is given), checked in that order, is a failure, not a row. Throws RiskInputError for a bad
 * `asOfMs` or a bad multiplier.
 */
export function buildInstrumentTable(names: Iterable<string>, options: InstrumentTableOptions): InstrumentTableResult {
  const { asOfMs } = options;
  if (!Number.isFinite(asOfMs)) throw new RiskInputError('asOfMs', asOfMs, 'expected a finite UTC epoch ms');
  const parsed: Instrument[] = [];
  const failures = new Map<string, InstrumentResolutionFailure>();
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const r = tryParseInstrumentName(name);
    if (r instanceof InstrumentNameError) {
      failures.set(name, Object.freeze({ instrument: name, reason: 'unknown-instrument', detail: r.reason }));
      continue;
    }
    if ((r.kind === 'option' || r.kind === 'future') && !(r.expiryTimestampMs > asOfMs)) {
      failures.set(name, Object.freeze({ instrument: name, reason: 'expired-instrument', detail: `expired at ${new Date(r.expiryTimestampMs).toISOString()}` }));
      continue;
    }
    if (r.kind !== 'spot' && options.listed !== undefined && !options.listed.has(name)) {
      failures.set(name, Object.freeze({ instrument: name, reason: 'unknown-instrument', detail: 'not a listed instrument' }));
      continue;
    }
    parsed.push(r);
  }
  return Object.freeze({ table: tableOf(parsed, asOfMs, options.multiplier), failures });
}

function tableOf(rows: readonly Instrument[], asOfMs: number, multiplierOf: InstrumentTableOptions['multiplier']): InstrumentTable {
  const n = rows.length;
  const assets: string[] = [];
  const assetIndex = new Map<string, number>();
  const asset = (code: string): number => {
    if (code === ACCOUNTING_CURRENCY) return -1;
    let i = assetIndex.get(code);
    if (i === undefined) {
      i = assets.length;
      assets.push(code);
      assetIndex.set(code, i);
    }
    return i;
  };
  const t = {
    underlyingIndex: new Int32Array(n), kind: new Uint8Array(n), expiry: new Float64Array(n).fill(Number.NaN),
    expiryTimestampMs: new Float64Array(n).fill(Number.NaN), strike: new Float64Array(n).fill(Number.NaN),
    isCall: new Uint8Array(n), settlement: new Uint8Array(n), settlementAssetIndex: new Int32Array(n), multiplier: new Float64Array(n),
  };
  const names: string[] = [];
  const rowOf = new Map<string, number>();
  rows.forEach((r, i) => {
    names.push(r.name);
    rowOf.set(r.name, i);
    t.underlyingIndex[i] = asset(r.underlying);
    const m = multiplierOf ? multiplierOf(r) : 1;
    if (!(m > 0 && Number.isFinite(m))) throw new RiskInputError(`multiplier(${r.name})`, m, 'expected a finite multiplier > 0');
    t.multiplier[i] = m;
    if (r.kind === 'spot') {
      t.kind[i] = INSTRUMENT_KIND.spot;
      t.settlement[i] = INSTRUMENT_SETTLEMENT.linear;
      t.settlementAssetIndex[i] = asset(r.underlying);
      return;
    }
    const inverse = r.settlement === 'inverse';
    t.settlement[i] = inverse ? INSTRUMENT_SETTLEMENT.inverse : INSTRUMENT_SETTLEMENT.linear;
    t.settlementAssetIndex[i] = asset(inverse ? r.underlying : r.settlementCurrency);
    if (r.kind === 'perpetual') {
      t.kind[i] = INSTRUMENT_KIND.perpetual;
      return;
    }
    t.expiryTimestampMs[i] = r.expiryTimestampMs;
    t.expiry[i] = (r.expiryTimestampMs - asOfMs) / MS_PER_YEAR_ACT365;
    if (r.kind === 'future') {
      t.kind[i] = INSTRUMENT_KIND.future;
      return;
    }
    t.kind[i] = INSTRUMENT_KIND.option;
    t.strike[i] = r.strike;
    t.isCall[i] = r.type === 'call' ? 1 : 0;
  });
  return Object.freeze({
    length: n, asOfMs, names: Object.freeze(names), rowOf, assets: Object.freeze(assets), ...t,
  });
}
