/**
 * The authentication and authorisation hook of every /v1 route (and /metrics): `Authorization: Bearer <key>`,
 * verified through the key cache, then the route's permission checked against the key's role. 401 (with
 * `WWW-Authenticate: Bearer`) for a missing, malformed or unknown key, 403 for a role without the permission. The
 * token is never logged or echoed; the request's logger is bound to the key id instead.
 *
 * Only the Authorization header is a credential (never a query parameter, a cookie or an X-Forwarded-* / X-Api-Key
 * header). The scheme is case-insensitive and may be followed by several spaces (RFC 9110 §11); a request with more
 * than one Authorization header is refused as malformed (Node would silently keep the first, and a proxy in front
 * might have used another). Fail closed: a route of this context without a permission in its config is refused
 * (403), never served unauthenticated; the plugin also refuses to register such a route.
 *
 * Failed authentications are budgeted per client address (authFailureBudget.ts, when enabled): a request whose
 * token this server has verified as valid before, or whose token is being verified right now (it shares that
 * verification), is not charged up front (only if it then fails); any other is charged one failure BEFORE its key
 * is looked at (refunded if the key is valid). Once its address has used the budget, a token that names an active
 * key id (one indexed read, no KDF) is charged to that key id's own budget instead and checked, so a valid key never
 * verified by this server is still served from an address shared with an attacker; any other request is answered
 * 429 with Retry-After without any key verification (so without scrypt).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from '../problem.ts';
import type { AuthFailureBudget, BudgetReceipt } from '../authFailureBudget.ts';
import { apiKeyIdOf } from '../../store/index.ts';
import type { ApiRuntime } from '../runtime.ts';
import { roleMay, type Principal } from './permissions.ts';
import '../fastifyTypes.ts';

const BEARER = /^Bearer +([^\s]+) *$/i;
const INFO_OR_LOWER = new Set(['info', 'debug', 'trace']);
const CHALLENGE = Object.freeze({ 'www-authenticate': 'Bearer realm="aftershock"' });

function unauthorized(runtime: ApiRuntime, reason: string, detail: string): ApiProblem {
  runtime.metrics.authFailures.inc({ reason });
  return new ApiProblem('unauthorized', detail, [], CHALLENGE);
}

/** How many Authorization headers a raw header list ([name, value, name, value, ...]) carries. */
export function authorizationHeaderCount(rawHeaders: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).length === 13 && (rawHeaders[i] as string).toLowerCase() === 'authorization') n++;
  return n;
}

/** The bearer token of a request, or why it has none usable (a reason label of the auth-failure metric, and a detail). */
type Credential = { readonly token: string } | { readonly reason: 'missing' | 'malformed'; readonly detail: string };

function credentialOf(request: FastifyRequest): Credential {
  if (authorizationHeaderCount(request.raw.rawHeaders) > 1) return { reason: 'malformed', detail: 'send exactly one Authorization header' };
  const header = request.headers.authorization;
  if (header === undefined || header === '') return { reason: 'missing', detail: 'this route needs an API key: send Authorization: Bearer <key>' };
  const m = BEARER.exec(header);
  if (!m) return { reason: 'malformed', detail: 'the Authorization header must be "Bearer <key>"' };
  return { token: m[1] as string };
}

function throttled(runtime: ApiRuntime, budget: AuthFailureBudget, retryAfterMs: number, what: string): ApiProblem {
  runtime.metrics.authFailures.inc({ reason: 'throttled' });
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new ApiProblem(
    'rate-limited',
    `too many failed authentications ${what} (at most ${budget.max} per ${budget.timeWindowMs / 1000} s); retry in ${seconds} s with a valid API key`,
    [],
    { 'retry-after': String(seconds) },
  );
}

/**
 * Charges the request's address one failed authentication (see the module comment); throws the 429 problem when its
 * budget is spent. Returns the receipt to refund (null when the budget is disabled).
 */
