/**
 * Instrument x scenario revaluation: against the mpmath reference (scripts/reference/make_stress_grid_reference.py),
 * hand-checked inverse P&L (perpetual, future, option, in coin and USD), exact zeros, cell and row failures, and the
 * sparse account aggregation against a dense reference.
 */
import { describe, expect, it } from 'vitest';
import { createRng, neumaierSum } from '../../src/math/index.ts';
import { inverseOptionPrice } from '../../src/pricing/index.ts';
import {
  CELL_STATUS, CsrBuilder, INSTRUMENT_KIND, INSTRUMENT_SETTLEMENT, aggregateAccounts, allocateWorstCase, buildInstrumentTable,
  resolvePortfolio, revalueInstruments, revaluePortfolio, settlementPnl, worstCaseRows, RiskInputError, type BaseMarket,
  type UnderlyingMarket,
} from '../../src/risk/index.ts';
import { buildScenarioSet, type ScenarioDraft, type ScenarioSet, type VolShiftRule } from '../../src/scenarios/index.ts';
import { VolSurface, type SviRawParams } from '../../src/surface/index.ts';
import { readJson } from './revaluationSupport.ts';

interface RefInstrument {
  name: string; kind: 'option' | 'future' | 'perpetual' | 'spot'; underlying: string; settlementAsset: string | null;
  inverse?: boolean; expiry?: number; expiryTimestampMs?: number; strike?: number; call?: boolean;
}
interface RefSlice { expiry: number; forward: number; params: SviRawParams }
interface RefCase {
  id: string; stickiness: 'sticky-strike' | 'sticky-moneyness'; smiles: Record<string, RefSlice> | null;
  rows: { instrument: RefInstrument; pnlUsd: number[]; pnlSettlement: number[]; baseValueSettlement: number }[];
}
interface RefDoc {
  asOfMs: number;
  revaluation: {
    market: Record<string, UnderlyingMarket & { vol: number }>;
    scenarios: { underlyings: string[]; scenarios: { id: string; spotReturns: number[]; volShifts: VolShiftRule[]; timeStepDays: number }[] };
    cases: RefCase[];
  };
}
const ref = readJson<RefDoc>('fixtures/reference/risk/stress_grid_reference.json');

function referenceSet(): ScenarioSet {
  const s = ref.revaluation.scenarios;
  return buildScenarioSet({
    id: 'reference', kind: 'hypothetical', modelVersion: 'test/reference@1.0.0', underlyings: s.underlyings, weightMeaning: 'probability',
    scenarios: s.scenarios.map((x) => ({ id: x.id, label: x.id, spotReturns: x.spotReturns, volShifts: x.volShifts, timeStepDays: x.timeStepDays })),
  });
}

function referenceMarket(smiles: Record<string, RefSlice> | null): BaseMarket {
  const out: Record<string, UnderlyingMarket> = {};
  for (const [asset, m] of Object.entries(ref.revaluation.market)) {
    const slice = smiles?.[asset];
    out[asset] = slice === undefined ? m : { ...m, vol: VolSurface.create([{ expiry: slice.expiry, forward: slice.forward, model: { kind: 'svi', params: slice.params } }], { spot: m.spot }) };
  }
  return out;
}

