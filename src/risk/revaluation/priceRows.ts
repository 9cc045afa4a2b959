/**
 * The revaluation kernel (pure, no allocation per cell): prices rows [rowStart, rowEnd) of a plan in every scenario
 * and writes the instrument x scenario matrices (row-major, row i at i * scenarioCount). The single-thread path and
 * the worker threads both call this function, so their numbers are the same bit for bit.
 *
 * Per cell (row i, scenario s), with r the row's underlying return, r_x its settlement asset's return, dt the time
 * step in years:
 * - T' = max(T0 - dt, 0); S' = S0 (1 + r); dated forward F' = F0 (1 + r) e^{-c min(dt, T0)} (the carry
 *   c = ln(F0/S0)/T0 is kept, so F' -> S' at expiry; F' = F0 (1 + r) exactly when dt = 0); perpetual P' = P0 (1 + r);
 * - option vol: sticky strike sigma = applyVolShift(rule, sigma0, T') (sigma0 read once at K and the base forward);
 *   sticky moneyness sigma = applyVolShift(rule, vol(T0, ln(K/F')), T');
 * - value V' in the settlement asset (per unit quantity = multiplier contracts): inverse option
 *   Black76_undiscounted(F', K, T', sigma)/F' coin; linear option e^{-rate T'} Black76(F', K, T', sigma); inverse future
 *   or perpetual 1 - F0/F' coin (the coin P&L of a coin-equivalent notional of 1, q m/(1+m) for a move m); linear
 *   future or perpetual F' - F0; spot 1 unit of the asset;
 * - pnlSettlement = V' - V0; pnlUsd = V' X' - V0 X0 with X the USD price of the settlement asset (X' = X0 (1 + r_x)).
 * T', e^{-c min(dt, T0)} and the sticky-strike vol depend on the scenario only through its vol class (rule and time
 * step), so they are computed once per row and class (the same values, fewer exp and pow calls).
 * A non-finite result sets the cell's status to `nonFinite` (P&L NaN); rows failed in the plan get their status in
 * every cell and NaN P&L.
 */
import {
  black76PriceKernel, black76PriceOfParts, inversePriceKernel, inversePriceOfParts, logRatio,
} from '../../pricing/index.ts';
import { applyVolShift, type VolShiftRule } from '../../scenarios/index.ts';
import type { VolSurface } from '../../surface/index.ts';
import { INSTRUMENT_KIND } from '../portfolio/instrumentTable.ts';
import type { RevaluationPlan } from './plan.ts';
import { CELL_STATUS } from './types.ts';

/** Output matrices of the kernel, each instrumentCount x scenarioCount row-major. */
export interface InstrumentPnlBuffers {
  /** P&L in USD per unit quantity. */
  readonly pnlUsd: Float64Array;
  /** P&L in the row's settlement asset per unit quantity (coin for inverse rows). */
  readonly pnlSettlement: Float64Array;
  /** CELL_STATUS per cell. */
  readonly status: Uint8Array;
}

/**
 * Scratch of one kernel caller, per vol class (distinct rule and time step) of the current row: the remaining expiry
 * T', the forward decay e^{-c min(dt, T0)} and the sticky-strike shifted vol, tagged with the row they belong to.
 */
export interface PriceRowsScratch {
  readonly expiry: Float64Array;
  readonly decay: Float64Array;
  /** ln of `decay`: -c min(dt, T0). */
  readonly logDecay: Float64Array;
  /** -rate T' and e^{-rate T'} (linear options). */
  readonly logDiscount: Float64Array;
  readonly discount: Float64Array;
  readonly shiftedVol: Float64Array;
  /** shiftedVol sqrt(T') (sticky strike). */
  readonly totalVol: Float64Array;
  readonly stamp: Int32Array;
}

/** Scratch sized for a plan. */
export function priceRowsScratch(plan: RevaluationPlan): PriceRowsScratch {
  const n = plan.classCount;
  return {
    expiry: new Float64Array(n), decay: new Float64Array(n), logDecay: new Float64Array(n), logDiscount: new Float64Array(n),
    discount: new Float64Array(n), shiftedVol: new Float64Array(n), totalVol: new Float64Array(n), stamp: new Int32Array(n).fill(-1),
  };
}

/**
 * Prices rows [rowStart, rowEnd) of `plan` into `out` (see the module comment). `surfaces` are the plan's surfaces
 * by asset index (`planSurfaces(plan)`); they are read per cell only in sticky-moneyness mode.
 */
