/**
 * The revaluation plan (pure): everything the pricing kernel needs, resolved once from an instrument table, a base
 * market and a scenario set, as flat typed arrays plus small JSON-able lists, so that the same kernel runs on the
 * main thread or in a worker (the arrays can live in SharedArrayBuffers) with bit-identical results.
 *
 * Per row (instrument): base forward F0 (the dated forward of its expiry, the perpetual mark, or the spot), spot S0,
 * settlement-asset price X0 (USD), carry c = ln(F0/S0)/T0 of dated rows, sticky-strike base vol sigma0 = vol(T0, ln(K/F0)),
 * base value V0 in the settlement asset, and a row status (CELL_STATUS) when the row cannot be priced at all.
 *
 * Per scenario: the set's returns with one extra all-zero column W-1 for assets the set does not move (stablecoins,
 * or any asset with `missingAsset: 'hold-flat'`), the time step in years (timeStepDays / 365), and for every
 * (scenario, column) a vol class: the distinct (rule, time step) pairs, so that a row's remaining expiry, forward
 * decay and sticky-strike shifted vol are computed once per class instead of once per cell.
 */
import { black76PriceKernel, inversePriceKernel } from '../../pricing/index.ts';
import type { ScenarioSet, VolShiftRule } from '../../scenarios/index.ts';
import { DAYS_PER_YEAR, NO_VOL_SHIFT } from '../../scenarios/index.ts';
import { VolSurface, type VolSurfaceJson } from '../../surface/index.ts';
import { RiskInputError } from '../portfolio/errors.ts';
import { INSTRUMENT_KIND, INSTRUMENT_SETTLEMENT, type InstrumentTable } from '../portfolio/instrumentTable.ts';
import { checkBaseMarket, finitePositive, marketOf } from './baseMarket.ts';
import { CELL_STATUS, STABLECOINS, type BaseMarket, type RevaluationOptions, type UnderlyingMarket } from './types.ts';

/** Flat typed arrays of a plan (the part that goes into SharedArrayBuffers for workers). */
export interface RevaluationPlanArrays {
  readonly kind: Uint8Array;
  readonly inverse: Uint8Array;
  readonly isCall: Uint8Array;
  /** Scenario column of the underlying (W - 1 = the flat column). */
  readonly underlyingColumn: Int32Array;
  /** Scenario column of the settlement asset (W - 1 for USD and unmoved assets). */
  readonly settlementColumn: Int32Array;
  /** Asset index (InstrumentTable.assets) of the underlying, for the vol model; -1 for USD. */
  readonly volModel: Int32Array;
  readonly expiry: Float64Array;
  readonly strike: Float64Array;
  readonly multiplier: Float64Array;
  readonly forward0: Float64Array;
  readonly spot0: Float64Array;
  readonly settlementPrice0: Float64Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly vol0: Float64Array;
  readonly value0: Float64Array;
  readonly rowStatus: Uint8Array;
  /** scenarios x W returns (column W - 1 all zero). */
  readonly returns: Float64Array;
  /** scenarios x W log growth log1p(returns) (the log-moneyness shift of a forward; column W - 1 all zero). */
  readonly logGrowth: Float64Array;
  readonly timeStepYears: Float64Array;
  /** scenarios x W vol class ids. */
  readonly volClass: Int32Array;
  /** Per class: index into `rules`. */
  readonly classRule: Int32Array;
  /** Per class: time step in years. */
  readonly classStepYears: Float64Array;
}

/** A revaluation plan (see the module comment). */
export interface RevaluationPlan {
  readonly instrumentCount: number;
  readonly scenarioCount: number;
  /** Columns of `returns` = scenario-set underlyings + 1. */
  readonly width: number;
  readonly classCount: number;
  /** 0 sticky strike, 1 sticky moneyness. */
  readonly stickyMoneyness: 0 | 1;
  readonly arrays: RevaluationPlanArrays;
  /** Distinct vol-shift rules (frozen plain objects), indexed by `classRule`. */
  readonly rules: readonly VolShiftRule[];
  /** Per asset index: flat vol, or NaN when the asset has a surface or no vol. */
  readonly flatVols: readonly number[];
  /** Per asset index: the surface's JSON (for workers), or null. */
  readonly surfaces: readonly (VolSurfaceJson | null)[];
  /** Why rows were marked failed, by row (only failed rows). */
  readonly rowFailures: readonly { readonly row: number; readonly status: number; readonly detail: string }[];
}

