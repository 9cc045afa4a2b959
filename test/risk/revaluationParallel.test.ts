/**
 * The worker pool (src/risk/parallel, piscina over SharedArrayBuffers) gives the same numbers as the single-thread
 * path, bit for bit: instrument x scenario matrices (sticky strike and sticky moneyness, fitted SVI smiles, time
 * steps), account aggregation and streamed worst cases, on the fixture book.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aggregateAccounts, allocateWorstCase, baseMarketFromUniverse, createRevaluationPool, isShared, parsePortfolioJson,
  resolvePortfolio, revalueInstruments, revaluePortfolio, worstCaseRows, type BaseMarket, type PortfolioBook, type RevaluationPool,
} from '../../src/risk/index.ts';
import type { ScenarioSet } from '../../src/scenarios/index.ts';
import { readFileSync } from 'node:fs';
import { FIXTURE_ACCOUNTS, fixtureUniverse, randomScenarioSet, repoPath, venueGrid } from './revaluationSupport.ts';

/** Bytewise equality of two typed arrays (NaN payloads and signed zeros included). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('parallel revaluation equals the single-thread path bit for bit', () => {
  let pool: RevaluationPool;
  let book: PortfolioBook;
  let market: BaseMarket;
  let scenarioSets: ScenarioSet[];

  beforeAll(async () => {
    pool = createRevaluationPool({ threads: 2, tasksPerThread: 5 });
    const universe = await fixtureUniverse();
    const parsed = parsePortfolioJson(readFileSync(repoPath(FIXTURE_ACCOUNTS), 'utf8'));
    book = resolvePortfolio(parsed.accounts, { asOfMs: universe.asOfMs, listed: universe.listed }).book;
    market = baseMarketFromUniverse(universe, { smile: 'svi' });
    scenarioSets = [venueGrid(), randomScenarioSet(200, 'parallel')];
  });
  afterAll(async () => {
    await pool?.destroy();
  });

  it('instrument x scenario matrices, sticky strike and sticky moneyness', async () => {
    for (const set of scenarioSets) {
      for (const stickiness of ['sticky-strike', 'sticky-moneyness'] as const) {
        const single = revalueInstruments(book.table, market, set, { stickiness });
        const parallel = await pool.revalueInstruments(book.table, market, set, { stickiness });
        expect(isShared(parallel.pnlUsd)).toBe(true);
        expect(single.failedCells).toBe(0);
        expect(sameBits(parallel.pnlUsd, single.pnlUsd), `${set.id} ${stickiness} usd`).toBe(true);
        expect(sameBits(parallel.pnlSettlement, single.pnlSettlement), `${set.id} ${stickiness} settlement`).toBe(true);
        expect(sameBits(parallel.status, single.status)).toBe(true);
      }
    }
  });

  it('account aggregation and worst cases', async () => {
    const set = scenarioSets[1] as ScenarioSet;
    const single = revaluePortfolio(book, market, set);
    const parallel = await pool.revaluePortfolio(book, market, set);
    expect(sameBits(parallel.positionPnlUsd, single.positionPnlUsd)).toBe(true);
    expect(sameBits(parallel.collateralPnlUsd, single.collateralPnlUsd)).toBe(true);
    const S = single.scenarioCount;
    expect(sameBits(await pool.aggregateAccounts(book.positions, single.instruments.pnlUsd, S), aggregateAccounts(book.positions, single.instruments.pnlUsd, S))).toBe(true);
    const weights = Float64Array.from({ length: S }, (_, s) => 1 - (s % 7) / 10);
    const tailCount = Math.max(1, Math.ceil(S * 0.025));
    const pw = await pool.worstCase(book, single.instruments.pnlUsd, S, weights, tailCount);
    const sw = allocateWorstCase(book.accountIds.length);
    worstCaseRows(book.positions, book.collateral, single.instruments.pnlUsd, S, weights, 0, book.accountIds.length, sw, {
      positions: new Float64Array(S), collateral: new Float64Array(S), tail: new Float64Array(tailCount),
    }, tailCount);
    for (const key of ['worstPositionPnl', 'worstPositionScenario', 'worstTotalPnl', 'worstTotalScenario', 'collateralPnlAtWorst', 'totalExpectedShortfall'] as const) {
      expect(sameBits(pw[key], sw[key]), key).toBe(true);
    }
  });
});
