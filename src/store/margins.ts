/**
 * Margins per account of a run, in the account's reporting currency: initial and maintenance margin
 * (non-negative), collateral value after haircuts, and excess = collateral - initial margin (negative: deficit),
 * with a JSON attribution. Written in bulk (chunked inserts in one transaction).
 */
import { chunks, decodeJson, encodeJson, requireFinite, requireId } from './codec.ts';
import { StoreDataError } from './errors.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import type { AccountMarginsTable } from './schema.ts';
import { withTransaction } from './transaction.ts';
import type { Selectable } from 'kysely';

/** One account's margin to store. */
export interface AccountMarginInput {
  readonly accountId: string;
  readonly desk: string;
  /** e.g. 'USD'. */
  readonly currency: string;
  /** Initial margin, >= 0, finite. */
  readonly initialMargin: number;
  /** Maintenance margin, >= 0, finite. */
  readonly maintenanceMargin: number;
  /** Collateral value after haircuts, finite. */
  readonly collateralValue: number;
  /** JSON-able attribution (worst scenario, drivers, change split). */
  readonly attribution?: unknown;
}

/** A stored account margin; `excess` = collateralValue - initialMargin (negative: deficit). */
export interface AccountMarginRecord extends Required<AccountMarginInput> {
  readonly runId: string;
  readonly excess: number;
}

function fromRow(r: Selectable<AccountMarginsTable>): AccountMarginRecord {
  return Object.freeze({
    runId: r.run_id,
    accountId: r.account_id,
    desk: r.desk,
    currency: r.currency,
    initialMargin: r.initial_margin,
    maintenanceMargin: r.maintenance_margin,
    collateralValue: r.collateral_value,
    excess: r.excess,
    attribution: decodeJson(r.attribution),
  });
}

/** Stores the margins of a running run (any number of accounts, one transaction). */
export async function putAccountMargins(store: Store, runId: string, margins: readonly AccountMarginInput[]): Promise<void> {
  const rows = margins.map((m, i) => {
    const f = `margins[${i}]`;
    const im = requireFinite(m.initialMargin, `${f}.initialMargin`);
    const mm = requireFinite(m.maintenanceMargin, `${f}.maintenanceMargin`);
    if (im < 0) throw new StoreDataError(`${f}.initialMargin`, im, 'must be non-negative');
    if (mm < 0) throw new StoreDataError(`${f}.maintenanceMargin`, mm, 'must be non-negative');
    const collateral = requireFinite(m.collateralValue, `${f}.collateralValue`);
    return {
      run_id: runId,
      account_id: requireId(m.accountId, `${f}.accountId`),
      desk: requireId(m.desk, `${f}.desk`),
      currency: requireId(m.currency, `${f}.currency`),
      initial_margin: im,
      maintenance_margin: mm,
      collateral_value: collateral,
      excess: collateral - im,
      attribution: m.attribution === undefined ? null : encodeJson(m.attribution, `${f}.attribution`),
    };
  });
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    for (const chunk of chunks(rows, 500)) await tx.insertInto('account_margins').values(chunk).execute();
  });
}

/** The margin of `accountId` in run `runId`, or null. */
export async function getAccountMargin(store: Store, runId: string, accountId: string): Promise<AccountMarginRecord | null> {
  const r = await store.db.selectFrom('account_margins').selectAll().where('run_id', '=', runId).where('account_id', '=', accountId).executeTakeFirst();
  return r === undefined ? null : fromRow(r);
}

/** The margins of run `runId` by account id, optionally only one desk's. */
export async function listAccountMargins(store: Store, runId: string, filter: { readonly desk?: string } = {}): Promise<AccountMarginRecord[]> {
  let q = store.db.selectFrom('account_margins').selectAll().where('run_id', '=', runId);
  if (filter.desk !== undefined) q = q.where('desk', '=', filter.desk);
  return (await q.orderBy('account_id').execute()).map(fromRow);
}
