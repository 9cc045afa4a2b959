import * as realCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey, getApiKey, listApiKeys, listAudit, revokeApiKey, StoreDataError, StoreNotFoundError, verifyApiKey } from '../../src/store/index.ts';
import type { Store } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { T0, useTestStore } from './helpers.ts';

// observe (not replace) the comparison and the KDF the key module uses
const spies = vi.hoisted(() => ({ timingSafeEqual: [] as [number, number][], scrypt: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      spies.timingSafeEqual.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
    scrypt: (...args: Parameters<typeof actual.scrypt>) => {
      spies.scrypt++;
      return (actual.scrypt as (...a: unknown[]) => void)(...args);
    },
  };
});

/** Every stored cell of every table, as text (blobs as hex and base64url), to search for leaked secrets. */
async function everyStoredCell(store: Store): Promise<string[]> {
  const tables = (await store.db.introspection.getTables()).map((t) => t.name);
  const cells: string[] = [];
  for (const table of new Set(tables)) {
    const rows = await store.db.selectFrom(table as 'api_keys').selectAll().execute();
    for (const row of rows) {
      for (const v of Object.values(row)) {
        if (v instanceof Uint8Array) cells.push(Buffer.from(v).toString('hex'), Buffer.from(v).toString('base64url'), Buffer.from(v).toString('latin1'));
        else cells.push(String(v));
      }
    }
  }
  return cells;
}

function scryptReference(secret: string, salt: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    realCrypto.scrypt(secret, salt, 32, { N: 16384, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

describe.each(BACKENDS)('API keys on %s', async (backend) => {
  const skip = await skipBackend(backend, 'API keys');
  describe.skipIf(skip)(backend, () => {
    const ctx = useTestStore(backend);

    it('creates keys shown once; verifies the right secret, rejects wrong, malformed, unknown and revoked ones', async () => {
      const { key, record } = await createApiKey(ctx.store, { role: 'desk', desk: 'options', label: 'options desk', actor: 'admin-1' });
      expect(key).toMatch(/^ak_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
      expect(record).toEqual({ id: key.slice(3, 19), role: 'desk', desk: 'options', label: 'options desk', createdAt: T0, revokedAt: null });
      expect(await verifyApiKey(ctx.store, key)).toEqual(record);
      expect(await verifyApiKey(ctx.store, ` ${key}\n`)).toEqual(record);

      const secret = key.slice(20);
      const flipped = secret.slice(0, 10) + (secret[10] === 'A' ? 'B' : 'A') + secret.slice(11);
      expect(await verifyApiKey(ctx.store, `${key.slice(0, 20)}${flipped}`)).toBeNull();
      expect(await verifyApiKey(ctx.store, key.slice(0, -1))).toBeNull();
      expect(await verifyApiKey(ctx.store, `ak_0000000000000000.${secret}`)).toBeNull();
      expect(await verifyApiKey(ctx.store, '')).toBeNull();

      const analyst = await createApiKey(ctx.store, { role: 'analyst', actor: 'admin-1' });
      expect((await verifyApiKey(ctx.store, analyst.key))?.role).toBe('analyst');
      // one key's secret does not open another key
      expect(await verifyApiKey(ctx.store, `${analyst.key.slice(0, 20)}${secret}`)).toBeNull();

      ctx.clock.advance(1000);
      const revoked = await revokeApiKey(ctx.store, record.id, { actor: 'admin-2', reason: 'desk reorganised' });
      expect(revoked.revokedAt).toBe(T0 + 1000);
      expect(await verifyApiKey(ctx.store, key)).toBeNull();
      await revokeApiKey(ctx.store, record.id, { actor: 'admin-2' }); // idempotent, no second entry
      expect((await listAudit(ctx.store)).map((e) => [e.action, e.target, e.actor])).toEqual([
        ['key-create', record.id, 'admin-1'],
        ['key-create', analyst.record.id, 'admin-1'],
        ['key-revoke', record.id, 'admin-2'],
      ]);
      expect((await listApiKeys(ctx.store)).map((k) => k.id).sort()).toEqual([record.id, analyst.record.id].sort());
      await expect(revokeApiKey(ctx.store, 'ffffffffffffffff', { actor: 'a' })).rejects.toThrow(StoreNotFoundError);
    });

    it('stores only scrypt(secret, per-key salt): the secret appears nowhere in the database', async () => {
      const a = await createApiKey(ctx.store, { role: 'admin', actor: 'bootstrap' });
      const b = await createApiKey(ctx.store, { role: 'admin', actor: 'bootstrap' });
      const rows = await ctx.store.db.selectFrom('api_keys').selectAll().orderBy('id').execute();
      expect(rows).toHaveLength(2);
      const cells = await everyStoredCell(ctx.store);
      for (const { key } of [a, b]) {
        const secret = key.slice(20);
        const secretHex = Buffer.from(secret, 'base64url').toString('hex');
        expect(cells.some((c) => c.includes(secret) || c.includes(secretHex))).toBe(false);
      }
      for (const { key, record } of [a, b]) {
        const row = rows.find((r) => r.id === record.id);
        expect(row?.kdf).toBe('scrypt:N=16384,r=8,p=1,len=32');
        expect(row?.salt.byteLength).toBe(16);
        // independent recomputation of what must be stored
        expect(Buffer.from(row?.secret_hash as Uint8Array).equals(await scryptReference(key.slice(20), row?.salt as Uint8Array))).toBe(true);
      }
      expect(Buffer.from(rows[0]?.salt as Uint8Array).equals(Buffer.from(rows[1]?.salt as Uint8Array))).toBe(false);
    });

    it('compares with crypto.timingSafeEqual on equal-length hashes, and pays the KDF for unknown ids too', async () => {
      const { key } = await createApiKey(ctx.store, { role: 'analyst', actor: 'a' });
      spies.timingSafeEqual.length = 0;
      spies.scrypt = 0;
      await verifyApiKey(ctx.store, key);
      await verifyApiKey(ctx.store, `${key.slice(0, -2)}xx`);
      expect(spies.timingSafeEqual).toEqual([[32, 32], [32, 32]]);
      expect(spies.scrypt).toBe(2);
      await verifyApiKey(ctx.store, `ak_0123456789abcdef.${key.slice(20)}`);
      expect(spies.scrypt).toBe(3); // unknown id: same scrypt cost
      await verifyApiKey(ctx.store, 'not-a-key');
      expect(spies.scrypt).toBe(3); // malformed: rejected before any lookup
    });

    it('role and desk rules: desk keys need a desk, other roles must not have one', async () => {
      await expect(createApiKey(ctx.store, { role: 'desk', actor: 'a' })).rejects.toThrow(StoreDataError);
      await expect(createApiKey(ctx.store, { role: 'analyst', desk: 'x', actor: 'a' })).rejects.toThrow(/only desk keys have a desk/);
      await expect(createApiKey(ctx.store, { role: 'root' as 'admin', actor: 'a' })).rejects.toThrow(/desk, analyst or admin/);
      expect(await getApiKey(ctx.store, 'nothing')).toBeNull();
      expect(await listApiKeys(ctx.store)).toEqual([]);
    });
  });
});