describe('revaluation against the mpmath reference', () => {
  const names = (ref.revaluation.cases[0] as RefCase).rows.map((r) => r.instrument.name);
  const { table, failures } = buildInstrumentTable(names, { asOfMs: ref.asOfMs });

  it('resolves every reference instrument once, with the attributes the reference wrote by hand', () => {
    expect(failures.size).toBe(0);
    expect(table.length).toBe(names.length);
    (ref.revaluation.cases[0] as RefCase).rows.forEach(({ instrument: x }, i) => {
      expect(table.names[i]).toBe(x.name);
      expect(table.kind[i]).toBe(INSTRUMENT_KIND[x.kind]);
      expect((table.underlyingIndex[i] as number) < 0 ? 'USD' : table.assets[table.underlyingIndex[i] as number]).toBe(x.underlying);
      const settle = table.settlementAssetIndex[i] as number;
      expect(settle < 0 ? null : table.assets[settle]).toBe(x.settlementAsset);
      if (x.inverse !== undefined) expect(table.settlement[i]).toBe(x.inverse ? INSTRUMENT_SETTLEMENT.inverse : INSTRUMENT_SETTLEMENT.linear);
      if (x.expiry !== undefined) {
        expect(table.expiry[i]).toBe(x.expiry);
        expect(table.expiryTimestampMs[i]).toBe(x.expiryTimestampMs);
      }
      if (x.strike !== undefined) {
        expect(table.strike[i]).toBe(x.strike);
        expect(table.isCall[i]).toBe(x.call ? 1 : 0);
      }
    });
  });

  for (const c of ref.revaluation.cases) {
    it(`${c.id}: P&L in USD and in the settlement asset, every instrument and scenario`, () => {
      const r = revalueInstruments(table, referenceMarket(c.smiles), referenceSet(), { stickiness: c.stickiness });
      const S = r.scenarioCount;
      expect(r.failedCells).toBe(0);
      let worstUsd = 0;
      let worstSettle = 0;
      c.rows.forEach((row, i) => {
        // USD: the price unit is the underlying's spot; coin values are per coin
        const spot = row.instrument.underlying === 'USD' ? 1 : (ref.revaluation.market[row.instrument.underlying]?.spot ?? 1);
        const unit = row.instrument.inverse ? 1 : spot;
        expect(Math.abs((r.baseValueSettlement[i] as number) - row.baseValueSettlement)).toBeLessThanOrEqual(1e-14 * unit);
        for (let s = 0; s < S; s++) {
          const usd = r.pnlUsd[i * S + s] as number;
          const settle = r.pnlSettlement[i * S + s] as number;
          worstUsd = Math.max(worstUsd, Math.abs(usd - (row.pnlUsd[s] as number)) / (spot * 3));
          worstSettle = Math.max(worstSettle, Math.abs(settle - (row.pnlSettlement[s] as number)) / (row.instrument.inverse ? 3 : spot * 3));
        }
      });
      // errors relative to the notional of one unit (spot, or one coin for coin values; moves up to +200 %)
      expect(worstUsd).toBeLessThan(1e-14);
      expect(worstSettle).toBeLessThan(1e-14);
    });
  }

  it('writes into caller buffers when given (same numbers), and rejects buffers of the wrong size', () => {
    const c = ref.revaluation.cases[1] as RefCase;
    const fresh = revalueInstruments(table, referenceMarket(c.smiles), referenceSet(), { stickiness: c.stickiness });
    const cells = fresh.pnlUsd.length;
    const out = { pnlUsd: new Float64Array(cells), pnlSettlement: new Float64Array(cells), status: new Uint8Array(cells).fill(9) };
    const reused = revalueInstruments(table, referenceMarket(c.smiles), referenceSet(), { stickiness: c.stickiness }, out);
    expect(reused.pnlUsd).toBe(out.pnlUsd);
    expect([...out.pnlUsd]).toEqual([...fresh.pnlUsd]);
    expect([...out.status]).toEqual([...fresh.status]);
    expect(() => revalueInstruments(table, referenceMarket(c.smiles), referenceSet(), {}, { ...out, pnlSettlement: new Float64Array(3) })).toThrow(RiskInputError);
  });

  it('the zero scenario gives exactly zero P&L on every row', () => {
    for (const c of ref.revaluation.cases) {
      const r = revalueInstruments(table, referenceMarket(c.smiles), referenceSet(), { stickiness: c.stickiness });
      for (let i = 0; i < r.instrumentCount; i++) {
        expect(r.pnlUsd[i * r.scenarioCount]).toBe(0);
        expect(r.pnlSettlement[i * r.scenarioCount]).toBe(0);
      }
    }
  });
});

