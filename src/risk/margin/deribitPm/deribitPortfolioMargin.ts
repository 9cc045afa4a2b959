/**
 * The venue-compatible portfolio margin of one settlement currency (DESIGN.md §6, reference/margin-methods.md §1),
 * pure. For a book margined in `currency` (BTC, ETH for coin-settled inverse contracts; USDC for linear ones):
 *
 *   per-instrument vectors (vectors.ts) -> per key `<underlying>_<currency>` pre-aggregated sums -> aggregated
 *   vectors (extended dampener, pnl offset; aggregate.ts) -> worst case (worstCase.ts)
 *   risk_matrix_margin = worst_case + delta_shock + roll_shock + correlation_contingency   ✅ (venue example)
 *   maintenance_margin = mm_factor x risk_matrix_margin                                    ✅
 *   initial_margin     = risk_matrix_margin + spot_margin + mmp_margin + open_orders_margin ✅ (the last three are
 *                        inputs, default 0: order-book and MMP state are outside this engine)
 *
 * Results are in the settlement currency (coin for inverse books) and, in `usd`, multiplied by `settlementPriceUsd`
 * (the currency's index for a coin, 1 for USDC/USDT unless given). Every margin figure is >= 0 and finite for
 * finite inputs. Inferred parts are marked in the modules they live in: the vol-shock rule and option revaluation ❓,
 * dampener and pnl-offset details ⚠️, delta shock ⚠️, correlation contingency ❓.
 */
import { expectValid } from '../../../scenarios/index.ts';
import { MarginInputError } from '../../measures/index.ts';
import { aggregateKey, sumVectors } from './aggregate.ts';
import { pairGrid, type PairGrid } from './grid.ts';
import { asOfMs, indexOf, resolveLegs, type PmLeg, type PmMark, type PmPosition } from './legs.ts';
import { validateDeribitPmParams, type DeribitPmCurrencyParams, type DeribitPmParams } from './params.ts';
import { deltaShock, rollShock, type DeltaShockDetail, type RollTerm } from './shocks.ts';
import { legVectors, type LegVectors } from './vectors.ts';
import { worstCaseOf, type WorstCaseBucket } from './worstCase.ts';

/** Input of {@link deribitPortfolioMargin}. */
export interface DeribitPmInput {
  /** Settlement currency margined, e.g. `BTC` (inverse BTC contracts) or `USDC`. */
  readonly currency: string;
  /** USD index of the underlying (a number when the book has one underlying), or per underlying (`{ BTC: ... }`). */
  readonly indexPrice: number | Readonly<Record<string, number>>;
  /** Valuation instant: epoch ms or ISO-8601 with offset. */
  readonly asOf: number | string;
  readonly positions: readonly PmPosition[];
  /** Per instrument: `markPrice`, `forward`, `iv` (options need iv or markPrice). */
  readonly marks?: Readonly<Record<string, PmMark>>;
  /** `models/margin/deribit-pm/<version>.json` or the venue's raw `model_params` (validated here). */
  readonly params: unknown;
  /** USD per unit of the settlement currency; default the currency's index (coins) or 1 (USDC, USDT, USD). */
  readonly settlementPriceUsd?: number;
  /** Venue margins outside the risk matrix, settlement currency, added to IM only (default 0). */
  readonly additionalMargins?: { readonly spotMargin?: number; readonly mmpMargin?: number; readonly openOrdersMargin?: number };
}

/** Vectors as plain arrays (the venue's JSON shape). */
export interface RiskVectors {
  readonly standard: number[];
  readonly extended: number[];
}

/** Per key `<underlying>_<currency>`. */
export interface PmKeyDetail {
  readonly underlying: string;
  readonly pair: string;
  readonly indexPrice: number;
  readonly preAggregated: RiskVectors;
  readonly aggregated: RiskVectors;
  readonly worstCase: number;
  readonly worstCaseBucket: WorstCaseBucket | null;
  readonly deltaShock: DeltaShockDetail;
  readonly rollShock: number;
  readonly rollTerms: readonly RollTerm[];
}

/** The margin figures (one currency). */
export interface PmFigures {
  readonly worstCase: number;
  readonly deltaShock: number;
  readonly rollShock: number;
  readonly correlationContingency: number;
  readonly riskMatrixMargin: number;
  readonly maintenanceMargin: number;
  readonly initialMargin: number;
}

/** Result of {@link deribitPortfolioMargin}; figures in the settlement currency, `usd` in USD. */
export interface DeribitPmResult extends PmFigures {
  readonly currency: string;
  readonly settlementPriceUsd: number;
  readonly paramsVersion: string;
  /** Per instrument: the venue's `initial_risk_vectors`. */
  readonly vectors: Readonly<Record<string, RiskVectors>>;
  /** Scenario-by-scenario sum of the keys' aggregated vectors (with one key: the venue's aggregated vector). */
  readonly aggregated: RiskVectors;
  /** Worst case location (the key with the largest worst case when several). */
  readonly worstCaseBucket: (WorstCaseBucket & { readonly key: string }) | null;
  readonly keys: Readonly<Record<string, PmKeyDetail>>;
  readonly usd: PmFigures;
}

const STABLE = new Set(['USDC', 'USDT', 'USD']);
const arr = (v: Float64Array): number[] => Array.from(v);
const freezeVectors = (v: LegVectors): RiskVectors => Object.freeze({ standard: arr(v.standard), extended: arr(v.extended) });

function nonNegative(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (!(value >= 0) || !Number.isFinite(value)) throw new MarginInputError(field, value, 'expected a finite amount >= 0');
  return value;
}

