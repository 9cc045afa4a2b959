/**
 * Portfolio JSON writer (pure): the document `{ "format": "aftershock.portfolios", "version": 1, ...meta,
 * "accounts": [ ... ] }` with one account per line, so files diff line by line and stream line by line. Numbers are
 * written by JSON.stringify (shortest round-trip form), so parse(format(x)) gives x back exactly.
 */
import type { Account } from './types.ts';

/** Format tag of portfolio documents. */
export const PORTFOLIO_FORMAT = 'aftershock.portfolios';

/** One account as a single JSON line (keys in the order id, desk, positions, collateral). */
export function formatAccountLine(a: Account): string {
  return JSON.stringify({
    id: a.id,
    desk: a.desk,
    positions: a.positions.map((p) => ({ instrument: p.instrument, quantity: p.quantity })),
    collateral: a.collateral.map((c) => ({ asset: c.asset, quantity: c.quantity })),
  });
}

/** The document header line up to and including `"accounts":[` (meta keys in the given order). */
export function formatPortfolioHeader(meta: Readonly<Record<string, unknown>>): string {
  const head = JSON.stringify({ format: PORTFOLIO_FORMAT, version: 1, ...meta });
  return `${head.slice(0, -1)},"accounts":[`;
}

/** A whole document, one account per line, ending with a newline. */
export function formatPortfolioJson(accounts: readonly Account[], meta: Readonly<Record<string, unknown>> = {}): string {
  const lines = accounts.map((a, i) => formatAccountLine(a) + (i + 1 < accounts.length ? ',' : ''));
  return `${formatPortfolioHeader(meta)}\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}]}\n`;
}
