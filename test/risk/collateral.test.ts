import { describe, expect, it } from 'vitest';
import { expectValid, validateDeribitGridModel, venueGridScenarios } from '../../src/scenarios/index.ts';
import {
  collateralScenarioPnl, haircutFor, marginCall, postIncidentDailyVolatility, validateHaircutSchedule, valueCollateral,
  type HaircutSchedule,
} from '../../src/risk/collateral/index.ts';
import { deribitPortfolioMargin, MarginInputError } from '../../src/risk/margin/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const scheduleJson = readJsonFixture<Json>('models/haircuts/1.0.0.json');
const schedule: HaircutSchedule = expectValid(validateHaircutSchedule(scheduleJson), 'haircuts');
const Z99 = 2.3263478740408408; // scipy.stats.norm.ppf(0.99)

describe('haircuts: min(cap, max(floor, z_q sigma_daily sqrt(MPOR))) with the schedule floors and caps', () => {
  it('the schedule carries the Kraken tiers as floors (USD 0, stablecoins 1 %, BTC/ETH 3 %, ADA/DOGE/XRP 5 %, SOL 7.5 %)', () => {
    const floors = Object.fromEntries(Object.entries(schedule.assets).map(([a, b]) => [a, b.floor]));
    expect(floors).toMatchObject({ USD: 0, USDC: 0.01, USDT: 0.01, BTC: 0.03, ETH: 0.03, ADA: 0.05, DOGE: 0.05, XRP: 0.05, SOL: 0.075 });
    expect(schedule).toMatchObject({ confidence: 0.99, mpor_days: 2 });
  });

  it('volatility in the band, below the floor, above the cap; unknown asset uses the default; no volatility gives the cap', () => {
    expect(haircutFor(schedule, 'BTC', 0.03)).toMatchObject({ binding: 'volatility', floor: 0.03, cap: 0.5 });
    expect(haircutFor(schedule, 'BTC', 0.03).haircut).toBeCloseTo(Z99 * 0.03 * Math.SQRT2, 14);
    expect(haircutFor(schedule, 'BTC', 0.03).haircut).toBeCloseTo(0.0986985814279912, 14);
    expect(haircutFor(schedule, 'BTC', 0.005)).toMatchObject({ haircut: 0.03, binding: 'floor' });
    expect(haircutFor(schedule, 'BTC', 0.2)).toMatchObject({ haircut: 0.5, binding: 'cap' });
    expect(haircutFor(schedule, 'USDC', 0.001)).toMatchObject({ haircut: 0.01, binding: 'floor' });
    expect(haircutFor(schedule, 'USD', 0.5).haircut).toBe(0);
    expect(haircutFor(schedule, 'PEPE', 0.04)).toMatchObject({ floor: 0.1, cap: 0.75, binding: 'volatility' });
    expect(haircutFor(schedule, 'ETH', undefined)).toMatchObject({ haircut: 0.5, binding: 'no-volatility' });
    expect(() => haircutFor(schedule, 'ETH', -0.1)).toThrow(/volatilityDaily\.ETH/);
  });

  it('post-incident daily vol is the EWMA forecast (methods.md §5.1 example: 0.017132623645075108)', () => {
    const example = readJsonFixture<Json>('fixtures/reference/correlation/literature.json')['fhs_ewma_example'];
    expect(postIncidentDailyVolatility(example.returns)).toBeCloseTo(example.sigma_T_plus_1, 15);
  });

  it('schedule validation reports every bad field', () => {
    const bad = validateHaircutSchedule({ ...scheduleJson, confidence: 1.2, assets: { ...scheduleJson.assets, BTC: { floor: 0.6, cap: 0.5 }, eth: { floor: 0, cap: 1 } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path).sort()).toEqual(['assets.BTC.cap', 'assets.eth', 'confidence']);
  });
});

describe('collateral value after haircuts, excess/deficit and the margin call', () => {
  const holdings = [{ asset: 'BTC', quantity: 2 }, { asset: 'USDC', quantity: 50_000 }, { asset: 'ETH', quantity: -10 }, { asset: 'BTC', quantity: 0.5 }, { asset: 'USD', quantity: 1000 }];
  const pricesUsd = { BTC: 70_000, USDC: 0.9998, ETH: 2_000 };
  const volatilityDaily = { BTC: 0.03, USDC: 0.0005, ETH: 0.04 };
  const v = valueCollateral({ holdings, pricesUsd, volatilityDaily, schedule });

  it('per asset by hand: holdings haircut down, debts haircut up; totals add up', () => {
    const by = Object.fromEntries(v.holdings.map((h) => [h.asset, h]));
    const hBtc = Z99 * 0.03 * Math.SQRT2;
    expect(by['BTC']!.quantity).toBe(2.5);
    expect(by['BTC']!.valueAfterHaircutUsd).toBeCloseTo(175_000 * (1 - hBtc), 8);
    expect(by['USDC']!.valueAfterHaircutUsd).toBeCloseTo(49_990 * 0.99, 8);
    const hEth = Z99 * 0.04 * Math.SQRT2;
    expect(by['ETH']!.valueAfterHaircutUsd).toBeCloseTo(-20_000 * (1 + hEth), 8);
    expect(by['USD']!).toMatchObject({ priceUsd: 1, haircut: 0, valueAfterHaircutUsd: 1000 });
    expect(v.valueUsd).toBeCloseTo(175_000 + 49_990 - 20_000 + 1000, 8);
    expect(v.valueAfterHaircutUsd).toBeCloseTo(v.valueUsd - v.haircutUsd, 8);
    expect(() => valueCollateral({ holdings: [{ asset: 'SOL', quantity: 1 }], pricesUsd, schedule })).toThrow(/pricesUsd\.SOL/);
  });

  it('excess above IM; deficit between MM and IM without a call; below MM a call that restores IM', () => {
    expect(marginCall({ collateralAfterHaircutsUsd: 120, initialMarginUsd: 100, maintenanceMarginUsd: 80 })).toEqual({ status: 'excess', excessUsd: 20, deficitUsd: 0, callRequired: false, callAmountUsd: 0 });
    expect(marginCall({ collateralAfterHaircutsUsd: 90, initialMarginUsd: 100, maintenanceMarginUsd: 80 })).toEqual({ status: 'below-initial', excessUsd: -10, deficitUsd: 10, callRequired: false, callAmountUsd: 0 });
    expect(marginCall({ collateralAfterHaircutsUsd: 70, initialMarginUsd: 100, maintenanceMarginUsd: 80 })).toEqual({ status: 'margin-call', excessUsd: -30, deficitUsd: 30, callRequired: true, callAmountUsd: 30 });
    expect(marginCall({ collateralAfterHaircutsUsd: 99, initialMarginUsd: 100 }).callAmountUsd).toBe(1); // MM defaults to IM
    expect(() => marginCall({ collateralAfterHaircutsUsd: 1, initialMarginUsd: 100, maintenanceMarginUsd: 120 })).toThrow(MarginInputError);
    expect(() => marginCall({ collateralAfterHaircutsUsd: Number.NaN, initialMarginUsd: 100 })).toThrow(/collateralAfterHaircutsUsd/);
  });

  it('end to end: a BTC-collateralised short put book under the venue margin, in USD, gets called after the vol spike', () => {
    const model = readJsonFixture('models/margin/deribit-pm/1.0.0.json');
    const pm = (iv: number) => deribitPortfolioMargin({
      currency: 'BTC', indexPrice: 70_000, asOf: '2026-02-05T12:00:00Z', params: model,
      positions: [{ instrument: 'BTC-27MAR26-60000-P', quantity: -20 }], marks: { 'BTC-27MAR26-60000-P': { forward: 70_420.5, iv } },
    });
    const collateral = valueCollateral({ holdings: [{ asset: 'BTC', quantity: 2.5 }], pricesUsd: { BTC: 70_000 }, volatilityDaily: { BTC: 0.03 }, schedule });
    const calm = marginCall({ collateralAfterHaircutsUsd: collateral.valueAfterHaircutUsd, initialMarginUsd: pm(0.45).usd.initialMargin, maintenanceMarginUsd: pm(0.45).usd.maintenanceMargin });
    const stressed = pm(1.2);
    const after = marginCall({ collateralAfterHaircutsUsd: collateral.valueAfterHaircutUsd, initialMarginUsd: stressed.usd.initialMargin, maintenanceMarginUsd: stressed.usd.maintenanceMargin });
    expect(calm.status).toBe('excess');
    expect(after.status).toBe('margin-call');
    expect(after.callAmountUsd).toBeCloseTo(stressed.usd.initialMargin - collateral.valueAfterHaircutUsd, 6);
  });
});

describe('collateral revalued inside the scenarios (wrong-way risk)', () => {
  const grid = venueGridScenarios(expectValid(validateDeribitGridModel(readJsonFixture('models/scenarios/deribit-grid/1.0.0.json')), 'grid'), { underlyings: ['BTC'] });

  it('BTC collateral loses with the price; stablecoins and USD do not move', () => {
    const pnl = collateralScenarioPnl([{ asset: 'BTC', quantity: 2 }, { asset: 'USDC', quantity: 1e6 }, { asset: 'USD', quantity: 5 }], { BTC: 70_000, USDC: 1 }, grid);
    expect(pnl).toHaveLength(35);
    expect(pnl[0]).toBeCloseTo(140_000 * -0.16, 8);
    expect(pnl[13]).toBe(0);
    expect(pnl[27]).toBeCloseTo(140_000 * -0.66, 8);
    const out = new Float64Array(40).fill(9);
    collateralScenarioPnl([{ asset: 'BTC', quantity: 1 }], { BTC: 1 }, grid, out);
    expect(out[0]).toBeCloseTo(-0.16, 15);
    expect(out[39]).toBe(9); // beyond the scenarios: untouched
  });
});