/** The portfolio margin of one settlement currency; see the module comment. */
export function deribitPortfolioMargin(input: DeribitPmInput): DeribitPmResult {
  const params: DeribitPmParams = expectValid(validateDeribitPmParams(input.params), 'margin/deribit-pm');
  const currency = input.currency;
  if (typeof currency !== 'string' || !/^[A-Za-z0-9]+$/.test(currency)) throw new MarginInputError('currency', currency, 'expected a currency code such as BTC or USDC');
  const ccy = currency.toUpperCase();
  const stable = STABLE.has(ccy);
  const ccyParams: DeribitPmCurrencyParams | undefined = params.currency[ccy.toLowerCase()] ?? (stable ? params.currency['usd'] : undefined);
  if (ccyParams === undefined) throw new MarginInputError(`params.currency.${ccy.toLowerCase()}`, undefined, 'no parameters for the margined currency');
  const settlementPriceUsd = input.settlementPriceUsd !== undefined
    ? nonNegative(input.settlementPriceUsd, 'settlementPriceUsd')
    : stable ? 1 : indexOf(input.indexPrice, ccy);
  if (!(settlementPriceUsd > 0)) throw new MarginInputError('settlementPriceUsd', settlementPriceUsd, 'expected a positive price');
  const extra = input.additionalMargins ?? {};
  const spot = nonNegative(extra.spotMargin, 'additionalMargins.spotMargin');
  const mmp = nonNegative(extra.mmpMargin, 'additionalMargins.mmpMargin');
  const orders = nonNegative(extra.openOrdersMargin, 'additionalMargins.openOrdersMargin');

  const legs = resolveLegs(ccy, input.positions, input.marks ?? {}, input.indexPrice, asOfMs(input.asOf));
  const byUnderlying = new Map<string, PmLeg[]>();
  for (const leg of legs) byUnderlying.set(leg.underlying, [...(byUnderlying.get(leg.underlying) ?? []), leg]);

  const vectors: Record<string, RiskVectors> = {};
  const keys: Record<string, PmKeyDetail> = {};
  const aggregatedParts: LegVectors[] = [];
  const grids: PairGrid[] = [];
  let worstSum = 0;
  let worstAt: DeribitPmResult['worstCaseBucket'] = null;
  let worstMax = -1;
  let deltaSum = 0;
  let rollSum = 0;
  for (const [underlying, group] of byUnderlying) {
    const pairKey = `${underlying.toLowerCase()}_usd`;
    const pair = params.currency_pair[pairKey];
    if (pair === undefined) throw new MarginInputError(`params.currency_pair.${pairKey}`, undefined, `no parameters for ${underlying} (positions ${group.map((l) => l.name).join(', ')})`);
    const index = indexOf(input.indexPrice, underlying);
    const grid = pairGrid(params, pairKey, underlying);
    grids.push(grid);
    const parts = group.map((leg) => {
      const v = legVectors(leg, grid);
      vectors[leg.name] = freezeVectors(v);
      return v;
    });
    const pre = sumVectors(parts, grid.standardMoves.length, grid.extendedMoves.length);
    const agg = aggregateKey(pre, { extendedMoves: grid.extendedMoves, priceRange: pair.price_range, currency: ccyParams, settlementPriceUsd });
    aggregatedParts.push(agg);
    const worst = worstCaseOf(agg, grid.standardMoves, grid.extendedMoves);
    const ds = deltaShock(group, pair, index, settlementPriceUsd);
    const rs = rollShock(group, ccyParams, index, settlementPriceUsd);
    const key = `${underlying.toLowerCase()}_${ccy.toLowerCase()}`;
    keys[key] = Object.freeze({
      underlying, pair: pairKey, indexPrice: index, preAggregated: freezeVectors(pre), aggregated: freezeVectors(agg),
      worstCase: worst.worstCase, worstCaseBucket: worst.bucket, deltaShock: ds, rollShock: rs.amount, rollTerms: rs.terms,
    });
    worstSum += worst.worstCase;
    if (worst.bucket !== null && worst.worstCase > worstMax) {
      worstMax = worst.worstCase;
      worstAt = Object.freeze({ ...worst.bucket, key });
    }
    deltaSum += ds.amount;
    rollSum += rs.amount;
  }
  const nStd = (2 * params.general.buckets_count + 1) * 3;
  const joint = sumVectors(aggregatedParts, nStd, params.extended_moves.length);
  let worstCase = worstSum;
  let contingency = 0;
  if (aggregatedParts.length > 1 && ccyParams.correlation_set) {
    const first = grids[0] as PairGrid;
    const jointWorst = worstCaseOf(joint, first.standardMoves, first.extendedMoves).worstCase;
    worstCase = jointWorst;
    contingency = params.correlation_contingency_factor * Math.max(0, worstSum - jointWorst);
  }
  const riskMatrixMargin = worstCase + deltaSum + rollSum + contingency;
  const figures: PmFigures = {
    worstCase, deltaShock: deltaSum, rollShock: rollSum, correlationContingency: contingency, riskMatrixMargin,
    maintenanceMargin: params.general.mm_factor * riskMatrixMargin,
    initialMargin: riskMatrixMargin + spot + mmp + orders,
  };
  const usd = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v * settlementPriceUsd])) as unknown as PmFigures;
  return Object.freeze({
    currency: ccy, settlementPriceUsd, paramsVersion: params.version, ...figures,
    vectors: Object.freeze(vectors), aggregated: freezeVectors(joint), worstCaseBucket: worstAt,
    keys: Object.freeze(keys), usd: Object.freeze(usd),
  });
}
