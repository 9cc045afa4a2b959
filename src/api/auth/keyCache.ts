/**
 * Verified API keys held in memory. The store's verifyApiKey runs scrypt (tens of ms, by design), far too slow per
 * request, so a verified token is remembered by the SHA-256 of the presented string (never the token itself) for
 * `ttlMs`; a rejected token for `negativeTtlMs` (so a client retrying a bad key does not cost a KDF per request).
 * Concurrent first uses of one token share a single verification. The map is bounded (oldest entries go first).
 * A revoked key therefore keeps working for at most `ttlMs` in a server that had already seen it.
 *
 * Separately, the digests of tokens that have verified as valid are remembered (bounded the same way, without a
 * TTL) until a verification of the same token fails: {@link ApiKeyCache.knownValid} lets the failed-authentication
 * budget (authFailureBudget.ts) serve a key it has seen valid before without charging it, even after its 30 s
 * trust has lapsed. It grants nothing by itself: the token is still verified (cache, else store) as usual.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyRecord } from '../../store/index.ts';
import type { Principal } from './permissions.ts';

/** Options of {@link ApiKeyCache}. */
export interface ApiKeyCacheOptions {
  /** How long a verified key is trusted without asking the store, ms (default 30 000). */
  readonly ttlMs?: number;
  /** How long a rejected token is remembered as rejected, ms (default 5 000). */
  readonly negativeTtlMs?: number;
  /** Most entries kept (default 10 000). */
  readonly maxEntries?: number;
  /** Clock in ms (default Date.now). */
  readonly clock?: () => number;
}

interface Entry {
  readonly principal: Principal | null;
  readonly expiresAt: number;
}

/** SHA-256 (hex) of a presented token: the cache key, never logged. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** See the module comment. */
export class ApiKeyCache {
  readonly #verify: (token: string) => Promise<ApiKeyRecord | null>;
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Principal | null>>();
  /** Digests of tokens last verified as valid (insertion order = least recently verified first). */
  readonly #valid = new Set<string>();
  /** Verifications that went to the store (cache misses). */
  verifications = 0;

  constructor(verify: (token: string) => Promise<ApiKeyRecord | null>, options: ApiKeyCacheOptions = {}) {
    this.#verify = verify;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.#clock = options.clock ?? Date.now;
  }

  /** Entries held now (expired ones included until they are looked up or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Whether `token` verified as valid the last time this cache asked the store (however long ago): no store call,
   * one SHA-256. A revoked key stays "known" until its next verification (after `ttlMs`) fails.
   */
  knownValid(token: string): boolean {
    return this.#valid.has(tokenDigest(token));
  }

  /** Whether a verification of `token` is under way (a verify() now joins it instead of asking the store again). */
  verifying(token: string): boolean {
    return this.#pending.has(tokenDigest(token));
  }

  /** The principal of `token`, or null if the store rejects it. Store errors propagate (nothing is cached). */
  verify(token: string): Promise<Principal | null> {
    const digest = tokenDigest(token);
    const hit = this.#entries.get(digest);
    if (hit !== undefined) {
      if (hit.expiresAt > this.#clock()) return Promise.resolve(hit.principal);
      this.#entries.delete(digest);
    }
    const pending = this.#pending.get(digest);
    if (pending !== undefined) return pending;
    this.verifications++;
    const run = this.#verify(token)
      .then((record) => {
        const principal: Principal | null = record === null ? null : Object.freeze({ keyId: record.id, role: record.role, desk: record.desk });
        this.#remember(digest, principal);
        this.#markValid(digest, principal !== null);
        return principal;
      })
      .finally(() => this.#pending.delete(digest));
    this.#pending.set(digest, run);
    return run;
  }

  /** Forgets every entry (e.g. after revoking keys in this process), the known-valid tokens included. */
  clear(): void {
    this.#entries.clear();
    this.#valid.clear();
  }

  #markValid(digest: string, valid: boolean): void {
    this.#valid.delete(digest);
    if (!valid) return;
    while (this.#valid.size >= this.#maxEntries) this.#valid.delete(this.#valid.values().next().value as string);
    this.#valid.add(digest);
  }

  #remember(digest: string, principal: Principal | null): void {
    const ttl = principal === null ? this.#negativeTtlMs : this.#ttlMs;
    if (ttl <= 0) return;
    this.#entries.delete(digest);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(digest, { principal, expiresAt: this.#clock() + ttl });
  }
}
