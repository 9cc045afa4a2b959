/**
 * The soak's request mix: what each route kind sends and which status it must get. Calibrated reads (account
 * margins, what-if, stress tests, surfaces) answer 200 from one run and are checked against it by the verifier;
 * `unauthorised` (no key, a malformed header, a wrong secret, a revoked key) must answer 401, `wrong-desk` (a desk key
 * naming another desk's account) 404 exactly like a missing account, `wrong-role` (a desk key on an analyst route)
 * 403: those are the expected errors, counted apart from unexpected ones. A bad key may also get 429 with Retry-After
 * once the client address has spent its budget of failed authentications (if the server has one), never any other
 * status; a valid key must never get 429 (its answers are planned as 200/403/404). Bad keys are sent from their own
 * client address (`hostile`), as an attacker's would be: the budget is per address, and a valid key the server has not
 * yet verified is refused from an address whose budget is spent (see the soak's `hostileAddress`).
 *
 * The kinds are drawn in a fixed, seeded order (a shuffled deck of 100 cards dealt by the weights, reshuffled each
 * time it runs out), so two soaks with the same seed send the same sequence.
 */
import { createRng } from '../../../src/math/index.ts';
import type { SoakWorld } from './world.ts';

/** The route kinds of the mix. */
export const ROUTE_KINDS = Object.freeze([
  'account', 'account-desk', 'what-if', 'stress', 'runs-list', 'surface', 'health', 'unauthorised', 'wrong-desk', 'wrong-role',
] as const);
/** One route kind. */
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** Default share of each kind, percent of requests (sums to 100). */
export const DEFAULT_MIX: Readonly<Record<RouteKind, number>> = Object.freeze({
  'account': 34, 'account-desk': 10, 'what-if': 12, 'stress': 4, 'runs-list': 4, 'surface': 6, 'health': 8,
  'unauthorised': 10, 'wrong-desk': 8, 'wrong-role': 4,
});

/** What a route kind is, for the report. */
export const KIND_ROUTES: Readonly<Record<RouteKind, string>> = Object.freeze({
  'account': 'GET /v1/accounts/{id}/margin (analyst key, ids rotating)',
  'account-desk': 'GET /v1/accounts/{id}/margin (desk key, own desk)',
  'what-if': 'POST /v1/margin/what-if (50 positions, desk/analyst keys)',
  'stress': 'POST /v1/stress-tests (1 posted portfolio + 3 accounts)',
  'runs-list': 'GET /v1/runs?limit=100 (run list)',
  'surface': 'GET /v1/surfaces/BTC (desk keys)',
  'health': 'GET /health (no key)',
  'unauthorised': 'no/malformed/wrong/revoked key: 401 (or 429) expected',
  'wrong-desk': "desk key on another desk's account: 404 expected",
  'wrong-role': 'desk key on analyst routes: 403 expected',
});

/** One request to send and the status it must get. */
export interface PlannedRequest {
  readonly kind: RouteKind;
  /** Which variant of the kind (e.g. `missing-key`), for error breakdowns. */
  readonly variant: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly expectStatus: number;
  /**
   * Other statuses that are right too: for `unauthorised`, 429 once the client address has spent its budget of failed
   * authentications (the API may refuse further bad keys from one address before checking them).
   */
  readonly alsoAllowed: readonly number[];
  /** Sent from the driver's hostile client address (bad keys: their failures are budgeted per address). */
  readonly hostile: boolean;
  /** The accounts the answer is about (account reads: one; stress tests: the stored accounts asked for). */
  readonly accountIds: readonly string[];
}

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
const JSON_BODY = { 'content-type': 'application/json' };

/** Deals route kinds and builds their requests (see the module comment). */
export class RequestPlanner {
  readonly #world: SoakWorld;
  readonly #rng: ReturnType<typeof createRng>;
  readonly #deck: RouteKind[] = [];
  readonly #mix: Readonly<Record<RouteKind, number>>;
  readonly #desks: readonly string[];
  readonly #whatIfBody: string;
  #deal = 0;
  #counter = 0;

