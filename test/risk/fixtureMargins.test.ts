/**
 * Every fixture account (fixtures/portfolios/fixture-accounts.json, 3000 synthetic books on the real instruments of
 * the 2026-02-04 Deribit snapshot) gets a venue-compatible portfolio margin per settlement currency from the
 * snapshot's own marks: no account may fail, and every margin figure must be finite and non-negative with IM >= MM.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDeribitSnapshot, loadPerpetualFutures } from '../../src/market/load/index.ts';
import { deribitPortfolioMargin } from '../../src/risk/index.ts';

interface FixtureAccount { id: string; desk: string; positions: { instrument: string; quantity: number }[] }

const dir = 'fixtures/market/deribit_2025_2026';
const snapshotFile = 'deribit_options_snapshot_20260204T213308Z.csv';

describe('venue portfolio margin for every fixture account', () => {
  it('is finite, >= 0 and IM >= MM for all 3000 accounts in BTC and ETH', async () => {
    const doc = JSON.parse(readFileSync('fixtures/portfolios/fixture-accounts.json', 'utf8')) as {
      asOf: string; accounts: FixtureAccount[];
    };
    const params = JSON.parse(readFileSync('models/margin/deribit-pm/1.0.0.json', 'utf8')) as unknown;
    const chain = await loadDeribitSnapshot(`${dir}/${snapshotFile}`);
    expect(chain.failures).toEqual([]);
    const marks: Record<string, { markPrice?: number; forward?: number; iv?: number }> = {};
    const index: Record<string, number> = {};
    for (const q of chain.rows) {
      marks[q.instrument] = { forward: q.forward, ...(q.mark !== undefined ? { markPrice: q.mark } : {}), ...(q.venueMarkIv !== undefined ? { iv: q.venueMarkIv } : {}) };
      if (q.index !== undefined) index[q.underlying] = q.index;
      // the dated future of the option's expiry is marked at that expiry's forward
      const future = q.instrument.split('-').slice(0, 2).join('-');
      marks[future] = { markPrice: q.forward, forward: q.forward };
    }
    const perps = await loadPerpetualFutures(`${dir}/perpetual_futures_prices.csv`);
    for (const p of perps.rows) {
      if (p.snapshotFile === snapshotFile) marks[p.instrument] = { markPrice: p.price, forward: p.price };
    }
    let margined = 0;
    const failures: string[] = [];
    for (const account of doc.accounts) {
      for (const currency of ['BTC', 'ETH']) {
        const positions = account.positions.filter((p) => p.instrument.startsWith(`${currency}-`));
        if (positions.length === 0) continue;
        try {
          const m = deribitPortfolioMargin({ currency, indexPrice: index[currency]!, asOf: doc.asOf, positions, marks, params });
          for (const v of [m.initialMargin, m.maintenanceMargin, m.riskMatrixMargin, m.worstCase]) {
            if (!(Number.isFinite(v) && v >= 0)) failures.push(`${account.id} ${currency}: ${v}`);
          }
          if (!(m.initialMargin >= m.maintenanceMargin)) failures.push(`${account.id} ${currency}: IM < MM`);
          margined++;
        } catch (e) {
          failures.push(`${account.id} ${currency}: ${(e as Error).message}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(margined).toBeGreaterThan(3000);
    console.log(`venue margin: ${margined} account-currency books margined from the 2026-02-04 marks, 0 failures`);
  });
});