export function priceRows(
  plan: RevaluationPlan, surfaces: readonly (VolSurface | null)[], rowStart: number, rowEnd: number,
  out: InstrumentPnlBuffers, scratch: PriceRowsScratch = priceRowsScratch(plan),
): void {
  const S = plan.scenarioCount;
  const W = plan.width;
  const a = plan.arrays;
  const { returns, logGrowth, volClass, classRule, classStepYears } = a;
  const rules: readonly VolShiftRule[] = plan.rules;
  const { pnlUsd, pnlSettlement, status } = out;
  const { shiftedVol, stamp } = scratch;
  const expiryOf = scratch.expiry;
  const decayOf = scratch.decay;
  const logDecayOf = scratch.logDecay;
  const logDiscountOf = scratch.logDiscount;
  const discountOf = scratch.discount;
  const totalVolOf = scratch.totalVol;
  stamp.fill(-1);
  for (let i = rowStart; i < rowEnd; i++) {
    const base = i * S;
    const rowStatus = a.rowStatus[i] as number;
    if (rowStatus !== 0) {
      for (let s = 0; s < S; s++) {
        pnlUsd[base + s] = Number.NaN;
        pnlSettlement[base + s] = Number.NaN;
        status[base + s] = rowStatus;
      }
      continue;
    }
    const kind = a.kind[i] as number;
    const u = a.underlyingColumn[i] as number;
    const x = a.settlementColumn[i] as number;
    const mult = a.multiplier[i] as number;
    const F0 = a.forward0[i] as number;
    const X0 = a.settlementPrice0[i] as number;
    const V0 = a.value0[i] as number;
    const V0X0 = V0 * X0;
    if (kind === INSTRUMENT_KIND.option) {
      const T0 = a.expiry[i] as number;
      const K = a.strike[i] as number;
      const c = a.carry[i] as number;
      const rate = a.rate[i] as number;
      const theta = a.isCall[i] ? 1 : -1;
      const inverse = a.inverse[i] === 1;
      const sigma0 = a.vol0[i] as number;
      const moneyness = plan.stickyMoneyness === 1;
      const surface = moneyness ? (surfaces[a.volModel[i] as number] ?? null) : null;
      // x = ln(F'/K) = ln(F0/K) + ln(1 + r) + ln(decay): the first term once per row, the second once per scenario
      // (plan.logGrowth), the third once per vol class; at the base (r = 0, dt = 0) it is logRatio(F0, K) exactly, so
      // the zero scenario reprices V0 bit for bit
      const x0 = logRatio(F0, K);
      for (let s = 0; s < S; s++) {
        const r = returns[s * W + u] as number;
        const cls = volClass[s * W + u] as number;
        if (stamp[cls] !== i) {
          const dt = classStepYears[cls] as number;
          const Tc = T0 > dt ? T0 - dt : 0;
          const logDecay = dt === 0 ? 0 : -c * (dt < T0 ? dt : T0);
          expiryOf[cls] = Tc;
          logDecayOf[cls] = logDecay;
          decayOf[cls] = dt === 0 ? 1 : Math.exp(logDecay);
          logDiscountOf[cls] = -rate * Tc;
          discountOf[cls] = Math.exp(-rate * Tc);
          if (moneyness) shiftedVol[cls] = Number.NaN;
          else {
            const sigma = applyVolShift(rules[classRule[cls] as number] as VolShiftRule, sigma0, Tc);
            shiftedVol[cls] = sigma;
            totalVolOf[cls] = sigma * Math.sqrt(Tc);
          }
          stamp[cls] = i;
        }
        const Tp = expiryOf[cls] as number;
        const Fp = F0 * (1 + r) * (decayOf[cls] as number);
        let totalVol: number;
        let sigma: number;
        if (moneyness) {
          sigma = applyVolShift(rules[classRule[cls] as number] as VolShiftRule, surface ? surface.impliedVol(T0, Math.log(K / Fp)) : sigma0, Tp);
          totalVol = sigma * Math.sqrt(Tp);
        } else {
          sigma = shiftedVol[cls] as number;
          totalVol = totalVolOf[cls] as number;
        }
        let unitValue: number;
        if (totalVol > 0) {
          const logMoneyness = x0 + (logGrowth[s * W + u] as number) + (logDecayOf[cls] as number);
          unitValue = inverse
            ? inversePriceOfParts(Fp, K, logMoneyness, totalVol, theta)
            : black76PriceOfParts(Fp, K, logMoneyness, totalVol, logDiscountOf[cls] as number, discountOf[cls] as number, theta);
        } else {
          // s = 0 (expired, zero vol) or NaN: the kernels' own limit and NaN handling
          unitValue = inverse ? inversePriceKernel(Fp, K, Tp, sigma, theta) : black76PriceKernel(Fp, K, Tp, rate, sigma, theta);
        }
        const V = unitValue * mult;
        const X = X0 * (1 + (returns[s * W + x] as number));
        write(pnlUsd, pnlSettlement, status, base + s, V * X - V0X0, V - V0);
      }
      continue;
    }
    if (kind === INSTRUMENT_KIND.spot) {
      for (let s = 0; s < S; s++) {
        const X = X0 * (1 + (returns[s * W + x] as number));
        write(pnlUsd, pnlSettlement, status, base + s, mult * X - V0X0, 0);
      }
      continue;
    }
    // futures and perpetuals: V0 = 0
    const dated = kind === INSTRUMENT_KIND.future;
    const T0 = dated ? (a.expiry[i] as number) : 0;
    const c = dated ? (a.carry[i] as number) : 0;
    const inverse = a.inverse[i] === 1;
    for (let s = 0; s < S; s++) {
      const r = returns[s * W + u] as number;
      let Fp = F0 * (1 + r);
      if (dated) {
        const cls = volClass[s * W + u] as number;
        if (stamp[cls] !== i) {
          const dt = classStepYears[cls] as number;
          decayOf[cls] = dt === 0 ? 1 : Math.exp(-c * (dt < T0 ? dt : T0));
          stamp[cls] = i;
        }
        Fp *= decayOf[cls] as number;
      }
      const V = inverse ? mult * (1 - F0 / Fp) : mult * (Fp - F0);
      const X = X0 * (1 + (returns[s * W + x] as number));
      write(pnlUsd, pnlSettlement, status, base + s, V * X, V);
    }
  }
}

function write(pnlUsd: Float64Array, pnlSettlement: Float64Array, status: Uint8Array, k: number, usd: number, settle: number): void {
  if (usd - usd === 0 && settle - settle === 0) {
    pnlUsd[k] = usd;
    pnlSettlement[k] = settle;
    status[k] = CELL_STATUS.ok;
  } else {
    pnlUsd[k] = Number.NaN;
    pnlSettlement[k] = Number.NaN;
    status[k] = CELL_STATUS.nonFinite;
  }
}