function chargeFailure(runtime: ApiRuntime, request: FastifyRequest): BudgetReceipt | null {
  const budget = runtime.authFailures;
  if (budget === null) return null;
  const charge = budget.charge(request.ip);
  if (charge.admitted) return charge.receipt;
  throw throttled(runtime, budget, charge.retryAfterMs, 'from this address');
}

/** A charge to refund if the key turns out valid: which budget and its receipt. */
interface Charged {
  readonly budget: AuthFailureBudget;
  readonly receipt: BudgetReceipt;
}

/**
 * The charge of a bearer token to its address's budget, synchronously (so that concurrent requests with one new token
 * see each other's verification under way): the charge, 'over' when the address's budget is spent, or null when the
 * budget is disabled.
 */
function chargeTokenToAddress(runtime: ApiRuntime, request: FastifyRequest): Charged | 'over' | null {
  const budget = runtime.authFailures;
  if (budget === null) return null;
  const charge = budget.charge(request.ip);
  return charge.admitted ? { budget, receipt: charge.receipt } : 'over';
}

/**
 * For a request from an address over its budget: a token naming an ACTIVE key (one indexed store read, no KDF;
 * activeKeyIds.ts) is charged to its key id's own budget instead, so a valid key this server has not verified yet is
 * still served from an address an attacker sharing it has spent; any other token gets the 429 without a KDF.
 */
async function chargeTokenToKeyId(runtime: ApiRuntime, request: FastifyRequest, token: string): Promise<Charged> {
  const budget = runtime.authFailures as AuthFailureBudget;
  const perKey = runtime.authFailuresPerKey;
  const id = apiKeyIdOf(token);
  if (perKey !== null && id !== null && await runtime.keyIds.isActive(id)) {
    const keyCharge = perKey.charge(`key:${id}`);
    if (keyCharge.admitted) return { budget: perKey, receipt: keyCharge.receipt };
    throw throttled(runtime, perKey, keyCharge.retryAfterMs, 'with this key id');
  }
  const again = budget.charge(request.ip); // not admitted (the window may have ended meanwhile: then it is)
  if (again.admitted) return { budget, receipt: again.receipt };
  throw throttled(runtime, budget, again.retryAfterMs, 'from this address');
}

/** The onRequest hook (see the module comment). */
export function authenticationHook(runtime: ApiRuntime): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const permission = request.routeOptions.config.permission;
    if (permission === 'public') return;
    const credential = credentialOf(request);
    if (!('token' in credential)) {
      chargeFailure(runtime, request);
      throw unauthorized(runtime, credential.reason, credential.detail);
    }
    // not charged up front: a token verified as valid before (a desk behind the same NAT as an attacker is still
    // served), and one whose verification is already under way (a burst of one new key costs one verification)
    const shared = runtime.keys.knownValid(credential.token) || runtime.keys.verifying(credential.token);
    const direct = shared ? null : chargeTokenToAddress(runtime, request);
    const charged = direct === 'over' ? await chargeTokenToKeyId(runtime, request, credential.token) : direct;
    let principal: Principal | null;
    try {
      principal = await runtime.keys.verify(credential.token);
    } catch (e) {
      if (charged !== null) charged.budget.refund(charged.receipt); // the store failed, not the caller
      throw e;
    }
    if (principal === null) {
      // an uncharged token that failed (revoked since it was known, or a shared failing verification): counted
      // now, and answered 401 like any rejection
      if (charged === null) runtime.authFailures?.charge(request.ip);
      throw unauthorized(runtime, 'invalid', 'the API key is unknown, revoked or malformed');
    }
    if (charged !== null) charged.budget.refund(charged.receipt);
    request.principal = principal;
    if (permission === undefined) throw new ApiProblem('forbidden', 'this route declares no permission and is closed');
    if (INFO_OR_LOWER.has(request.log.level)) {
      request.log = request.log.child({ keyId: principal.keyId });
      reply.log = request.log; // the 'request completed' line carries the key id too
    }
    if (!roleMay(principal.role, permission)) {
      throw new ApiProblem('forbidden', `a ${principal.role} key may not use this route (it needs ${permission})`);
    }
  };
}
