/**
 * A whole book under a scenario set on the calling thread (pure): instruments priced once per scenario, then the
 * position and collateral P&L of every account by sparse products. For books too large for accounts x scenarios
 * matrices in memory, use `worstCaseRows` block by block or the worker pool (src/risk/parallel).
 */
import type { ScenarioSet } from '../../scenarios/index.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import { filterCsrColumns } from '../portfolio/csr.ts';
import { INSTRUMENT_KIND } from '../portfolio/instrumentTable.ts';
import { RiskInputError } from '../portfolio/errors.ts';
import { aggregateAccounts } from './aggregate.ts';
import { revalueInstruments, type InstrumentPnl } from './revalueInstruments.ts';
import type { BaseMarket, RevaluationOptions } from './types.ts';

/** One account whose P&L is not usable in some scenarios (it holds an instrument with failed cells). */
export interface AccountRevaluationFailure {
  readonly account: number;
  readonly accountId: string;
  /** The account's instruments (positions and collateral) with failed cells. */
  readonly instruments: readonly string[];
  readonly detail: string;
}

/** P&L of every account of a book, accounts x scenarios, row-major, USD. */
export interface PortfolioPnl {
  readonly instruments: InstrumentPnl;
  readonly accountCount: number;
  readonly scenarioCount: number;
  /** Position P&L, USD. */
  readonly positionPnlUsd: Float64Array;
  /** Collateral P&L (holdings revalued in the same scenarios: wrong-way risk is automatic), USD. */
  readonly collateralPnlUsd: Float64Array;
  /** 1 where the account holds an instrument with a failed cell (its P&L has NaN there). */
  readonly accountFailed: Uint8Array;
  readonly failures: readonly AccountRevaluationFailure[];
}

/** Accounts that hold a failed row, one failure each (listing those rows). */
export function accountFailuresOf(book: PortfolioBook, rowFailed: Uint8Array): { readonly flags: Uint8Array; readonly failures: readonly AccountRevaluationFailure[] } {
  const flags = new Uint8Array(book.accountIds.length);
  const failures: AccountRevaluationFailure[] = [];
  for (let a = 0; a < flags.length; a++) {
    const bad = new Set<string>();
    for (const m of [book.positions, book.collateral]) {
      for (let k = m.rowPtr[a] as number, end = m.rowPtr[a + 1] as number; k < end; k++) {
        const c = m.colIndex[k] as number;
        if (rowFailed[c]) bad.add(book.table.names[c] as string);
      }
    }
    if (bad.size > 0) {
      flags[a] = 1;
      failures.push(Object.freeze({
        account: a, accountId: book.accountIds[a] as string, instruments: Object.freeze([...bad]),
        detail: `holds ${bad.size} instrument(s) that could not be priced in every scenario`,
      }));
    }
  }
  return { flags, failures: Object.freeze(failures) };
}

/** Revalues `book` under `scenarios` (see the module comment). */
export function revaluePortfolio(
  book: PortfolioBook, market: BaseMarket, scenarios: ScenarioSet, options: RevaluationOptions = {},
): PortfolioPnl {
  const instruments = revalueInstruments(book.table, market, scenarios, options);
  const S = instruments.scenarioCount;
  const positionPnlUsd = aggregateAccounts(book.positions, instruments.pnlUsd, S);
  const collateralPnlUsd = aggregateAccounts(book.collateral, instruments.pnlUsd, S);
  const { flags, failures } = accountFailuresOf(book, instruments.rowFailed);
  return Object.freeze({
    instruments, accountCount: book.accountIds.length, scenarioCount: S, positionPnlUsd, collateralPnlUsd,
    accountFailed: flags, failures,
  });
}

/**
 * Position P&L of every account restricted to the instruments settled in `asset` (e.g. `BTC` for the coin-settled
 * book), in that asset: accounts x scenarios, row-major. Spot rows are excluded (a coin holding has no P&L in its
 * own coin). The input of per-currency venue margins.
 */
export function settlementPnl(book: PortfolioBook, instruments: InstrumentPnl, asset: string): Float64Array {
  const j = book.table.assets.indexOf(asset);
  if (j < 0) throw new RiskInputError('asset', asset, `not an asset of the book (${book.table.assets.join(', ')})`);
  const t = book.table;
  const only = filterCsrColumns(book.positions, (c) => t.settlementAssetIndex[c] === j && t.kind[c] !== INSTRUMENT_KIND.spot);
  return aggregateAccounts(only, instruments.pnlSettlement, instruments.scenarioCount);
}
