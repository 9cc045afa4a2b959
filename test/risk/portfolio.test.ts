/**
 * Portfolio model: parsing with one failure per bad account, instrument resolution once into the table, the fixture
 * book (every account resolves and revalues finitely under the venue grid), and the seeded generator (same seed ->
 * same bytes, and the committed fixture is exactly what the generator makes).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  INSTRUMENT_KIND, INSTRUMENT_SETTLEMENT, baseMarketFromUniverse, buildInstrumentTable, formatPortfolioJson, generateAccountList,
  generateBook, generateBookViaAccounts, parsePortfolioJson, resolvePortfolio, revaluePortfolio, validatePortfolio, type Account,
  type PortfolioBook,
} from '../../src/risk/index.ts';
import { FIXTURE_ARGS, portfolioMeta, syntheticOptions } from '../../scripts/generate-portfolios.ts';
import { FIXTURE_ACCOUNTS, fixtureUniverse, repoPath, venueGrid } from './revaluationSupport.ts';

const asOfMs = Date.UTC(2026, 1, 4, 21, 33, 8);

describe('portfolio parsing', () => {
  const good = { id: 'A1', desk: 'retail', positions: [{ instrument: 'BTC-27MAR26-90000-C', quantity: -1 }], collateral: [{ asset: 'BTC', quantity: 1 }] };

  it('accepts a document or a bare array, keeps metadata, freezes accounts', () => {
    const r = validatePortfolio({ format: 'aftershock.portfolios', version: 1, seed: 7, accounts: [good] });
    expect(r.failures).toEqual([]);
    expect(r.accounts).toEqual([good]);
    expect(Object.isFrozen(r.accounts[0])).toBe(true);
    expect(r.meta).toEqual({ format: 'aftershock.portfolios', version: 1, seed: 7 });
    expect(validatePortfolio([good]).accounts).toHaveLength(1);
    expect(validatePortfolio([{ ...good, collateral: undefined }]).accounts[0]?.collateral).toEqual([]);
  });

  it('one failure per bad account, naming index, id, field and reason; good accounts are kept', () => {
    const bad: [unknown, string, string, string | null][] = [
      [42, '', 'not-an-object', null],
      [{ ...good, id: '' }, 'id', 'empty-value', null],
      [{ ...good, id: 'A1' }, 'id', 'duplicate-id', 'A1'],
      [{ ...good, id: 'B', desk: 3 }, 'desk', 'bad-type', 'B'],
      [{ ...good, id: 'C', positions: {} }, 'positions', 'bad-type', 'C'],
      [{ ...good, id: 'D', positions: [{ instrument: 'BTC', quantity: 1 }, { instrument: 'BTC', quantity: 'x' }] }, 'positions[1].quantity', 'bad-type', 'D'],
      [{ ...good, id: 'E', positions: [{ instrument: 'BTC', quantity: Infinity }] }, 'positions[0].quantity', 'not-finite', 'E'],
      [{ ...good, id: 'F', positions: [{ quantity: 1 }] }, 'positions[0].instrument', 'missing-field', 'F'],
      [{ ...good, id: 'G', collateral: [{ asset: 'btc', quantity: 1 }] }, 'collateral[0].asset', 'unknown-asset', 'G'],
      [{ ...good, id: 'H', collateral: [{ asset: 'BTC', quantity: -1 }] }, 'collateral[0].quantity', 'negative', 'H'],
      [{ ...good, id: 'I', extra: 1 }, 'extra', 'extra-field', 'I'],
      [{ ...good, id: 'J', positions: [{ instrument: 'BTC', quantity: 1, price: 2 }] }, 'positions[0].price', 'extra-field', 'J'],
    ];
    const r = validatePortfolio({ accounts: [good, ...bad.map((b) => b[0]), { ...good, id: 'OK2' }] }, { file: 'book.json' });
    expect(r.accounts.map((a) => a.id)).toEqual(['A1', 'OK2']);
    expect(r.failures).toHaveLength(bad.length);
    r.failures.forEach((f, k) => {
      const [, field, reason, id] = bad[k] as [unknown, string, string, string | null];
      expect(f).toMatchObject({ file: 'book.json', accountIndex: k + 1, accountId: id, field, reason });
    });
  });

  it('a document that is not JSON or has no accounts array is one document-level failure', () => {
    expect(parsePortfolioJson('{"accounts": [', { file: 'x.json' }).failures).toMatchObject([{ file: 'x.json', accountIndex: -1, reason: 'bad-json' }]);
    expect(validatePortfolio({ accounts: 3 }).failures).toMatchObject([{ accountIndex: -1, reason: 'bad-document', field: 'accounts' }]);
  });

  it('the writer round-trips exactly', () => {
    const accounts = validatePortfolio([good, { ...good, id: 'X', positions: [{ instrument: 'ETH-PERPETUAL', quantity: 0.123456789012345 }] }]).accounts;
    expect(parsePortfolioJson(formatPortfolioJson(accounts, { seed: 1 })).accounts).toEqual(accounts);
  });
});

describe('instrument resolution', () => {
  it('resolves each distinct name once into the structure-of-arrays table', () => {
    const names = ['BTC-27MAR26-90000-C', 'BTC-27MAR26-90000-C', 'ETH-27MAR26', 'BTC-PERPETUAL', 'BTC_USDC-26JUN26-80000-P', 'USDC', 'USD', 'BTC'];
    const { table, failures } = buildInstrumentTable(names, { asOfMs });
    expect(failures.size).toBe(0);
    expect(table.names).toEqual(['BTC-27MAR26-90000-C', 'ETH-27MAR26', 'BTC-PERPETUAL', 'BTC_USDC-26JUN26-80000-P', 'USDC', 'USD', 'BTC']);
    expect(table.assets).toEqual(['BTC', 'ETH', 'USDC']);
    expect([...table.kind]).toEqual([INSTRUMENT_KIND.option, INSTRUMENT_KIND.future, INSTRUMENT_KIND.perpetual, INSTRUMENT_KIND.option, INSTRUMENT_KIND.spot, INSTRUMENT_KIND.spot, INSTRUMENT_KIND.spot]);
    expect([...table.settlement]).toEqual([1, 1, 1, 0, 0, 0, 0].map((x) => (x ? INSTRUMENT_SETTLEMENT.inverse : INSTRUMENT_SETTLEMENT.linear)));
    expect([...table.underlyingIndex]).toEqual([0, 1, 0, 0, 2, -1, 0]);
    expect([...table.settlementAssetIndex]).toEqual([0, 1, 0, 2, 2, -1, 0]);
    expect(table.expiry[0]).toBe((Date.UTC(2026, 2, 27, 8) - asOfMs) / (365 * 86_400_000));
    expect(table.strike[0]).toBe(90000);
    expect(table.isCall[0]).toBe(1);
    expect(table.isCall[3]).toBe(0);
    expect(Number.isNaN(table.expiry[2])).toBe(true);
    expect(Number.isNaN(table.strike[1])).toBe(true);
    expect([...table.multiplier]).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('unknown, unlisted and expired names fail once each, and the accounts holding them are reported, not dropped silently', () => {
    const listed = new Set(['BTC-27MAR26-90000-C', 'BTC-PERPETUAL']);
    const accounts: Account[] = [
      { id: 'ok', desk: 'd', positions: [{ instrument: 'BTC-27MAR26-90000-C', quantity: 1 }], collateral: [{ asset: 'USDC', quantity: 5 }] },
      { id: 'bad', desk: 'd', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }, { instrument: 'BTC-27MAR26-91000-C', quantity: 1 }, { instrument: 'FOO BAR', quantity: 1 }], collateral: [] },
      { id: 'old', desk: 'd', positions: [{ instrument: 'BTC-30JAN26', quantity: 1 }], collateral: [] },
    ];
    const { book, failures } = resolvePortfolio(accounts, { asOfMs, listed, file: 'f.json' });
    expect(book.accountIds).toEqual(['ok']);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ file: 'f.json', accountIndex: 1, accountId: 'bad', field: 'positions[1].instrument', reason: 'unknown-instrument', instruments: ['BTC-27MAR26-91000-C', 'FOO BAR'] });
    expect(failures[1]).toMatchObject({ accountIndex: 2, accountId: 'old', reason: 'expired-instrument', instruments: ['BTC-30JAN26'] });
    expect([...book.positions.rowPtr]).toEqual([0, 1]);
    expect([...book.collateral.values]).toEqual([5]);
  });
});

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('fixture accounts and the generator', () => {
  const committed = readFileSync(repoPath(FIXTURE_ACCOUNTS), 'utf8');

  it('same seed -> same file hash, and the committed fixture is exactly the generator output', async () => {
    const universe = await fixtureUniverse();
    const meta = portfolioMeta(FIXTURE_ARGS, universe);
    const first = formatPortfolioJson(generateAccountList(universe, syntheticOptions(FIXTURE_ARGS)), meta);
    const second = formatPortfolioJson(generateAccountList(universe, syntheticOptions(FIXTURE_ARGS)), meta);
    expect(hash(first)).toBe(hash(second));
    expect(hash(first)).toBe(hash(committed));
    const other = formatPortfolioJson(generateAccountList(universe, { ...syntheticOptions(FIXTURE_ARGS), seed: 1 }), meta);
    expect(hash(other)).not.toBe(hash(first));
    expect(Buffer.byteLength(committed)).toBeLessThan(2 * 1024 * 1024);
  });

  it('every fixture account parses and resolves on the snapshot listing; desks, strategies and collateral are all there', async () => {
    const universe = await fixtureUniverse();
    const parsed = parsePortfolioJson(committed, { file: 'fixture-accounts.json' });
    expect(parsed.failures).toEqual([]);
    expect(parsed.accounts.length).toBe(3000);
    const { book, failures } = resolvePortfolio(parsed.accounts, { asOfMs: universe.asOfMs, listed: universe.listed });
    expect(failures).toEqual([]);
    expect(new Set(book.desks)).toEqual(new Set(['retail', 'vol-arb', 'delta-one', 'mm']));
    expect(new Set(book.table.assets)).toEqual(new Set(['BTC', 'ETH', 'USDC', 'USDT']));
    const kinds = new Set([...book.table.kind]);
    expect(kinds).toEqual(new Set([INSTRUMENT_KIND.option, INSTRUMENT_KIND.future, INSTRUMENT_KIND.perpetual, INSTRUMENT_KIND.spot]));
    const has = (pred: (a: Account) => boolean): number => parsed.accounts.filter(pred).length;
    const opt = (a: Account, t: 'C' | 'P', sign: number): boolean => a.positions.some((p) => p.instrument.endsWith(`-${t}`) && Math.sign(p.quantity) === sign);
    expect(has((a) => opt(a, 'C', -1) && a.collateral.some((c) => c.asset === 'BTC' || c.asset === 'ETH'))).toBeGreaterThan(100); // covered calls
    expect(has((a) => opt(a, 'C', -1) && opt(a, 'P', -1))).toBeGreaterThan(50); // short strangles/straddles
    expect(has((a) => opt(a, 'P', 1) && a.positions.some((p) => p.instrument === 'BTC' || p.instrument === 'ETH'))).toBeGreaterThan(50); // protective puts
    expect(has((a) => a.positions.some((p) => p.instrument.endsWith('PERPETUAL') && p.quantity > 0))).toBeGreaterThan(100); // perp longs
    expect(has((a) => a.positions.some((p) => /^[A-Z]+-\d+[A-Z]{3}\d\d$/.test(p.instrument)))).toBeGreaterThan(100); // futures
  });

  it('every fixture account revalues finitely under the venue grid, positions and collateral, both stickiness modes', async () => {
    const universe = await fixtureUniverse();
    const { book } = resolvePortfolio(parsePortfolioJson(committed).accounts, { asOfMs: universe.asOfMs, listed: universe.listed });
    const grid = venueGrid();
    for (const [smile, stickiness] of [['atm', 'sticky-strike'], ['svi', 'sticky-moneyness']] as const) {
      const r = revaluePortfolio(book, baseMarketFromUniverse(universe, { smile }), grid, { stickiness });
      expect(r.instruments.failedCells).toBe(0);
      expect(r.failures).toEqual([]);
      expect(r.positionPnlUsd.length).toBe(3000 * grid.scenarios.length);
      expect(r.positionPnlUsd.every(Number.isFinite)).toBe(true);
      expect(r.collateralPnlUsd.every(Number.isFinite)).toBe(true);
      // the unchanged-price, unchanged-vol bucket is exactly zero for every account
      const s0 = grid.scenarios.findIndex((s) => s.id === 'grid:standard:0:same');
      for (let a = 0; a < 3000; a++) expect(r.positionPnlUsd[a * grid.scenarios.length + s0]).toBe(0);
    }
  });

  it('the compact benchmark path (generateBook) builds the same book as the account path', async () => {
    const universe = await fixtureUniverse();
    const options = { seed: 'bench-check', accounts: 400, positionsPerAccount: 10 };
    const fast = generateBook(universe, options);
    const slow = generateBookViaAccounts(universe, options);
    const rows = (b: PortfolioBook, m: 'positions' | 'collateral'): string[] =>
      b.accountIds.map((_, a) => {
        const csr = b[m];
        const parts: string[] = [];
        for (let k = csr.rowPtr[a] as number; k < (csr.rowPtr[a + 1] as number); k++) parts.push(`${b.table.names[csr.colIndex[k] as number]}:${csr.values[k]}`);
        return parts.join(',');
      });
    expect(fast.accountIds).toEqual(slow.accountIds);
    expect(rows(fast, 'positions')).toEqual(rows(slow, 'positions'));
    expect(rows(fast, 'collateral')).toEqual(rows(slow, 'collateral'));
    for (let a = 0; a < 400; a++) expect((fast.positions.rowPtr[a + 1] as number) - (fast.positions.rowPtr[a] as number)).toBe(10);
  });
});