describe('inverse instruments, hand-checked', () => {
  const asOfMs = Date.UTC(2026, 1, 4, 21, 33, 8);
  const names = ['BTC-PERPETUAL', 'BTC-27MAR26', 'BTC-27MAR26-80000-C', 'BTC-27MAR26-60000-P', 'BTC', 'USDC'];
  const { table } = buildInstrumentTable(names, { asOfMs });
  const S0 = 73000;
  const P0 = 73100;
  const F0 = 73900;
  const T = (Date.UTC(2026, 2, 27, 8) - asOfMs) / (365 * 86_400_000);
  const market: BaseMarket = {
    BTC: { spot: S0, perpetual: P0, vol: 0.5, forwards: [{ expiryTimestampMs: Date.UTC(2026, 2, 27, 8), forward: F0 }] },
  };
  const moves = [-0.5, -0.16, -0.01, 0.02, 0.16, 1, 5];
  const set = buildScenarioSet({
    id: 'moves', kind: 'hypothetical', modelVersion: 'test/moves@1.0.0', underlyings: ['BTC'], weightMeaning: 'probability',
    scenarios: moves.map((m): ScenarioDraft => ({ id: `m${m}`, label: `${m}`, spotReturns: [m], volShifts: [{ kind: 'parallel', shift: 0 }], timeStepDays: 0 })),
  });
  const r = revalueInstruments(table, market, set);
  const S = moves.length;
  const cell = (name: string, s: number): { usd: number; coin: number } => {
    const i = table.rowOf.get(name) as number;
    return { usd: r.pnlUsd[i * S + s] as number, coin: r.pnlSettlement[i * S + s] as number };
  };

  it('perpetual: coin P&L q m / (1 + m), USD P&L = coin P&L x new index', () => {
    moves.forEach((m, s) => {
      const { usd, coin } = cell('BTC-PERPETUAL', s);
      expect(coin).toBeCloseTo(m / (1 + m), 15);
      expect(Math.abs(coin - m / (1 + m))).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(m)));
      expect(Math.abs(usd - coin * S0 * (1 + m))).toBeLessThanOrEqual(1e-15 * S0 * (1 + Math.abs(m)));
      // USD P&L of a coin-equivalent notional = (m / (1 + m)) S0 (1 + m) = m S0: the linear P&L of the notional
      expect(usd).toBeCloseTo(m * S0, 7);
    });
  });

  it('dated future: the same q m / (1 + m) on its own forward (instantaneous move, basis kept)', () => {
    moves.forEach((m, s) => {
      const { coin } = cell('BTC-27MAR26', s);
      expect(Math.abs(coin - m / (1 + m))).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(m)));
    });
  });

  // The kernel forms ln(F'/K) from its parts (ln(F0/K) + log1p(m) + ln decay) instead of rounding F' first, so a cell
  // may differ from the public pricer at the rounded F0 (1 + m) in the last bits of the price: within 4 ulps.
  it('inverse options: coin P&L = change of the public inverseOptionPrice at F (1 + m) (to 4 ulps); USD = coin value x index', () => {
    for (const [name, type, K] of [['BTC-27MAR26-80000-C', 'call', 80000], ['BTC-27MAR26-60000-P', 'put', 60000]] as const) {
      const p0 = inverseOptionPrice({ forward: F0, strike: K, expiry: T, vol: 0.5, type });
      moves.forEach((m, s) => {
        const p1 = inverseOptionPrice({ forward: F0 * (1 + m), strike: K, expiry: T, vol: 0.5, type });
        const { usd, coin } = cell(name, s);
        const ulps = 4 * Number.EPSILON * Math.max(p0, p1);
        expect(Math.abs(coin - (p1 - p0))).toBeLessThanOrEqual(ulps);
        expect(Math.abs(usd - (p1 * (S0 * (1 + m)) - p0 * S0))).toBeLessThanOrEqual(ulps * S0 * (1 + Math.abs(m)));
      });
    }
  });

  it('spot holdings: USD P&L q S0 m, nothing in their own coin; a stablecoin without a scenario column stays flat', () => {
    moves.forEach((m, s) => {
      expect(cell('BTC', s).usd).toBe(S0 * (1 + m) - S0);
      expect(cell('BTC', s).coin).toBe(0);
      expect(cell('USDC', s).usd).toBe(0);
    });
  });
});

