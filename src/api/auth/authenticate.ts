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
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from '../problem.ts';
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

/** The onRequest hook (see the module comment). */
export function authenticationHook(runtime: ApiRuntime): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const permission = request.routeOptions.config.permission;
    if (permission === 'public') return;
    const header = request.headers.authorization;
    if (authorizationHeaderCount(request.raw.rawHeaders) > 1) throw unauthorized(runtime, 'malformed', 'send exactly one Authorization header');
    if (header === undefined || header === '') throw unauthorized(runtime, 'missing', 'this route needs an API key: send Authorization: Bearer <key>');
    const m = BEARER.exec(header);
    if (!m) throw unauthorized(runtime, 'malformed', 'the Authorization header must be "Bearer <key>"');
    const principal: Principal | null = await runtime.keys.verify(m[1] as string);
    if (principal === null) throw unauthorized(runtime, 'invalid', 'the API key is unknown, revoked or malformed');
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
