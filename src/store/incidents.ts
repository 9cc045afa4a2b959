/** Incidents (DESIGN.md §4): the indexed fields plus the whole incident document as JSON. */
import { decodeJson, encodeJson, requireId, requireInteger, toMillis, toMillisOrNull } from './codec.ts';
import type { Store } from './open.ts';
import type { IncidentsTable } from './schema.ts';
import type { Selectable } from 'kysely';

/** An incident to store. Times in ms UTC. */
export interface IncidentInput {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  /** 1-5. */
  readonly severity: number;
  readonly startedAt: number;
  readonly endedAt?: number | null;
  readonly patchedAt?: number | null;
  /** The incident file's content (any JSON-able value). */
  readonly document: unknown;
}

/** A stored incident. */
export interface IncidentRecord extends Required<Omit<IncidentInput, 'endedAt' | 'patchedAt'>> {
  readonly endedAt: number | null;
  readonly patchedAt: number | null;
  readonly createdAt: number;
}

function fromRow(r: Selectable<IncidentsTable>): IncidentRecord {
  return Object.freeze({
    id: r.id,
    title: r.title,
    kind: r.kind,
    severity: r.severity,
    startedAt: toMillis(r.started_at),
    endedAt: toMillisOrNull(r.ended_at),
    patchedAt: toMillisOrNull(r.patched_at),
    document: decodeJson(r.document),
    createdAt: toMillis(r.created_at),
  });
}

/** Stores an incident, replacing a stored one with the same id (runs keep the hash of what they used). */
export async function putIncident(store: Store, input: IncidentInput): Promise<IncidentRecord> {
  requireId(input.id, 'id');
  requireId(input.title, 'title');
  requireId(input.kind, 'kind');
  requireInteger(input.severity, 'severity', 1, 5);
  requireInteger(input.startedAt, 'startedAt', Number.MIN_SAFE_INTEGER);
  if (input.endedAt != null) requireInteger(input.endedAt, 'endedAt', Number.MIN_SAFE_INTEGER);
  if (input.patchedAt != null) requireInteger(input.patchedAt, 'patchedAt', Number.MIN_SAFE_INTEGER);
  const values = {
    title: input.title,
    kind: input.kind,
    severity: input.severity,
    started_at: input.startedAt,
    ended_at: input.endedAt ?? null,
    patched_at: input.patchedAt ?? null,
    document: encodeJson(input.document, 'document'),
  };
  await store.db
    .insertInto('incidents')
    .values({ id: input.id, ...values, created_at: store.now() })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  return (await getIncident(store, input.id)) as IncidentRecord;
}

/** The incident `id`, or null. */
export async function getIncident(store: Store, id: string): Promise<IncidentRecord | null> {
  const row = await store.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : fromRow(row);
}

/** All incidents, newest start first. */
export async function listIncidents(store: Store): Promise<IncidentRecord[]> {
  const rows = await store.db.selectFrom('incidents').selectAll().orderBy('started_at', 'desc').orderBy('id').execute();
  return rows.map(fromRow);
}
