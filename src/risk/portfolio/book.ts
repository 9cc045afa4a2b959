/**
 * A resolved book (pure): the instrument table of every instrument and collateral asset of the accounts, resolved
 * once, and two account x instrument CSR matrices of quantities, positions and collateral. This is what revaluation
 * consumes: account P&L = positions x (instrument x scenario P&L), never accounts x positions x scenarios through the
 * pricer (DESIGN.md §5).
 */
import { buildInstrumentTable, type InstrumentTable, type InstrumentTableOptions } from './instrumentTable.ts';
import { CsrBuilder, type CsrMatrix } from './csr.ts';
import { portfolioFailure } from './parsePortfolio.ts';
import type { Account, PortfolioFailure } from './types.ts';

/** A resolved book; account index a is row a of both matrices. */
export interface PortfolioBook {
  readonly table: InstrumentTable;
  readonly accountIds: readonly string[];
  /** Desk names, the index space of `deskIndex`. */
  readonly desks: readonly string[];
  readonly deskIndex: Int32Array;
  /** accounts x table rows, signed position quantities. */
  readonly positions: CsrMatrix;
  /** accounts x table rows (spot rows), collateral quantities. */
  readonly collateral: CsrMatrix;
}

/** Options of {@link resolvePortfolio}. */
export interface ResolvePortfolioOptions extends InstrumentTableOptions {
  /** Label for failures. Default `'<input>'`. */
  readonly file?: string;
  /** Index of each account in its source document (for failures); default its index in `accounts`. */
  readonly accountIndexOffset?: number;
}

/** Result of {@link resolvePortfolio}: the book of the good accounts and one failure per account left out. */
export interface ResolvedPortfolio {
  readonly book: PortfolioBook;
  readonly failures: readonly PortfolioFailure[];
}

/**
 * Resolves accounts into a book: every distinct instrument name and collateral asset is parsed once
 * (`buildInstrumentTable`); an account holding an unknown or expired instrument is left out with one failure listing
 * all of its bad names (the rest of the book is unaffected).
 */
export function resolvePortfolio(accounts: readonly Account[], options: ResolvePortfolioOptions): ResolvedPortfolio {
  const file = options.file ?? '<input>';
  const offset = options.accountIndexOffset ?? 0;
  const names: string[] = [];
  for (const a of accounts) {
    for (const p of a.positions) names.push(p.instrument);
    for (const c of a.collateral) names.push(c.asset);
  }
  const { table, failures: bad } = buildInstrumentTable(names, options);
  const builder = new BookBuilder(table, accounts.length, names.length, accounts.length);
  const failures: PortfolioFailure[] = [];
  accounts.forEach((a, i) => {
    const unknown = a.positions.map((p) => p.instrument).filter((n) => bad.has(n));
    const unknownAssets = a.collateral.map((c) => c.asset).filter((n) => bad.has(n) || table.rowOf.get(n) === undefined);
    if (unknown.length > 0 || unknownAssets.length > 0) {
      const firstPos = a.positions.findIndex((p) => bad.has(p.instrument));
      const first = bad.get(unknown[0] ?? unknownAssets[0] ?? '');
      const field = firstPos >= 0 ? `positions[${firstPos}].instrument` : `collateral[${a.collateral.findIndex((c) => c.asset === unknownAssets[0])}].asset`;
      const list = [...new Set([...unknown, ...unknownAssets])];
      failures.push(portfolioFailure(file, offset + i, a.id, {
        field,
        reason: first?.reason ?? 'unknown-asset',
        value: unknown[0] ?? unknownAssets[0],
        detail: `${list.length} instrument(s) cannot be resolved: ${list.map((n) => `${n} (${bad.get(n)?.detail ?? 'unknown asset'})`).join(', ')}`,
      }, list));
      return;
    }
    builder.add(a);
  });
  return Object.freeze({ book: builder.build(), failures: Object.freeze(failures) });
}

/**
 * Appends accounts, in order, as rows of the two CSR matrices of a book over a given instrument table (desks get
 * indices in order of first appearance). Every instrument and collateral asset of an added account must be a row of
 * the table (the caller checks).
 */
export class BookBuilder {
  private readonly pos: CsrBuilder;
  private readonly col: CsrBuilder;
  private readonly ids: string[] = [];
  private readonly desks: string[] = [];
  private readonly deskOf = new Map<string, number>();
  private readonly deskIdx: number[] = [];

  /** Capacities are initial sizes only (accounts, position entries, collateral entries); the book is exactly sized. */
  constructor(
    private readonly table: InstrumentTable,
    accountCapacity: number,
    positionCapacity: number,
    collateralCapacity: number,
  ) {
    this.pos = new CsrBuilder(accountCapacity, positionCapacity);
    this.col = new CsrBuilder(accountCapacity, collateralCapacity);
  }

  /** Appends one account as the next row. */
  add(a: Account): void {
    const { table, pos, col } = this;
    for (const p of a.positions) pos.push(table.rowOf.get(p.instrument) as number, p.quantity);
    pos.endRow();
    for (const c of a.collateral) col.push(table.rowOf.get(c.asset) as number, c.quantity);
    col.endRow();
    this.ids.push(a.id);
    let d = this.deskOf.get(a.desk);
    if (d === undefined) {
      d = this.desks.length;
      this.desks.push(a.desk);
      this.deskOf.set(a.desk, d);
    }
    this.deskIdx.push(d);
  }

  /** The frozen book of the accounts added so far; `sharedMemory` puts the CSR arrays on SharedArrayBuffers. */
  build(sharedMemory = false): PortfolioBook {
    const { table } = this;
    return Object.freeze({
      table,
      accountIds: Object.freeze([...this.ids]),
      desks: Object.freeze([...this.desks]),
      deskIndex: Int32Array.from(this.deskIdx),
      positions: this.pos.build(table.length, sharedMemory),
      collateral: this.col.build(table.length, sharedMemory),
    });
  }
}
