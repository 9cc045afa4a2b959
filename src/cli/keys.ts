/**
 * `aftershock keys create --role desk|analyst|admin [--desk <name>] [--label <text>]`, `keys list`,
 * `keys revoke <id> [--reason <text>]`: API keys for the HTTP API (DESIGN.md §8). `create` prints the full key
 * once (only its scrypt hash is stored); `list` never shows secrets. Each change is audited as `cli:<user>@<host>`.
 * A desk key needs --desk and only desk keys take one (exit 2 otherwise); an unknown key id is exit 2.
 */
import { Option, type Command } from 'commander';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, StoreNotFoundError, type ApiKeyRole } from '../store/index.ts';
import { cliActor } from './actor.ts';
import { contextOf, wantsJson } from './context.ts';
import { withStore } from './db.ts';
import { formatTable, formatTime } from './format.ts';
import { CliInputError } from './io.ts';

/** Registers `keys create|list|revoke` on `program`. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys of the HTTP API (stored hashed)');

  keys.command('create')
    .description('create a key and print it once')
    .addOption(new Option('--role <role>', 'desk (its desk, what-if), analyst (read, run), admin (promote, keys)').choices(['desk', 'analyst', 'admin']).makeOptionMandatory())
    .option('--desk <name>', 'the desk of a desk key (required for, and only for, --role desk)')
    .option('--label <text>', 'a note to recognise the key by')
    .action(async (o: { role: ApiKeyRole; desk?: string; label?: string }, command: Command) => {
      const { io } = contextOf(command);
      if (o.role === 'desk' && !o.desk?.trim()) throw new CliInputError('--desk <name> is required for a desk key', { field: 'desk' });
      if (o.role !== 'desk' && o.desk !== undefined) throw new CliInputError(`--desk applies only to desk keys, not ${o.role} keys`, { field: 'desk', value: o.desk });
      const actor = cliActor();
      const created = await withStore(command, (store) =>
        createApiKey(store, {
          role: o.role, actor,
          ...(o.desk === undefined ? {} : { desk: o.desk.trim() }),
          ...(o.label === undefined ? {} : { label: o.label }),
        }),
      );
      if (wantsJson(command)) {
        io.out(JSON.stringify({ key: created.key, ...created.record }));
        return;
      }
      const r = created.record;
      io.out(`created ${r.role} key ${r.id}${r.desk ? ` for desk ${r.desk}` : ''}${r.label ? ` (${r.label})` : ''}`);
      io.out('key (shown once: store it now, it cannot be recovered):');
      io.out(created.key);
    });

  keys.command('list')
    .description('keys (id, role, desk, label, created, revoked); never the secrets')
    .action(async (_o: unknown, command: Command) => {
      const { io } = contextOf(command);
      const list = await withStore(command, (store) => listApiKeys(store));
      if (wantsJson(command)) {
        io.out(JSON.stringify({ keys: list }));
        return;
      }
      if (list.length > 0) {
        const rows = list.map((k) => [k.id, k.role, k.desk ?? '-', formatTime(k.createdAt), formatTime(k.revokedAt), k.label ?? '']);
        for (const line of formatTable(['ID', 'ROLE', 'DESK', 'CREATED', 'REVOKED', 'LABEL'], rows)) io.out(line);
      }
      io.out(`${list.length} key(s), ${list.filter((k) => k.revokedAt === null).length} active`);
    });

  keys.command('revoke')
    .description('revoke a key (it stops working at once)')
    .argument('<id>', 'key id (the 16 hex digits after ak_)')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (id: string, o: { reason?: string }, command: Command) => {
      const { io } = contextOf(command);
      const actor = cliActor();
      const { before, after } = await withStore(command, async (store) => {
        const found = await getApiKey(store, id);
        if (found === null) throw new StoreNotFoundError('api key', id);
        return { before: found, after: await revokeApiKey(store, id, { actor, ...(o.reason === undefined ? {} : { reason: o.reason }) }) };
      });
      const already = before.revokedAt !== null;
      if (wantsJson(command)) {
        io.out(JSON.stringify({ revoked: after, alreadyRevoked: already }));
        return;
      }
      io.out(already ? `key ${id} was already revoked at ${formatTime(after.revokedAt)}` : `revoked key ${id} at ${formatTime(after.revokedAt)}`);
    });
}