/** Allocates a Float64Array/Int32Array/Uint8Array of n elements, on a SharedArrayBuffer when `shared`. */
export type ArrayFactory = <T extends Float64Array | Int32Array | Uint8Array>(ctor: { new (n: number): T; new (b: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number }, n: number) => T;

/** Plain allocation. */
export const plainArrays: ArrayFactory = (ctor, n) => new ctor(n);
/** Allocation on SharedArrayBuffers (for worker threads). */
export const sharedArrays: ArrayFactory = (ctor, n) => new ctor(new SharedArrayBuffer(Math.max(1, n) * ctor.BYTES_PER_ELEMENT)).subarray(0, n) as never;

/**
 * Builds the plan of `table` under `market` and `scenarios`. Throws RiskInputError for malformed market input;
 * rows that cannot be priced (no market, no scenario column, no vol, bad base price) are marked in `rowStatus` and
 * listed in `rowFailures`, and every cell of such a row gets that status.
 */
export function buildRevaluationPlan(
  table: InstrumentTable, market: BaseMarket, scenarios: ScenarioSet, options: RevaluationOptions = {}, alloc: ArrayFactory = plainArrays,
): RevaluationPlan {
  checkBaseMarket(market);
  const stickiness = options.stickiness ?? 'sticky-strike';
  if (stickiness !== 'sticky-strike' && stickiness !== 'sticky-moneyness') throw new RiskInputError('options.stickiness', stickiness, "expected 'sticky-strike' or 'sticky-moneyness'");
  const missing = options.missingAsset ?? 'fail';
  if (missing !== 'fail' && missing !== 'hold-flat') throw new RiskInputError('options.missingAsset', missing, "expected 'fail' or 'hold-flat'");
  const n = table.length;
  const S = scenarios.scenarios.length;
  const U = scenarios.underlyings.length;
  const W = U + 1;
  if (scenarios.spotReturnMatrix.length !== S * U) throw new RiskInputError('scenarios.spotReturnMatrix.length', scenarios.spotReturnMatrix.length, `expected scenarios x underlyings = ${S * U}`);

  // scenario side: returns with a flat column, time steps, vol classes
  const returns = alloc(Float64Array, S * W);
  const logGrowth = alloc(Float64Array, S * W);
  const timeStepYears = alloc(Float64Array, S);
  const volClass = alloc(Int32Array, S * W);
  const rules: VolShiftRule[] = [NO_VOL_SHIFT];
  const ruleIndex = new Map<VolShiftRule, number>([[NO_VOL_SHIFT, 0]]);
  const classKey = new Map<string, number>();
  const classRuleList: number[] = [];
  const classStepList: number[] = [];
  const classOf = (rule: number, step: number): number => {
    const key = `${rule}|${step}`;
    let c = classKey.get(key);
    if (c === undefined) {
      c = classRuleList.length;
      classKey.set(key, c);
      classRuleList.push(rule);
      classStepList.push(step);
    }
    return c;
  };
  scenarios.scenarios.forEach((sc, s) => {
    const dt = (sc.timeStepDays ?? 0) / DAYS_PER_YEAR;
    timeStepYears[s] = dt;
    for (let u = 0; u < U; u++) {
      returns[s * W + u] = scenarios.spotReturnMatrix[s * U + u] as number;
      logGrowth[s * W + u] = Math.log1p(returns[s * W + u] as number);
      const rule = sc.volShifts[u] as VolShiftRule;
      let r = ruleIndex.get(rule);
      if (r === undefined) {
        r = rules.length;
        rules.push(rule);
        ruleIndex.set(rule, r);
      }
      volClass[s * W + u] = classOf(r, dt);
    }
    returns[s * W + U] = 0;
    logGrowth[s * W + U] = 0;
    volClass[s * W + U] = classOf(0, dt);
  });
  const classRule = alloc(Int32Array, classRuleList.length);
  classRule.set(classRuleList);
  const classStepYears = alloc(Float64Array, classStepList.length);
  classStepYears.set(classStepList);

  // asset side: scenario columns, vol models
  const nAssets = table.assets.length;
  const columnOfAsset = new Int32Array(nAssets);
  const assetProblem: (string | null)[] = [];
  const assetStatus = new Uint8Array(nAssets);
  table.assets.forEach((a, j) => {
    const m = marketOf(market, a);
    const col = scenarios.underlyings.indexOf(a);
    columnOfAsset[j] = col >= 0 ? col : U;
    if (m === undefined) {
      assetStatus[j] = CELL_STATUS.noMarket;
      assetProblem[j] = `no base market for ${a}`;
    } else if (col < 0 && missing === 'fail' && !STABLECOINS.has(a)) {
      assetStatus[j] = CELL_STATUS.noScenario;
      assetProblem[j] = `${a} is not an underlying of scenario set ${scenarios.id}`;
    } else assetProblem[j] = null;
  });
  const flatVols = table.assets.map((a) => {
    const v = marketOf(market, a)?.vol;
    return typeof v === 'number' ? v : Number.NaN;
  });
  const surfaceObjects = table.assets.map((a) => {
    const v = marketOf(market, a)?.vol;
    return v instanceof VolSurface ? v : null;
  });

  const t = {
    kind: alloc(Uint8Array, n), inverse: alloc(Uint8Array, n), isCall: alloc(Uint8Array, n),
    underlyingColumn: alloc(Int32Array, n), settlementColumn: alloc(Int32Array, n), volModel: alloc(Int32Array, n),
    expiry: alloc(Float64Array, n), strike: alloc(Float64Array, n), multiplier: alloc(Float64Array, n),
    forward0: alloc(Float64Array, n), spot0: alloc(Float64Array, n), settlementPrice0: alloc(Float64Array, n),
    rate: alloc(Float64Array, n), carry: alloc(Float64Array, n), vol0: alloc(Float64Array, n), value0: alloc(Float64Array, n),
    rowStatus: alloc(Uint8Array, n),
  };
  const rowFailures: { row: number; status: number; detail: string }[] = [];
  const fail = (i: number, status: number, detail: string): void => {
    t.rowStatus[i] = status;
    rowFailures.push(Object.freeze({ row: i, status, detail }));
  };
  for (let i = 0; i < n; i++) {
    const kind = table.kind[i] as number;
    const u = table.underlyingIndex[i] as number;
    const x = table.settlementAssetIndex[i] as number;
    const T0 = table.expiry[i] as number;
    const K = table.strike[i] as number;
    t.kind[i] = kind;
    t.inverse[i] = table.settlement[i] as number;
    t.isCall[i] = table.isCall[i] as number;
    t.expiry[i] = T0;
    t.strike[i] = K;
    t.multiplier[i] = table.multiplier[i] as number;
    t.volModel[i] = u;
    t.underlyingColumn[i] = u >= 0 ? (columnOfAsset[u] as number) : U;
    t.settlementColumn[i] = x >= 0 ? (columnOfAsset[x] as number) : U;
    t.vol0[i] = Number.NaN;
    for (const j of [u, x]) {
      if (j >= 0 && assetStatus[j] !== 0 && t.rowStatus[i] === 0) fail(i, assetStatus[j] as number, assetProblem[j] as string);
    }
    if (t.rowStatus[i] !== 0) {
      t.value0[i] = Number.NaN;
      continue;
    }
    const m = u >= 0 ? (marketOf(market, table.assets[u] as string) as UnderlyingMarket) : { spot: 1 };
    const S0 = m.spot;
    const X0 = x >= 0 ? (marketOf(market, table.assets[x] as string) as UnderlyingMarket).spot : 1;
    const rate = m.rate ?? 0;
    t.spot0[i] = S0;
    t.settlementPrice0[i] = X0;
    t.rate[i] = rate;
    if (kind === INSTRUMENT_KIND.spot) {
      t.forward0[i] = S0;
      t.value0[i] = t.multiplier[i] as number;
      continue;
    }
    if (kind === INSTRUMENT_KIND.perpetual) {
      t.forward0[i] = m.perpetual ?? S0;
      t.value0[i] = 0;
      continue;
    }
    const ms = table.expiryTimestampMs[i] as number;
    const quoted = m.forwards?.find((f) => f.expiryTimestampMs === ms)?.forward;
    const surface = u >= 0 ? surfaceObjects[u] : null;
    const F0 = quoted ?? (surface ? surface.forward(T0) : S0 * Math.exp((rate - (m.carry ?? 0)) * T0));
    if (!finitePositive(F0)) {
      fail(i, CELL_STATUS.badBase, `no usable forward for ${table.names[i]}`);
      continue;
    }
    t.forward0[i] = F0;
    t.carry[i] = Math.log(F0 / S0) / T0;
    if (kind === INSTRUMENT_KIND.future) {
      t.value0[i] = 0;
      continue;
    }
    const sigma0 = surface ? surface.impliedVol(T0, Math.log(K / F0)) : (flatVols[u] as number);
    if (!(sigma0 >= 0 && Number.isFinite(sigma0))) {
      fail(i, CELL_STATUS.badBase, `no vol for ${table.names[i]} (market.${table.assets[u]}.vol)`);
      continue;
    }
    t.vol0[i] = sigma0;
    const theta = t.isCall[i] ? 1 : -1;
    const mult = t.multiplier[i] as number;
    const v0 = t.inverse[i] === INSTRUMENT_SETTLEMENT.inverse
      ? inversePriceKernel(F0, K, T0, sigma0, theta) * mult
      : black76PriceKernel(F0, K, T0, rate, sigma0, theta) * mult;
    if (!Number.isFinite(v0)) {
      fail(i, CELL_STATUS.badBase, `base price of ${table.names[i]} is not finite`);
      continue;
    }
    t.value0[i] = v0;
  }
  for (let i = 0; i < n; i++) if (t.rowStatus[i] !== 0) t.value0[i] = Number.NaN;

  return Object.freeze({
    instrumentCount: n,
    scenarioCount: S,
    width: W,
    classCount: classRuleList.length,
    stickyMoneyness: stickiness === 'sticky-moneyness' ? 1 : 0,
    arrays: Object.freeze({ ...t, returns, logGrowth, timeStepYears, volClass, classRule, classStepYears }),
    rules: Object.freeze(rules),
    flatVols: Object.freeze(flatVols),
    surfaces: Object.freeze(surfaceObjects.map((s) => (s ? s.toJSON() : null))),
    rowFailures: Object.freeze(rowFailures),
  });
}

/** The VolSurface objects of a plan, rebuilt from its JSON (per asset index; null where none). */
export function planSurfaces(plan: RevaluationPlan): (VolSurface | null)[] {
  return plan.surfaces.map((j) => (j ? VolSurface.fromJSON(j) : null));
}
