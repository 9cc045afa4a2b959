/**
 * Degenerate markets for the end-to-end reliability tests (issue 10): a private copy of the bundled incident's market
 * data (the 2026-02-04 and 2026-02-06 Deribit snapshots, the perpetual marks, the daily history) with the AFTER snapshot
 * rewritten into one degenerate shape. Prices are in coin (the snapshot's convention); a rewritten price is the
 * coin-settled Black-76 price of the row's own forward, strike and expiry at the stated vol.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inverseOptionPrice } from '../../../src/pricing/index.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DERIBIT = join(ROOT, 'fixtures/market/deribit_2025_2026');
export const BEFORE_SNAPSHOT = 'deribit_options_snapshot_20260204T213308Z.csv';
export const AFTER_SNAPSHOT = 'deribit_options_snapshot_20260206T093516Z.csv';

/** One CSV row by column name (the fixture snapshots have no quoted fields). */
export type Row = Record<string, string>;

/** The degenerate shapes. */
export const DEGENERATE_CASES = [
  'none', 'one-strike-per-expiry', 'bids-only', 'asks-only', 'zero-vols', 'absurd-vols', 'high-vols', 'no-eth-quotes', 'crossed',
] as const;
export type DegenerateCase = (typeof DEGENERATE_CASES)[number];

const YEAR_MS = 365 * 86_400_000;

/** Coin price of the row's option at `vol` (its forward `underlying`, strike, expiry measured from its timestamp). */
function coinPrice(row: Row, vol: number): number {
  const expiry = (Date.parse(row['expiry_datetime'] as string) - Date.parse(row['timestamp'] as string)) / YEAR_MS;
  return inverseOptionPrice({
    forward: Number(row['underlying']), strike: Number(row['strike']), expiry: Math.max(expiry, 0), vol,
    type: row['option_type'] === 'put' ? 'put' : 'call',
  });
}

function withPrice(row: Row, vol: number): Row {
  const p = coinPrice(row, vol);
  const s = p.toPrecision(8);
  return { ...row, bid_price: s, ask_price: s, mark_price: s, mid_price: s, implied_volatility: String(vol) };
}

/** Rewrites the rows of one snapshot's text; `null` drops a row. */
export function rewriteSnapshot(text: string, rewrite: (rows: Row[]) => Row[]): string {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = (lines[0] as string).split(',');
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) as Row;
  });
  return [header.join(','), ...rewrite(rows).map((r) => header.map((h) => r[h] ?? '').join(','))].join('\n') + '\n';
}

/** The rewrite of each case. */
export function degenerate(kind: DegenerateCase): (rows: Row[]) => Row[] {
  switch (kind) {
    case 'one-strike-per-expiry':
      // per underlying and expiry, only the strike nearest the forward (its call and its put)
      return (rows) => {
        const best = new Map<string, number>();
        for (const r of rows) {
          const key = `${r['currency']}|${r['expiry_datetime']}`;
          const k = Number(r['strike']);
          const f = Number(r['underlying']);
          const cur = best.get(key);
          if (cur === undefined || Math.abs(k - f) < Math.abs(cur - f)) best.set(key, k);
        }
        return rows.filter((r) => Number(r['strike']) === best.get(`${r['currency']}|${r['expiry_datetime']}`));
      };
    case 'none':
      return (rows) => rows;
    case 'bids-only':
      return (rows) => rows.map((r) => ({ ...r, ask_price: '' }));
    case 'asks-only':
      return (rows) => rows.map((r) => ({ ...r, bid_price: '' }));
    case 'zero-vols':
      return (rows) => rows.map((r) => withPrice(r, 0));
    case 'absurd-vols':
      return (rows) => rows.map((r) => withPrice(r, 50));
    case 'high-vols':
      // 450 %: extreme but inside the fit's vol bounds, with a 2 % spread around it
      return (rows) => rows.map((r) => {
        const p = coinPrice(r, 4.5);
        return { ...r, bid_price: (p * 0.99).toPrecision(8), ask_price: (p * 1.01).toPrecision(8), mark_price: p.toPrecision(8), implied_volatility: '4.5' };
      });
    case 'no-eth-quotes':
      return (rows) => rows.filter((r) => !(r['instrument_name'] as string).startsWith('ETH'));
    case 'crossed':
      // every two-sided quote crossed: bid above ask by its spread
      return (rows) => rows.map((r) => {
        const b = r['bid_price'] as string;
        const a = r['ask_price'] as string;
        return b !== '' && a !== '' && Number(b) > 0 && Number(a) > Number(b) ? { ...r, bid_price: a, ask_price: b } : r;
      });
  }
}

/**
 * Writes a market directory under `dir` (created): the daily history, the perpetual marks, and the two snapshots, the
 * after one (or, with `both`, both) rewritten by `kind`. Returns the directory.
 */
export function degenerateMarket(dir: string, kind: DegenerateCase, sides: 'after' | 'both' = 'after'): string {
  const market = join(dir, `market-${kind}${sides === 'both' ? '-both' : ''}`);
  mkdirSync(join(market, 'deribit'), { recursive: true });
  cpSync(join(ROOT, 'fixtures/market/crypto_daily'), join(market, 'crypto_daily'), { recursive: true });
  cpSync(join(DERIBIT, 'perpetual_futures_prices.csv'), join(market, 'deribit', 'perpetual_futures_prices.csv'));
  for (const f of sides === 'both' ? [BEFORE_SNAPSHOT, AFTER_SNAPSHOT] : [AFTER_SNAPSHOT]) {
    writeFileSync(join(market, 'deribit', f), rewriteSnapshot(readFileSync(join(DERIBIT, f), 'utf8'), degenerate(kind)));
  }
  if (sides === 'after') cpSync(join(DERIBIT, BEFORE_SNAPSHOT), join(market, 'deribit', BEFORE_SNAPSHOT));
  return market;
}