describe('failures are results, not crashes', () => {
  const asOfMs = Date.UTC(2026, 1, 4, 21, 33, 8);
  const flat: VolShiftRule = { kind: 'parallel', shift: 0 };
  const set = (rows: number[][], underlyings: string[]): ScenarioSet => buildScenarioSet({
    id: 'x', kind: 'hypothetical', modelVersion: 'test/x@1.0.0', underlyings, weightMeaning: 'probability',
    scenarios: rows.map((spotReturns, i) => ({ id: `s${i}`, label: `s${i}`, spotReturns, volShifts: underlyings.map(() => flat) })),
  });

  it('an underlying without a base market marks its rows no-market and flags the accounts holding them', () => {
    const accounts = [
      { id: 'a', desk: 'd', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }], collateral: [{ asset: 'USDC', quantity: 1000 }] },
      { id: 'b', desk: 'd', positions: [{ instrument: 'SOL-PERPETUAL', quantity: 1 }], collateral: [] },
    ];
    const { book } = resolvePortfolio(accounts, { asOfMs });
    const r = revaluePortfolio(book, { BTC: { spot: 70000 } }, set([[0.1, 0.1], [-0.1, -0.1]], ['BTC', 'SOL']));
    const sol = book.table.rowOf.get('SOL-PERPETUAL') as number;
    expect(r.instruments.status[sol * 2]).toBe(CELL_STATUS.noMarket);
    expect(r.instruments.failures.map((f) => [f.instrument, f.status, f.cells])).toEqual([['SOL-PERPETUAL', 'no-market', 2]]);
    expect([...r.accountFailed]).toEqual([0, 1]);
    expect(r.failures.map((f) => [f.accountId, f.instruments])).toEqual([['b', ['SOL-PERPETUAL']]]);
    expect(Number.isFinite(r.positionPnlUsd[0])).toBe(true);
    expect(Number.isNaN(r.positionPnlUsd[2])).toBe(true);
  });

  it("an asset missing from the scenario set fails by default and is held flat with missingAsset: 'hold-flat'", () => {
    const { table } = buildInstrumentTable(['ETH-PERPETUAL', 'BTC-PERPETUAL'], { asOfMs });
    const market = { BTC: { spot: 70000 }, ETH: { spot: 2000 } };
    const strict = revalueInstruments(table, market, set([[0.1]], ['BTC']));
    expect(strict.status[0]).toBe(CELL_STATUS.noScenario);
    expect(strict.status[1]).toBe(CELL_STATUS.ok);
    const flatR = revalueInstruments(table, market, set([[0.1]], ['BTC']), { missingAsset: 'hold-flat' });
    expect(flatR.pnlUsd[0]).toBe(0);
    expect(flatR.failedCells).toBe(0);
  });

  it('a non-finite scenario price is a cell status (the other cells and rows are kept)', () => {
    const { table } = buildInstrumentTable(['BTC-27MAR26-80000-C', 'ETH-PERPETUAL'], { asOfMs });
    const r = revalueInstruments(table, { BTC: { spot: 70000, vol: 0.5 }, ETH: { spot: 2000 } }, set([[0.1, 0.1], [1e308, 0.2]], ['BTC', 'ETH']));
    expect([...r.status]).toEqual([CELL_STATUS.ok, CELL_STATUS.nonFinite, CELL_STATUS.ok, CELL_STATUS.ok]);
    expect(Number.isNaN(r.pnlUsd[1])).toBe(true);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ instrument: 'BTC-27MAR26-80000-C', status: 'non-finite', cells: 1 });
  });

  it('an option without a vol is a bad-base row; malformed market input is a typed error', () => {
    const { table } = buildInstrumentTable(['BTC-27MAR26-80000-C'], { asOfMs });
    const r = revalueInstruments(table, { BTC: { spot: 70000 } }, set([[0.1]], ['BTC']));
    expect(r.status[0]).toBe(CELL_STATUS.badBase);
    expect(r.failures[0]?.detail).toContain('no vol');
    expect(() => revalueInstruments(table, { BTC: { spot: -1 } }, set([[0.1]], ['BTC']))).toThrow(RiskInputError);
    let err: unknown;
    try {
      revalueInstruments(table, { BTC: { spot: 1, vol: Number.NaN } }, set([[0.1]], ['BTC']));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RiskInputError);
    expect((err as RiskInputError).field).toBe('market.BTC.vol');
  });
});

