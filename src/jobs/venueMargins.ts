/**
 * A stress batch with the venue-compatible portfolio margin: every account's positions, per settlement currency,
 * margined from one option-chain snapshot's marks (mark price, forward, mark iv per option; the expiry's forward for
 * its dated future; the perpetual's mark). Pure: the caller loads the files. A book that cannot be margined (an
 * instrument without a mark, say) is a per-account failure in the result, never a crash of the batch.
 */
import type { FuturesMark, OptionQuote } from '../market/index.ts';
import { deribitPortfolioMargin } from '../risk/index.ts';

/** One account of a portfolio file (fixtures/portfolios/*.json). */
export interface BatchAccount {
  readonly id: string;
  readonly desk: string;
  readonly positions: readonly { readonly instrument: string; readonly quantity: number }[];
}

/** Margin of one account in one settlement currency, coin and USD. */
export interface AccountCurrencyMargin {
  readonly accountId: string;
  readonly desk: string;
  readonly currency: string;
  readonly initialMarginCoin: number;
  readonly maintenanceMarginCoin: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
}

/** The batch result: margins, per-account failures and totals in USD. */
export interface VenueMarginBatch {
  readonly asOf: string;
  readonly margins: readonly AccountCurrencyMargin[];
  readonly failures: readonly { readonly accountId: string; readonly currency: string; readonly reason: string }[];
  readonly totals: { readonly accounts: number; readonly initialMarginUsd: number; readonly maintenanceMarginUsd: number };
}

type Mark = { markPrice?: number; forward?: number; iv?: number };

/** Marks and USD index per underlying from a snapshot's option quotes and perpetual marks. */
export function marksFromSnapshot(
  quotes: readonly OptionQuote[], perpetuals: readonly FuturesMark[],
): { marks: Record<string, Mark>; index: Record<string, number> } {
  const marks: Record<string, Mark> = {};
  const index: Record<string, number> = {};
  for (const q of quotes) {
    const mark: Mark = { forward: q.forward };
    if (q.mark !== undefined) mark.markPrice = q.mark;
    if (q.venueMarkIv !== undefined) mark.iv = q.venueMarkIv;
    marks[q.instrument] = mark;
    if (q.index !== undefined) index[q.underlying] = q.index;
    // the dated future of the option's expiry (e.g. BTC-27MAR26) is marked at that expiry's forward
    const future = q.instrument.split('-').slice(0, 2).join('-');
    marks[future] = { markPrice: q.forward, forward: q.forward };
  }
  for (const p of perpetuals) marks[p.instrument] = { markPrice: p.price, forward: p.price };
  return { marks, index };
}

/**
 * Venue portfolio margin for every account and settlement currency (BTC, ETH: coin-settled instruments named
 * `<COIN>-...`; spot holdings are collateral, not margined here). `params` is models/margin/deribit-pm/<v>.json.
 */
export function venueMarginBatch(
  accounts: readonly BatchAccount[], asOf: string, marks: Record<string, Mark>, index: Record<string, number>,
  params: unknown, currencies: readonly string[] = ['BTC', 'ETH'],
): VenueMarginBatch {
  const margins: AccountCurrencyMargin[] = [];
  const failures: { accountId: string; currency: string; reason: string }[] = [];
  const marginedAccounts = new Set<string>();
  let im = 0;
  let mm = 0;
  for (const account of accounts) {
    for (const currency of currencies) {
      const positions = account.positions.filter((p) => p.instrument.startsWith(`${currency}-`));
      if (positions.length === 0) continue;
      const indexPrice = index[currency];
      if (indexPrice === undefined) {
        failures.push({ accountId: account.id, currency, reason: `no ${currency} index in the snapshot` });
        continue;
      }
      try {
        const m = deribitPortfolioMargin({ currency, indexPrice, asOf, positions, marks, params });
        margins.push(Object.freeze({
          accountId: account.id, desk: account.desk, currency,
          initialMarginCoin: m.initialMargin, maintenanceMarginCoin: m.maintenanceMargin,
          initialMarginUsd: m.usd.initialMargin, maintenanceMarginUsd: m.usd.maintenanceMargin,
        }));
        marginedAccounts.add(account.id);
        im += m.usd.initialMargin;
        mm += m.usd.maintenanceMargin;
      } catch (e) {
        failures.push({ accountId: account.id, currency, reason: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  return Object.freeze({
    asOf,
    margins: Object.freeze(margins),
    failures: Object.freeze(failures),
    totals: Object.freeze({ accounts: marginedAccounts.size, initialMarginUsd: im, maintenanceMarginUsd: mm }),
  });
}
