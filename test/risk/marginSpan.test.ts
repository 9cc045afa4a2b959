import { describe, expect, it } from 'vitest';
import { expectValid, spanScenarios, validateSpanModel, venueGridScenarios, validateDeribitGridModel } from '../../src/scenarios/index.ts';
import { spanMargin, validateSpanMarginModel, MarginInputError } from '../../src/risk/margin/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

const marginModel = readJsonFixture<Record<string, unknown>>('models/margin/span/1.0.0.json');
// McMillan's S&P example (methods.md §5.3): price scan range 20 points on a 400 future (5 %), 500 USD a point
const mcMillan = expectValid(validateSpanModel({
  model: 'scenarios/span', version: '1.0.0', description: 'McMillan S&P example', default: { price_scan_range: 0.05, volatility_scan_range: 0.1 },
  extreme_multiple: 2, extreme_cover_fraction: 0.35, look_ahead_days: 1,
}), 'span');
const set = spanScenarios(mcMillan, { underlyings: ['SPX'] });
const longFuture = Float64Array.from(set.scenarios, (s) => 500 * 400 * (s.spotReturns[0] as number));

describe('SPAN-style scanning risk (methods.md §5.3, McMillan example)', () => {
  it('a long future: scanning risk 10 000 USD at "down 3/3"; the extreme -2 x PSR loss 20 000 counts 7 000', () => {
    const r = spanMargin({ pnl: longFuture, scenarios: set, model: marginModel });
    expect(r.scanningRisk).toBeCloseTo(10_000, 9);
    expect(r.worstScenario).toMatchObject({ index: 12, id: 'span:13' });
    expect(longFuture[15]).toBeCloseTo(-20_000, 9);
    expect(-(longFuture[15] as number) * (set.scenarios[15]!.weight as number)).toBeCloseTo(7_000, 9);
    expect(r.margin).toBe(r.scanningRisk);
  });

  it('a book losing only in the extreme scenario is charged 35 % of that loss', () => {
    const pnl = new Float64Array(16);
    pnl[15] = -30_000;
    pnl[3] = 500; // gains never count
    const r = spanMargin({ pnl, scenarios: set, model: marginModel });
    expect(r.scanningRisk).toBeCloseTo(10_500, 9);
    expect(r.worstScenario?.id).toBe('span:16');
  });

  it('calendar spread charge on the smaller side of the month deltas; short option minimum floors the total', () => {
    const r = spanMargin({
      pnl: longFuture, scenarios: set, model: marginModel,
      monthDeltas: [
        { underlying: 'SPX', month: '2026-03-27', deltaUsd: 1e6 }, { underlying: 'SPX', month: '2026-06-26', deltaUsd: -6e5 },
        { underlying: 'SPX', month: 'perpetual', deltaUsd: 1e5 }, { underlying: 'ETH', month: '2026-03-27', deltaUsd: 5e5 },
      ],
      shortOptionNotionalUsd: 2e6,
    });
    expect(r.spreads['SPX']).toEqual({ spreadDeltaUsd: 6e5, charge: 6000 });
    expect(r.spreads['ETH']).toEqual({ spreadDeltaUsd: 0, charge: 0 });
    expect(r.spreadCharge).toBe(6000);
    expect(r.shortOptionMinimum).toBe(20_000);
    expect(r.margin).toBe(20_000);
    const noSom = spanMargin({ pnl: longFuture, scenarios: set, model: marginModel, monthDeltas: [{ underlying: 'SPX', month: 'a', deltaUsd: 1e6 }, { underlying: 'SPX', month: 'b', deltaUsd: -6e5 }] });
    expect(noSom.margin).toBeCloseTo(16_000, 9);
  });

  it('an all-gain book has zero scanning risk; bad inputs are refused', () => {
    const r = spanMargin({ pnl: new Float64Array(16).fill(1), scenarios: set, model: marginModel });
    expect([r.scanningRisk, r.margin, r.worstScenario]).toEqual([0, 0, null]);
    expect(() => spanMargin({ pnl: new Float64Array(15), scenarios: set, model: marginModel })).toThrow(/pnl\.length/);
    const grid = venueGridScenarios(expectValid(validateDeribitGridModel(readJsonFixture('models/scenarios/deribit-grid/1.0.0.json')), 'grid'), { underlyings: ['BTC'] });
    expect(() => spanMargin({ pnl: new Float64Array(35), scenarios: grid, model: marginModel })).toThrow(MarginInputError);
    expect(() => spanMargin({ pnl: longFuture, scenarios: set, model: marginModel, shortOptionNotionalUsd: -1 })).toThrow(/shortOptionNotionalUsd/);
    expect(validateSpanMarginModel({ ...marginModel, short_option_minimum_rate: 2 }).ok).toBe(false);
  });
});