describe('sparse aggregation', () => {
  const rng = createRng('sparse-aggregation');
  const accounts = 300;
  const instruments = 40;
  const S = 17;
  const matrix = new Float64Array(instruments * S);
  for (let k = 0; k < matrix.length; k++) matrix[k] = 1000 * rng.nextNormal();
  const b = new CsrBuilder();
  const dense = new Float64Array(accounts * instruments);
  for (let a = 0; a < accounts; a++) {
    const n = Math.floor(rng.nextFloat64() * 12);
    const cols = new Set<number>();
    while (cols.size < n) cols.add(Math.floor(rng.nextFloat64() * instruments));
    for (const c of [...cols].sort((x, y) => x - y)) {
      const q = Math.round(100 * rng.nextNormal()) / 10;
      b.push(c, q);
      dense[a * instruments + c] = q;
    }
    b.endRow();
  }
  const csr = b.build(instruments);

  it('equals the dense product: bit for bit with the same summation order, and within 1e-15 of a compensated sum', () => {
    const out = aggregateAccounts(csr, matrix, S);
    for (let a = 0; a < accounts; a++) {
      for (let s = 0; s < S; s++) {
        let naive = 0;
        const terms: number[] = [];
        for (let c = 0; c < instruments; c++) {
          const q = dense[a * instruments + c] as number;
          if (q !== 0) {
            naive += q * (matrix[c * S + s] as number);
            terms.push(q * (matrix[c * S + s] as number));
          }
        }
        const got = out[a * S + s] as number;
        expect(got).toBe(naive);
        const exact = neumaierSum(terms);
        const mag = terms.reduce((x, t) => x + Math.abs(t), 0);
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(16 * Number.EPSILON * mag);
      }
    }
  });

  it('the streamed worst cases equal the minima of the full product', () => {
    const collateral = (() => {
      const cb = new CsrBuilder();
      for (let a = 0; a < accounts; a++) {
        if (a % 3 === 0) cb.push(a % instruments, 2);
        cb.endRow();
      }
      return cb.build(instruments);
    })();
    const pos = aggregateAccounts(csr, matrix, S);
    const col = aggregateAccounts(collateral, matrix, S);
    const weights = Float64Array.from({ length: S }, (_, s) => (s % 4 === 0 ? 0.5 : 1));
    const out = allocateWorstCase(accounts);
    worstCaseRows(csr, collateral, matrix, S, weights, 0, accounts, out, { positions: new Float64Array(S), collateral: new Float64Array(S) });
    for (let a = 0; a < accounts; a++) {
      let best = Infinity;
      let at = -1;
      let bestT = Infinity;
      let atT = -1;
      for (let s = 0; s < S; s++) {
        const p = (weights[s] as number) * (pos[a * S + s] as number);
        const t = p + (weights[s] as number) * (col[a * S + s] as number);
        if (p < best) [best, at] = [p, s];
        if (t < bestT) [bestT, atT] = [t, s];
      }
      expect(out.worstPositionPnl[a]).toBe(best);
      expect(out.worstPositionScenario[a]).toBe(at);
      expect(out.worstTotalPnl[a]).toBe(bestT);
      expect(out.worstTotalScenario[a]).toBe(atT);
      expect(Number.isNaN(out.totalExpectedShortfall[a])).toBe(true); // no tail asked for
    }
    // with a tail: the mean of the k largest losses of the weighted total vector of the dense product (sorted here)
    for (const k of [1, 3, S - 1]) {
      const withTail = allocateWorstCase(accounts);
      worstCaseRows(csr, collateral, matrix, S, weights, 0, accounts, withTail, {
        positions: new Float64Array(S), collateral: new Float64Array(S), tail: new Float64Array(k),
      }, k);
      for (let a = 0; a < accounts; a++) {
        const total = Float64Array.from({ length: S }, (_, s) => (weights[s] as number) * (pos[a * S + s] as number) + (weights[s] as number) * (col[a * S + s] as number));
        const losses = Array.from(total, (v) => -v).sort((x, y) => y - x);
        const expected = losses.slice(0, k).reduce((x, y) => x + y, 0) / k;
        expect(Math.abs((withTail.totalExpectedShortfall[a] as number) - expected)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(expected));
        expect(withTail.worstTotalPnl[a]).toBe(out.worstTotalPnl[a]);
      }
    }
    expect(() => worstCaseRows(csr, collateral, matrix, S, weights, 0, accounts, out, { positions: new Float64Array(S), collateral: new Float64Array(S) }, 2))
      .toThrow(RiskInputError);
  });

  it('shape mismatches are typed errors', () => {
    expect(() => aggregateAccounts(csr, new Float64Array(5), S)).toThrow(RiskInputError);
  });
});

