/** The audit log: an append-only record of who did what, when and why (promotions, rollbacks, keys...). */
import { decodeJson, encodeJson, requireId, toMillis } from './codec.ts';
import type { Store, StoreDb } from './open.ts';

/** An audit entry to append. */
export interface AuditInput {
  /** When, ms UTC (default: the store's clock). */
  readonly at?: number;
  readonly actor: string;
  /** promote | rollback | interrupt | key-create | key-revoke | ... */
  readonly action: string;
  readonly target?: string | null;
  readonly reason?: string | null;
  /** JSON-able details. */
  readonly details?: unknown;
}

/** A stored audit entry. */
export interface AuditEntry {
  /** Insertion order, increasing. */
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly reason: string | null;
  readonly details: unknown;
}

/** Appends an entry through `tx` (inside a caller's transaction); `at` is required there. Returns its seq. */
export async function appendAuditIn(tx: StoreDb, entry: AuditInput & { readonly at: number }): Promise<number> {
  requireId(entry.actor, 'actor');
  requireId(entry.action, 'action');
  const row = await tx
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      reason: entry.reason ?? null,
      details: entry.details === undefined ? null : encodeJson(entry.details, 'details'),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return toMillis(row.seq);
}

/** Appends an entry (its own statement). Returns its seq. */
export function appendAudit(store: Store, entry: AuditInput): Promise<number> {
  return appendAuditIn(store.db, { ...entry, at: entry.at ?? store.now() });
}

/** Audit entries in insertion order, optionally filtered by target and/or action; at most `limit` (default 1000). */
export async function listAudit(
  store: Store,
  filter: { readonly target?: string; readonly action?: string; readonly limit?: number } = {},
): Promise<AuditEntry[]> {
  let q = store.db.selectFrom('audit_log').selectAll();
  if (filter.target !== undefined) q = q.where('target', '=', filter.target);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  const rows = await q.orderBy('seq').limit(filter.limit ?? 1000).execute();
  return rows.map((r) =>
    Object.freeze({
      seq: toMillis(r.seq),
      at: toMillis(r.at),
      actor: r.actor,
      action: r.action,
      target: r.target,
      reason: r.reason,
      details: decodeJson(r.details),
    }),
  );
}
