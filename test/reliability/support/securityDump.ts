/**
 * A canonical dump of every table of a store (the tables as the database lists them, migrations' own included): per
 * table its rows as JSON text (binary columns as hex, dates as ISO 8601, bigints as decimal strings), rows sorted,
 * so two dumps are equal exactly when the stored data is. Used to prove that hostile requests change nothing.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../../../src/store/index.ts';

/** Table name -> its rows (canonical JSON text, sorted). */
export type StoreDump = Readonly<Record<string, readonly string[]>>;

function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return `hex:${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (typeof value === 'bigint') return `bigint:${value.toString()}`;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Every table's rows (see the module comment). */
export async function dumpStore(store: Store): Promise<StoreDump> {
  const tables = (await store.db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).sort();
  const out: Record<string, string[]> = {};
  for (const name of tables) {
    const rows = await (store.db as unknown as { selectFrom(t: string): { selectAll(): { execute(): Promise<unknown[]> } } })
      .selectFrom(name).selectAll().execute();
    out[name] = rows.map((r) => JSON.stringify(canonical(r))).sort();
  }
  return out;
}

/** SHA-256 of a dump (for messages) and the names of the tables that differ between two dumps. */
export function dumpDiff(before: StoreDump, after: StoreDump): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const differ: string[] = [];
  for (const n of [...names].sort()) {
    const a = before[n] ?? [];
    const b = after[n] ?? [];
    if (a.length !== b.length || a.some((row, i) => row !== b[i])) {
      const added = b.filter((r) => !a.includes(r)).slice(0, 2).map((r) => r.slice(0, 200));
      const removed = a.filter((r) => !b.includes(r)).slice(0, 2).map((r) => r.slice(0, 200));
      differ.push(`${n}: ${a.length} -> ${b.length} rows; added ${JSON.stringify(added)}; removed ${JSON.stringify(removed)}`);
    }
  }
  return differ;
}

/** A short fingerprint of a dump. */
export function dumpHash(dump: StoreDump): string {
  return createHash('sha256').update(JSON.stringify(dump)).digest('hex').slice(0, 16);
}
