/**
 * SPAN-style margin of one account from its P&L over a SPAN scenario set (`spanScenarios`, methods.md §5.3,
 * margin-methods.md §1.6), pure. Amounts in the P&L's currency (USD).
 *
 * - scanning risk = max(0, max_i (-pnl_i x weight_i)): the largest loss over the 16 scenarios, the two extreme moves
 *   (+-2 x PSR) counted at their cover fraction (weight 0.35) — McMillan's example: a 10 000 USD range gives an
 *   extreme loss of 20 000 counted as 7 000;
 * - intra-commodity (calendar) spread charge: the scanning scenarios move every delivery month by the same PSR, so a
 *   calendar spread has almost no scanning risk; per underlying, spread delta = min(sum of positive month deltas,
 *   sum of |negative month deltas|) (USD delta = delta x price), charged at `intra_commodity_spread_rate` (a single
 *   tier; SPAN's tiered spread tables are not modelled);
 * - short option minimum = `short_option_minimum_rate` x the net short option notional (USD);
 * - margin = max(scanning risk + spread charge, short option minimum). Inter-commodity credits, delivery charges and
 *   the net option value are not modelled (the latter belongs to collateral valuation).
 */
import { expectValid, type ScenarioSet } from '../../../scenarios/index.ts';
import { MarginInputError, checkPnlVector } from '../../measures/index.ts';
import { validateSpanMarginModel } from './spanModel.ts';

/** Net delta of one delivery month (or perpetual) of one underlying, USD (delta x price, signed). */
export interface MonthDelta {
  readonly underlying: string;
  /** Delivery month or expiry label, e.g. `2026-03-27` or `perpetual`. */
  readonly month: string;
  readonly deltaUsd: number;
}

/** Input of {@link spanMargin}. */
export interface SpanMarginInput {
  /** Account P&L per scenario of `scenarios`, USD, positive = gain. */
  readonly pnl: ArrayLike<number>;
  /** A set made by `spanScenarios` (kind 'span'; weights = fraction of loss counted). */
  readonly scenarios: ScenarioSet;
  /** `models/margin/span/<version>.json` (validated here). */
  readonly model: unknown;
  readonly monthDeltas?: readonly MonthDelta[];
  /** Net short option notional, USD (>= 0). */
  readonly shortOptionNotionalUsd?: number;
}

/** Result of {@link spanMargin}, USD. */
export interface SpanMarginResult {
  readonly scanningRisk: number;
  /** Worst scenario (0-based index in the set), or null when no scenario loses. */
  readonly worstScenario: { readonly index: number; readonly id: string; readonly label: string; readonly countedLoss: number } | null;
  readonly spreadCharge: number;
  /** Per underlying: spread delta (USD) and its charge. */
  readonly spreads: Readonly<Record<string, { readonly spreadDeltaUsd: number; readonly charge: number }>>;
  readonly shortOptionMinimum: number;
  /** max(scanning risk + spread charge, short option minimum). */
  readonly margin: number;
}

/** The SPAN-style margin; see the module comment. */
export function spanMargin(input: SpanMarginInput): SpanMarginResult {
  const model = expectValid(validateSpanMarginModel(input.model), 'margin/span');
  const set = input.scenarios;
  if (set === null || typeof set !== 'object' || set.kind !== 'span') throw new MarginInputError('scenarios.kind', set?.kind, "expected a SPAN scenario set (kind 'span')");
  const n = checkPnlVector(input.pnl);
  if (n !== set.scenarios.length) throw new MarginInputError('pnl.length', n, `expected one P&L per scenario (${set.scenarios.length})`);
  let scanningRisk = 0;
  let worst: SpanMarginResult['worstScenario'] = null;
  for (let i = 0; i < n; i++) {
    const s = set.scenarios[i] as ScenarioSet['scenarios'][number];
    const counted = -(input.pnl[i] as number) * (s.weight ?? 1);
    if (counted > scanningRisk) {
      scanningRisk = counted;
      worst = Object.freeze({ index: i, id: s.id, label: s.label, countedLoss: counted });
    }
  }
  const sums = new Map<string, { long: number; short: number }>();
  (input.monthDeltas ?? []).forEach((d, i) => {
    if (typeof d?.deltaUsd !== 'number' || !Number.isFinite(d.deltaUsd)) throw new MarginInputError(`monthDeltas[${i}].deltaUsd`, d?.deltaUsd, 'expected a finite USD delta');
    const e = sums.get(d.underlying) ?? { long: 0, short: 0 };
    if (d.deltaUsd > 0) e.long += d.deltaUsd;
    else e.short -= d.deltaUsd;
    sums.set(d.underlying, e);
  });
  const spreads: Record<string, { spreadDeltaUsd: number; charge: number }> = {};
  let spreadCharge = 0;
  for (const [u, { long, short }] of sums) {
    const spread = Math.min(long, short);
    const charge = model.intra_commodity_spread_rate * spread;
    spreads[u] = Object.freeze({ spreadDeltaUsd: spread, charge });
    spreadCharge += charge;
  }
  const notional = input.shortOptionNotionalUsd ?? 0;
  if (!(notional >= 0) || !Number.isFinite(notional)) throw new MarginInputError('shortOptionNotionalUsd', notional, 'expected a finite notional >= 0');
  const shortOptionMinimum = model.short_option_minimum_rate * notional;
  return Object.freeze({
    scanningRisk, worstScenario: worst, spreadCharge, spreads: Object.freeze(spreads), shortOptionMinimum,
    margin: Math.max(scanningRisk + spreadCharge, shortOptionMinimum),
  });
}