describe('settlement-currency P&L', () => {
  it('the coin P&L of the BTC-settled positions is the quantity-weighted sum of their coin rows (spot excluded)', () => {
    const asOfMs = Date.UTC(2026, 1, 4, 21, 33, 8);
    const { book } = resolvePortfolio([{
      id: 'a', desk: 'd', collateral: [{ asset: 'BTC', quantity: 3 }],
      positions: [{ instrument: 'BTC-PERPETUAL', quantity: 2 }, { instrument: 'BTC-27MAR26-80000-C', quantity: -1.5 }, { instrument: 'ETH-PERPETUAL', quantity: 10 }, { instrument: 'BTC', quantity: 1 }],
    }], { asOfMs });
    const scen = buildScenarioSet({
      id: 'x', kind: 'hypothetical', modelVersion: 'test/x@1.0.0', underlyings: ['BTC', 'ETH'], weightMeaning: 'probability',
      scenarios: [{ id: 'a', label: 'a', spotReturns: [-0.2, -0.3], volShifts: [{ kind: 'parallel', shift: 0.1 }, { kind: 'parallel', shift: 0 }] }],
    });
    const r = revaluePortfolio(book, { BTC: { spot: 70000, vol: 0.6 }, ETH: { spot: 2000 } }, scen);
    const btc = settlementPnl(book, r.instruments, 'BTC');
    const row = (n: string): number => r.instruments.pnlSettlement[book.table.rowOf.get(n) as number] as number;
    expect(btc[0]).toBe(0 + 2 * row('BTC-PERPETUAL') + -1.5 * row('BTC-27MAR26-80000-C'));
    expect(() => settlementPnl(book, r.instruments, 'SOL')).toThrow(RiskInputError);
    // collateral moves with its coin: 3 BTC lose 20 %
    expect(r.collateralPnlUsd[0]).toBe(3 * (70000 * (1 - 0.2) - 70000));
  });
});