  constructor(world: SoakWorld, seed: number, mix: Readonly<Record<RouteKind, number>> = DEFAULT_MIX) {
    this.#world = world;
    this.#rng = createRng(seed);
    this.#mix = mix;
    this.#desks = [...world.byDesk.keys()].sort();
    if (this.#desks.length < 2) throw new Error('the soak world needs accounts of at least two desks (wrong-desk requests)');
    this.#whatIfBody = JSON.stringify({ positions: world.portfolio });
  }

  /** The next request of the mix. */
  next(): PlannedRequest {
    if (this.#deal >= this.#deck.length) this.#shuffle();
    const kind = this.#deck[this.#deal++] as RouteKind;
    return this.build(kind, this.#counter++);
  }

  #shuffle(): void {
    this.#deck.length = 0;
    for (const kind of ROUTE_KINDS) for (let i = 0; i < Math.round(this.#mix[kind]); i++) this.#deck.push(kind);
    for (let i = this.#deck.length - 1; i > 0; i--) {
      const j = this.#rng.nextInt(i + 1);
      [this.#deck[i], this.#deck[j]] = [this.#deck[j] as RouteKind, this.#deck[i] as RouteKind];
    }
    this.#deal = 0;
  }

  /** The `n`-th request of kind `kind` (n rotates ids, desks and variants). */
  build(kind: RouteKind, n: number): PlannedRequest {
    const w = this.#world;
    const ids = w.accountIds;
    const desk = this.#desks[n % this.#desks.length] as string;
    const deskIds = w.byDesk.get(desk) as readonly string[];
    const otherDesk = this.#desks[(n + 1) % this.#desks.length] as string;
    const otherIds = w.byDesk.get(otherDesk) as readonly string[];
    const own = deskIds[Math.floor(n / this.#desks.length) % deskIds.length] as string;
    const foreign = otherIds[n % otherIds.length] as string;
    const base = { kind, accountIds: [] as string[], body: null, alsoAllowed: [] as number[], hostile: kind === 'unauthorised' };
    switch (kind) {
      case 'account': {
        const id = ids[n % ids.length] as string;
        return { ...base, variant: 'analyst', method: 'GET', path: `/v1/accounts/${id}/margin`, headers: bearer(w.keys.analyst), expectStatus: 200, accountIds: [id] };
      }
      case 'account-desk':
        return { ...base, variant: desk, method: 'GET', path: `/v1/accounts/${own}/margin`, headers: bearer(w.keys.desks[desk] as string), expectStatus: 200, accountIds: [own] };
      case 'what-if': {
        const key = n % 3 === 0 ? w.keys.analyst : (w.keys.desks[desk] as string);
        return { ...base, variant: n % 3 === 0 ? 'analyst' : 'desk', method: 'POST', path: '/v1/margin/what-if', headers: { ...bearer(key), ...JSON_BODY }, body: this.#whatIfBody, expectStatus: 200 };
      }
      case 'stress': {
        const picked = [0, 1, 2].map((k) => ids[(n * 3 + k * 997) % ids.length] as string);
        const unique = [...new Set(picked)];
        const body = JSON.stringify({ portfolios: [{ id: 'soak-portfolio', positions: w.portfolio }], accountIds: unique, worst: 3 });
        return { ...base, variant: 'analyst', method: 'POST', path: '/v1/stress-tests', headers: { ...bearer(w.keys.analyst), ...JSON_BODY }, body, expectStatus: 200, accountIds: unique };
      }
      case 'runs-list':
        return { ...base, variant: 'analyst', method: 'GET', path: '/v1/runs?limit=100', headers: bearer(w.keys.analyst), expectStatus: 200 };
      case 'surface':
        return { ...base, variant: desk, method: 'GET', path: '/v1/surfaces/BTC', headers: bearer(w.keys.desks[desk] as string), expectStatus: 200 };
      case 'health':
        return { ...base, variant: 'public', method: 'GET', path: '/health', headers: {}, expectStatus: 200 };
      case 'unauthorised': {
        const variants: [string, Record<string, string>][] = [
          ['missing-key', {}],
          ['malformed-header', { authorization: `Basic ${Buffer.from('soak:soak').toString('base64')}` }],
          ['wrong-secret', bearer(w.keys.wrongSecret)],
          ['revoked-key', bearer(w.keys.revoked)],
        ];
        const [variant, headers] = variants[n % variants.length] as [string, Record<string, string>];
        const id = ids[n % ids.length] as string;
        return n % 2 === 0
          ? { ...base, variant, method: 'GET', path: `/v1/accounts/${id}/margin`, headers, expectStatus: 401, alsoAllowed: [429] }
          : { ...base, variant, method: 'POST', path: '/v1/margin/what-if', headers: { ...headers, ...JSON_BODY }, body: this.#whatIfBody, expectStatus: 401, alsoAllowed: [429] };
      }
      case 'wrong-desk': {
        const headers = bearer(w.keys.desks[desk] as string);
        return n % 2 === 0
          ? { ...base, variant: 'account-read', method: 'GET', path: `/v1/accounts/${foreign}/margin`, headers, expectStatus: 404, accountIds: [foreign] }
          : { ...base, variant: 'what-if-account', method: 'POST', path: '/v1/margin/what-if', headers: { ...headers, ...JSON_BODY },
            body: JSON.stringify({ accountId: foreign, positions: w.portfolio.slice(0, 5) }), expectStatus: 404, accountIds: [foreign] };
      }
      case 'wrong-role': {
        const headers = bearer(w.keys.desks[desk] as string);
        return n % 2 === 0
          ? { ...base, variant: 'runs-list', method: 'GET', path: '/v1/runs?limit=100', headers, expectStatus: 403 }
          : { ...base, variant: 'stress-test', method: 'POST', path: '/v1/stress-tests', headers: { ...headers, ...JSON_BODY }, body: JSON.stringify({ accountIds: [own] }), expectStatus: 403 };
      }
    }
  }
}
