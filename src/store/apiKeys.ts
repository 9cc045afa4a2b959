/**
 * API keys (DESIGN.md §8), stored hashed: a key is `ak_<id>.<secret>` where `id` is 16 hex digits (public, the
 * lookup) and `secret` 32 random bytes in base64url. Only scrypt(secret, salt) is stored, with a fresh 16-byte
 * salt per key and the KDF parameters (`kdf` column, so they can be raised later without invalidating old keys).
 * Verification recomputes the hash and compares with crypto.timingSafeEqual; an unknown id costs the same scrypt
 * as a known one, so timing does not reveal which ids exist. The full key is returned once, at creation.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { requireId, toMillis, toMillisOrNull } from './codec.ts';
import { StoreDataError, StoreNotFoundError } from './errors.ts';
import type { Store } from './open.ts';
import type { ApiKeysTable } from './schema.ts';
import { appendAuditIn } from './audit.ts';
import { withTransaction } from './transaction.ts';
import type { Selectable } from 'kysely';

/** Roles: desk (its own desk's accounts, what-if), analyst (read everything, start runs), admin (promote, keys). */
export type ApiKeyRole = 'desk' | 'analyst' | 'admin';
const ROLES: readonly ApiKeyRole[] = ['desk', 'analyst', 'admin'];

/** A stored key's public fields (never the secret or its hash). */
export interface ApiKeyRecord {
  readonly id: string;
  readonly role: ApiKeyRole;
  readonly desk: string | null;
  readonly label: string | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly len: number;
}
/** scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, tens of ms per verification: cache verified keys in the API). */
const DEFAULT_KDF: ScryptParams = Object.freeze({ N: 16384, r: 8, p: 1, len: 32 });
const KEY_PATTERN = /^ak_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

function kdfString(k: ScryptParams): string {
  return `scrypt:N=${k.N},r=${k.r},p=${k.p},len=${k.len}`;
}

function parseKdf(text: string): ScryptParams {
  const m = /^scrypt:N=(\d+),r=(\d+),p=(\d+),len=(\d+)$/.exec(text);
  if (!m) throw new StoreDataError('api_keys.kdf', text, 'unknown key-derivation parameters');
  return { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), len: Number(m[4]) };
}

function derive(secret: string, salt: Uint8Array, k: ScryptParams): Promise<Buffer> {
  return new Promise((resolveHash, reject) => {
    scrypt(secret, salt, k.len, { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r + 1024 * 1024 }, (err, out) =>
      err ? reject(err) : resolveHash(out),
    );
  });
}

function fromRow(r: Selectable<ApiKeysTable>): ApiKeyRecord {
  return Object.freeze({
    id: r.id,
    role: r.role as ApiKeyRole,
    desk: r.desk,
    label: r.label,
    createdAt: toMillis(r.created_at),
    revokedAt: toMillisOrNull(r.revoked_at),
  });
}

/**
 * Creates a key (audit entry 'key-create' in the same transaction) and returns it with the full key string, which
 * is shown once and never stored. A desk key needs `desk`; other roles must not have one.
 */
export async function createApiKey(
  store: Store,
  input: { readonly role: ApiKeyRole; readonly desk?: string; readonly label?: string; readonly actor: string },
): Promise<{ readonly key: string; readonly record: ApiKeyRecord }> {
  if (!ROLES.includes(input.role)) throw new StoreDataError('role', input.role, 'must be desk, analyst or admin');
  if (input.role === 'desk') requireId(input.desk ?? '', 'desk');
  else if (input.desk !== undefined) throw new StoreDataError('desk', input.desk, `only desk keys have a desk, not ${input.role} keys`);
  requireId(input.actor, 'actor');
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, DEFAULT_KDF);
  const now = store.now();
  await withTransaction(store, async (tx) => {
    await tx
      .insertInto('api_keys')
      .values({
        id,
        role: input.role,
        desk: input.desk ?? null,
        label: input.label ?? null,
        salt,
        secret_hash: hash,
        kdf: kdfString(DEFAULT_KDF),
        created_at: now,
        revoked_at: null,
      })
      .execute();
    await appendAuditIn(tx, { at: now, actor: input.actor, action: 'key-create', target: id, details: { role: input.role, desk: input.desk ?? null } });
  });
  return Object.freeze({ key: `ak_${id}.${secret}`, record: (await getApiKey(store, id)) as ApiKeyRecord });
}

const DUMMY_SALT = Buffer.alloc(16);

/**
 * The key record if `presented` is a valid, unrevoked key, else null (malformed, unknown id, wrong secret or
 * revoked). The secret is compared in constant time.
 */
export async function verifyApiKey(store: Store, presented: string): Promise<ApiKeyRecord | null> {
  const m = typeof presented === 'string' ? KEY_PATTERN.exec(presented.trim()) : null;
  if (!m) return null;
  const [, id, secret] = m as unknown as [string, string, string];
  const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) {
    await derive(secret, DUMMY_SALT, DEFAULT_KDF); // same cost as a known id
    return null;
  }
  const params = parseKdf(row.kdf);
  const expected = Buffer.from(row.secret_hash);
  const actual = await derive(secret, row.salt, params);
  const match = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (!match || row.revoked_at !== null) return null;
  return fromRow(row);
}

/**
 * The key id of a presented token of the key format (`ak_<16 hex>.<secret>`), or null: the public half of a key,
 * read without any store access or KDF (the failed-authentication budget uses it to tell a token naming an existing
 * key from arbitrary ones).
 */
export function apiKeyIdOf(presented: string): string | null {
  const m = typeof presented === 'string' ? KEY_PATTERN.exec(presented.trim()) : null;
  return m ? (m[1] as string) : null;
}

/** The key `id`'s public fields, or null. */
export async function getApiKey(store: Store, id: string): Promise<ApiKeyRecord | null> {
  const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : fromRow(row);
}

/** All keys' public fields, by creation time then id. */
export async function listApiKeys(store: Store): Promise<ApiKeyRecord[]> {
  const rows = await store.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/** Revokes a key (idempotent; audit entry 'key-revoke' in the same transaction); throws StoreNotFoundError. */
export async function revokeApiKey(store: Store, id: string, options: { readonly actor: string; readonly reason?: string }): Promise<ApiKeyRecord> {
  requireId(options.actor, 'actor');
  const now = store.now();
  await withTransaction(store, async (tx) => {
    const row = await tx.selectFrom('api_keys').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new StoreNotFoundError('api key', id);
    if (row.revoked_at !== null) return;
    await tx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
    await appendAuditIn(tx, { at: now, actor: options.actor, action: 'key-revoke', target: id, reason: options.reason ?? null });
  });
  return (await getApiKey(store, id)) as ApiKeyRecord;
}
