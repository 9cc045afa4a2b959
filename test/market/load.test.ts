import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadCanonicalOptions, loadCanonicalPrices, loadCboeQuoteTable, loadCddDaily, loadDeribitBook, loadDeribitSnapshot,
  loadPerpetualFutures, loadTermFutures,
} from '../../src/market/load/index.ts';
import { fixturePath, snapshotPath } from './fixtures.ts';

describe('loaders', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftershock-market-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('load each fixture format through its parser', async () => {
    expect((await loadDeribitSnapshot(fixturePath(snapshotPath('20260204T213308Z')))).rows).toHaveLength(1688);
    expect((await loadDeribitBook(fixturePath('deribit_2020/btc_options_data.csv'))).rows).toHaveLength(310);
    expect((await loadCboeQuoteTable(fixturePath('spx_2011/SPX-Options-24jan2011.csv'))).rows).toHaveLength(1920);
    expect((await loadCddDaily(fixturePath('crypto_daily/Binance_SOLUSDT_d.csv'))).rows).toHaveLength(2101);
    expect((await loadPerpetualFutures(fixturePath('deribit_2025_2026/perpetual_futures_prices.csv'))).rows).toHaveLength(838);
    expect((await loadTermFutures(fixturePath('deribit_2025_2026/term_futures_marks.csv'))).rows).toHaveLength(56);
  });

  it('put the file name into failures', async () => {
    const prices = join(dir, 'prices.csv');
    await writeFile(prices, 'date,asset,close\n2026-01-01,BTC,1\n2026-01-02,BTC,x\n');
    expect((await loadCanonicalPrices(prices)).failures).toEqual([
      { file: 'prices.csv', line: 3, column: 'close', reason: 'not-a-number', value: 'x' },
    ]);
    const chain = join(dir, 'chain.csv');
    await writeFile(chain, 'underlying,expiry,strike,type,bid,ask,forward,timestamp\nBTC,2026-03-27,90000,call,1,2,,nope\n');
    expect((await loadCanonicalOptions(chain)).failures).toMatchObject([{ file: 'chain.csv', line: 2, column: 'timestamp', reason: 'bad-timestamp' }]);
  });

  it('reject when the file cannot be read (I/O error, not a data failure)', async () => {
    await expect(loadCanonicalPrices(join(dir, 'absent.csv'))).rejects.toThrow(/ENOENT/);
  });
});
