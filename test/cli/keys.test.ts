/**
 * `aftershock keys create | list | revoke`: the key is printed once and verifies (verifyApiKey), only public fields
 * are listed (never the secret), revocation stops the key, each change is audited as cli:<user>@<host>, and bad
 * input (role, desk) or an unknown id exits 2.
 */
import { describe, expect, it } from 'vitest';
import { cliActor } from '../../src/cli/actor.ts';
import { listApiKeys, listAudit, verifyApiKey } from '../../src/store/index.ts';
import type { ApiKeyRecord } from '../../src/store/index.ts';
import { BACKENDS, skipBackend } from '../support/db.ts';
import { jsonOf, T0, useCliDatabase } from './helpers.ts';

describe.each(BACKENDS)('aftershock keys on %s', async (backend) => {
  const skip = await skipBackend(backend, 'cli keys');
  describe.skipIf(skip)(backend, () => {
    const ctx = useCliDatabase(backend);

    it('creates a key, prints it once, and the printed key verifies; list shows no secret; revoke stops it', async () => {
      const created = await ctx.cli(['keys', 'create', '--role', 'desk', '--desk', 'eu-options', '--label', 'EU desk dashboard']);
      expect(created.code).toBe(0);
      expect(created.out).toHaveLength(3);
      const key = created.out[2]!;
      expect(key).toMatch(/^ak_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
      const id = key.slice(3, 19);
      expect(created.out[0]).toBe(`created desk key ${id} for desk eu-options (EU desk dashboard)`);
      expect(await verifyApiKey(ctx.store, key)).toMatchObject({ id, role: 'desk', desk: 'eu-options', label: 'EU desk dashboard', revokedAt: null });

      const admin = jsonOf<ApiKeyRecord & { key: string }>(await ctx.cli(['--json', 'keys', 'create', '--role', 'admin']));
      expect(admin).toMatchObject({ role: 'admin', desk: null, label: null, createdAt: T0, revokedAt: null });
      expect((await verifyApiKey(ctx.store, admin.key))?.id).toBe(admin.id);
      expect(await verifyApiKey(ctx.store, `${admin.key.slice(0, -1)}${admin.key.endsWith('A') ? 'B' : 'A'}`)).toBeNull();

      const list = await ctx.cli(['keys', 'list']);
      expect(list.code).toBe(0);
      expect(list.out[0]).toMatch(/^ID\s+ROLE\s+DESK\s+CREATED\s+REVOKED\s+LABEL$/);
      expect(list.out.join('\n')).not.toContain(key.slice(20));
      expect(list.out.at(-1)).toBe('2 key(s), 2 active');
      const listed = jsonOf<{ keys: ApiKeyRecord[] }>(await ctx.cli(['keys', 'list', '--json']));
      expect(listed.keys).toEqual(JSON.parse(JSON.stringify(await listApiKeys(ctx.store))));
      expect(JSON.stringify(listed)).not.toContain(key.slice(20));

      ctx.clock.advance(1000);
      const revoked = await ctx.cli(['keys', 'revoke', id, '--reason', 'laptop lost']);
      expect(revoked).toEqual({ code: 0, out: [`revoked key ${id} at 2026-02-05T00:00:01Z`], err: [] });
      expect(await verifyApiKey(ctx.store, key)).toBeNull();
      const again = jsonOf<{ alreadyRevoked: boolean; revoked: ApiKeyRecord }>(await ctx.cli(['keys', 'revoke', id, '--json']));
      expect(again).toMatchObject({ alreadyRevoked: true, revoked: { id, revokedAt: T0 + 1000 } });
      expect((await ctx.cli(['keys', 'list'])).out.at(-1)).toBe('2 key(s), 1 active');

      const audit = await listAudit(ctx.store);
      expect(audit.map((a) => [a.action, a.target, a.actor, a.reason])).toEqual([
        ['key-create', id, cliActor(), null],
        ['key-create', admin.id, cliActor(), null],
        ['key-revoke', id, cliActor(), 'laptop lost'],
      ]);
    });

    it('bad role, a desk key without --desk, --desk on another role, an unknown id: exit 2, no key created', async () => {
      const role = await ctx.cli(['keys', 'create', '--role', 'boss', '--json']);
      expect(role.code).toBe(2);
      expect(role.err.join('\n')).toMatch(/argument 'boss' is invalid\. Allowed choices are desk, analyst, admin/);
      expect(jsonOf(role)).toMatchObject({ error: { type: 'UsageError' } });
      const noRole = await ctx.cli(['keys', 'create']);
      expect(noRole.code).toBe(2);
      expect(noRole.err.join('\n')).toMatch(/required option '--role <role>' not specified/);
      const noDesk = await ctx.cli(['keys', 'create', '--role', 'desk', '--desk', '  ']);
      expect(noDesk).toEqual({ code: 2, out: [], err: ['error: --desk <name> is required for a desk key'] });
      const deskOnAdmin = await ctx.cli(['keys', 'create', '--role', 'admin', '--desk', 'eu']);
      expect(deskOnAdmin).toEqual({ code: 2, out: [], err: ['error: --desk applies only to desk keys, not admin keys'] });
      expect(await listApiKeys(ctx.store)).toEqual([]);
      const unknown = await ctx.cli(['keys', 'revoke', '0123456789abcdef']);
      expect(unknown).toEqual({ code: 2, out: [], err: ['error: api key "0123456789abcdef" not found'] });
    });
  });
});
