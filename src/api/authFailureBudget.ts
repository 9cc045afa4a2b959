/**
 * The per-client budget of FAILED authentications (missing, malformed, unknown or revoked API key). The key check
 * runs before the per-key rate limit, and a well-formed unknown key costs one scrypt verification (tens of ms of
 * CPU; rejections are cached only 5 s and per token), so without this budget one client sending distinct tokens
 * could keep the server's CPU busy hashing. Each client address has a fixed window of `timeWindowMs` in which at
 * most `max` requests without an already-known valid key are let through to the key check; further ones get a 429
 * problem with Retry-After BEFORE any verification runs.
 *
 * Accounting (done by the authentication hook, auth/authenticate.ts): a request whose token this server has
 * verified as valid before (the key cache's `knownValid`) bypasses the budget, so a desk sharing a NAT address
 * with an attacker keeps being served; so does one whose token is being verified at that moment (it shares that
 * verification, so a burst of one new key costs one charge). Both are counted only if the key then fails. Any
 * other request is CHARGED one failure before its key is checked, and refunded if the key turns out valid;
 * charging first bounds the verifications of a concurrent burst (N distinct tokens arriving in one tick cannot
 * all pass a "fewer than max failures so far" test). A valid key this server has never verified, presented from an
 * address that is over its budget, is not refused for that: the hook looks its key id up (no KDF) and charges a
 * token naming an active key to a second budget of this class keyed by `key:<id>` (auth/authenticate.ts).
 *
 * Clients are keyed by address: IPv4 (and IPv4-mapped IPv6) by the full address, other IPv6 by its /64 prefix
 * (one host usually owns a whole /64 and could otherwise rotate addresses in it). At most `maxClients` clients are
 * tracked; the least recently charged goes first (memory stays bounded under a flood of addresses).
 */

/** Failure budget settings: at most `max` failed authentications per client per `timeWindowMs` (ms). */
export interface AuthFailureLimitOptions {
  readonly max: number;
  readonly timeWindowMs: number;
}

/** Default budget: 20 failed authentications per client address a minute. */
export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimitOptions = Object.freeze({ max: 20, timeWindowMs: 60_000 });

/** What a charge returns: either admitted (with a receipt to refund it) or refused with the ms until the window ends. */
export type BudgetCharge =
  | { readonly admitted: true; readonly receipt: BudgetReceipt }
  | { readonly admitted: false; readonly retryAfterMs: number };

/** Proof of one charge: the client key and the window it was counted in (a refund never touches a later window). */
export interface BudgetReceipt {
  readonly client: string;
  readonly windowStartedAt: number;
}

interface Window {
  count: number;
  readonly startedAt: number;
}

/** Expands an IPv6 address (no zone, no embedded IPv4) to 8 groups, or null if it is not one. */
function ipv6Groups(address: string): string[] | null {
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? (halves[1] as string).split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}

/**
 * The budget key of a client address: IPv4 as is, `::ffff:a.b.c.d` as `a.b.c.d`, other IPv6 as its /64 prefix
 * (`2001:db8:0:1::/64`), anything unparseable as itself (lower-cased, zone dropped).
 */
export function clientKeyOf(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address);
  return groups === null ? address : `${groups.slice(0, 4).join(':')}::/64`;
}

/** See the module comment. `clock` in ms (default Date.now). */
export class AuthFailureBudget {
  readonly max: number;
  readonly timeWindowMs: number;
  readonly #maxClients: number;
  readonly #clock: () => number;
  readonly #windows = new Map<string, Window>();

  constructor(limit: AuthFailureLimitOptions, options: { readonly maxClients?: number; readonly clock?: () => number } = {}) {
    if (!Number.isInteger(limit.max) || limit.max < 1) throw new RangeError(`authFailureLimit.max must be an integer >= 1, got ${String(limit.max)}`);
    if (!Number.isInteger(limit.timeWindowMs) || limit.timeWindowMs < 1) {
      throw new RangeError(`authFailureLimit.timeWindowMs must be an integer >= 1 (ms), got ${String(limit.timeWindowMs)}`);
    }
    this.max = limit.max;
    this.timeWindowMs = limit.timeWindowMs;
    this.#maxClients = Math.max(1, options.maxClients ?? 10_000);
    this.#clock = options.clock ?? Date.now;
  }

  /** Clients tracked now (expired windows included until charged again or evicted). */
  get size(): number {
    return this.#windows.size;
  }

  /** Counts one failure of client `ip` if its budget allows one more, else reports how long until it does. */
  charge(ip: string): BudgetCharge {
    const client = clientKeyOf(ip);
    const now = this.#clock();
    let w = this.#windows.get(client);
    if (w === undefined || w.startedAt + this.timeWindowMs <= now) w = { count: 0, startedAt: now };
    else this.#windows.delete(client); // re-inserted below: most recently used last
    this.#windows.set(client, w);
    while (this.#windows.size > this.#maxClients) this.#windows.delete(this.#windows.keys().next().value as string);
    if (w.count >= this.max) return { admitted: false, retryAfterMs: Math.max(1, w.startedAt + this.timeWindowMs - now) };
    w.count++;
    return { admitted: true, receipt: { client, windowStartedAt: w.startedAt } };
  }

  /** Gives back a charge whose request turned out to carry a valid key (no effect once its window has ended). */
  refund(receipt: BudgetReceipt): void {
    const w = this.#windows.get(receipt.client);
    if (w !== undefined && w.startedAt === receipt.windowStartedAt && w.count > 0) w.count--;
  }

  /** Failures counted for `ip` in its current window (0 when none or expired). */
  failures(ip: string): number {
    const w = this.#windows.get(clientKeyOf(ip));
    return w === undefined || w.startedAt + this.timeWindowMs <= this.#clock() ? 0 : w.count;
  }
}
