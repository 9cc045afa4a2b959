/**
 * Which API key ids exist and are not revoked, by one indexed store read per id (no KDF), remembered for `ttlMs`
 * (default 30 s, like verified keys) when active and `negativeTtlMs` (default 5 s) when not. The failed-authentication
 * budget asks it only for requests from an address that is over its budget: a token that names an active key still
 * gets its (scrypt) check there, charged to that key id's own budget, so a desk behind the same NAT as an attacker is
 * not locked out, while tokens with made-up ids cost no KDF at all. Bounded (oldest entries go first). A key id is
 * an identifier, not a secret (it is printed by `aftershock keys list` and logged with requests).
 */
import { getApiKey, type Store } from '../../store/index.ts';

interface Entry {
  readonly active: boolean;
  readonly expiresAt: number;
}

/** See the module comment. `clock` in ms (default Date.now). */
export class ActiveKeyIds {
  readonly #lookup: (id: string) => Promise<boolean>;
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<boolean>>();
  /** Lookups that went to the store. */
  lookups = 0;

  constructor(
    lookup: (id: string) => Promise<boolean>,
    options: { readonly ttlMs?: number; readonly negativeTtlMs?: number; readonly maxEntries?: number; readonly clock?: () => number } = {},
  ) {
    this.#lookup = lookup;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.#clock = options.clock ?? Date.now;
  }

  /** Whether key `id` exists and is not revoked (as of at most the TTL ago). Store errors propagate. */
  isActive(id: string): Promise<boolean> {
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      if (hit.expiresAt > this.#clock()) return Promise.resolve(hit.active);
      this.#entries.delete(id);
    }
    const pending = this.#pending.get(id);
    if (pending !== undefined) return pending;
    this.lookups++;
    const run = this.#lookup(id)
      .then((active) => {
        const ttl = active ? this.#ttlMs : this.#negativeTtlMs;
        if (ttl > 0) {
          while (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
          this.#entries.set(id, { active, expiresAt: this.#clock() + ttl });
        }
        return active;
      })
      .finally(() => this.#pending.delete(id));
    this.#pending.set(id, run);
    return run;
  }
}

/** The store lookup of {@link ActiveKeyIds}: the key exists and has no revocation time. */
export function storeKeyIdLookup(store: Store): (id: string) => Promise<boolean> {
  return async (id) => {
    const record = await getApiKey(store, id);
    return record !== null && record.revokedAt === null;
  };
}
