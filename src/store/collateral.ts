/**
 * Collateral holdings per account and asset of a run: quantity, price in the reporting currency, haircut (decimal
 * in [0, 1]) and value after haircut = quantity * price * (1 - haircut).
 */
import { chunks, requireFinite, requireId } from './codec.ts';
import { StoreDataError } from './errors.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';

/** One holding to store. */
export interface CollateralHoldingInput {
  readonly accountId: string;
  readonly asset: string;
  readonly quantity: number;
  /** Price of one unit in the reporting currency, >= 0. */
  readonly price: number;
  /** Haircut in [0, 1]. */
  readonly haircut: number;
}

/** A stored holding. */
export interface CollateralHoldingRecord extends CollateralHoldingInput {
  readonly runId: string;
  readonly valueAfterHaircut: number;
}

/** Stores the collateral holdings of a running run, in one transaction. */
export async function putCollateralHoldings(store: Store, runId: string, holdings: readonly CollateralHoldingInput[]): Promise<void> {
  const rows = holdings.map((h, i) => {
    const f = `holdings[${i}]`;
    const quantity = requireFinite(h.quantity, `${f}.quantity`);
    const price = requireFinite(h.price, `${f}.price`);
    const haircut = requireFinite(h.haircut, `${f}.haircut`);
    if (price < 0) throw new StoreDataError(`${f}.price`, price, 'must be non-negative');
    if (haircut < 0 || haircut > 1) throw new StoreDataError(`${f}.haircut`, haircut, 'must lie in [0, 1]');
    return {
      run_id: runId,
      account_id: requireId(h.accountId, `${f}.accountId`),
      asset: requireId(h.asset, `${f}.asset`),
      quantity,
      price,
      haircut,
      value_after_haircut: quantity * price * (1 - haircut),
    };
  });
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    for (const chunk of chunks(rows, 500)) await tx.insertInto('collateral_holdings').values(chunk).execute();
  });
}

/** The holdings of run `runId` by account and asset, optionally one account's. */
export async function listCollateralHoldings(store: Store, runId: string, filter: { readonly accountId?: string } = {}): Promise<CollateralHoldingRecord[]> {
  let q = store.db.selectFrom('collateral_holdings').selectAll().where('run_id', '=', runId);
  if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
  const rows = await q.orderBy('account_id').orderBy('asset').execute();
  return rows.map((r) =>
    Object.freeze({
      runId: r.run_id,
      accountId: r.account_id,
      asset: r.asset,
      quantity: r.quantity,
      price: r.price,
      haircut: r.haircut,
      valueAfterHaircut: r.value_after_haircut,
    }),
  );
}
