/**
 * Shared by the response-book tests: option books revalued with Black-Scholes (src/pricing) on a return grid, an
 * independent piecewise-linear interpolation (anchor form y_i + slope (r - x_i), found by a linear scan, unlike the
 * intercept form and binary search of src/backtest/rolling/bookPnl.ts), and the fixture panel of
 * rolling-fixture.test.ts.
 */
import { bsGreeks, bsPrice } from '../../src/pricing/index.ts';
import { alignLogReturns, type AlignedReturns } from '../../src/market/index.ts';
import { expectValid, incidentWindowTreatment, validateIncidentPolicy, type NamedPeriod } from '../../src/scenarios/index.ts';
import type { UnderlyingResponse } from '../../src/backtest/index.ts';
import { cryptoDailySeries, drawdownIncident, readJson } from '../scenarios/helpers.ts';

/** One option leg on an underlying priced at SPOT: `units` options (negative = short) of strike moneyness x SPOT. */
export interface OptionLeg {
  readonly type: 'call' | 'put';
  /** Strike / spot. */
  readonly moneyness: number;
  /** Signed number of options. */
  readonly units: number;
  /** Years. */
  readonly expiry: number;
  readonly vol: number;
}

/** Spot of the synthetic books (USD); only K / S matters since the book is constant in USD. */
export const SPOT = 100;

/** USD value of the legs at spot `s` (rate 0, no carry; vols and time held fixed). */
export function legsValue(legs: readonly OptionLeg[], s: number): number {
  let v = 0;
  for (const l of legs) v += l.units * bsPrice({ spot: s, strike: l.moneyness * SPOT, expiry: l.expiry, rate: 0, vol: l.vol, type: l.type });
  return v;
}

/** Exact P&L of the legs for the simple return r: value at SPOT (1 + r) minus value at SPOT. */
export function legsPnl(legs: readonly OptionLeg[], r: number): number {
  return legsValue(legs, SPOT * (1 + r)) - legsValue(legs, SPOT);
}

/** USD delta-equivalent exposure of the legs: sum units x delta x SPOT. */
export function legsDeltaUsd(legs: readonly OptionLeg[]): number {
  let d = 0;
  for (const l of legs) d += l.units * SPOT * bsGreeks({ spot: SPOT, strike: l.moneyness * SPOT, expiry: l.expiry, rate: 0, vol: l.vol, type: l.type }).delta;
  return d;
}

/** The response of the legs on `grid` (full revaluation at every node). */
export function legsResponse(legs: readonly OptionLeg[], grid: ArrayLike<number>): UnderlyingResponse {
  const returns = Array.from(grid);
  return { returns, pnlUsd: returns.map((r) => legsPnl(legs, r)) };
}

/** Independent piecewise-linear interpolation with end-segment extrapolation (anchor form, linear scan). */
export function interpolate(x: ArrayLike<number>, y: ArrayLike<number>, r: number): number {
  const n = x.length;
  let i = 0;
  while (i < n - 2 && r >= (x[i + 1] as number)) i++;
  const x0 = x[i] as number;
  const x1 = x[i + 1] as number;
  const y0 = y[i] as number;
  const y1 = y[i + 1] as number;
  return y0 + ((y1 - y0) * (r - x0)) / (x1 - x0);
}

export const incident = drawdownIncident();
export const policy = expectValid(validateIncidentPolicy(readJson('models/incident-policy/1.0.0.json')), 'incident-policy');
export const fhsModel = readJson('models/margin/fhs-es/1.0.0.json') as Record<string, unknown>;
export const stressPeriods = (readJson('fixtures/backtest/crypto-stress-periods.json') as { periods: NamedPeriod[] }).periods;
/** margin/fhs-es@1.0.0 mpor_days. */
export const MPOR = 2;

/** The fixture daily log returns 2017-2026 (fixtures/market/crypto_daily) with the incident window tagged as stress. */
export function alignFixture(assets?: string[]): AlignedReturns {
  const windowTreatment = incidentWindowTreatment(incident, policy);
  return alignLogReturns(cryptoDailySeries(), { gaps: 'drop-row', ...(assets === undefined ? {} : { assets }), windows: [windowTreatment] });
}
