/**
 * From any error a request can raise to an {@link ApiProblem}: schema validation (422 naming each field), body
 * parsing (400, 413, 415), the domain's typed errors (RiskInputError 422, RunLifecycleError 409/422,
 * StoreNotFoundError 404, StoreBusyError / StoreUnavailableError / StoreFullError 503, without the database's
 * name) and anything else (500 with a generic detail; the error itself is only
 * logged). The problem detail never repeats an unknown error's message, so SQL, stack traces and file paths stay in
 * the server log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RiskInputError } from '../risk/index.ts';
import { RunLifecycleError, StoreBusyError, StoreFullError, StoreNotFoundError, StoreUnavailableError } from '../store/index.ts';
import { ApiProblem, PROBLEM_CONTENT_TYPE, problemBody } from './problem.ts';
import type { FieldIssue } from './problem.ts';

/** A schema error as the validator compiler reports it (see validation.ts). */
interface SchemaIssue {
  readonly instancePath?: string;
  readonly message?: string;
}

/** `/positions/3/quantity` -> `positions[3].quantity`. */
export function fieldOfPointer(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

const FASTIFY_CODES: Readonly<Record<string, () => ApiProblem>> = {
  // Connection: close, so the server stops reading the rest of the body instead of draining it after answering
  FST_ERR_CTP_BODY_TOO_LARGE: () => new ApiProblem('payload-too-large', 'the request body exceeds the size limit', [], { connection: 'close' }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new ApiProblem('unsupported-media-type', 'request bodies must be application/json'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ApiProblem('malformed-request', 'the request body is empty but the content type is application/json'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new ApiProblem('malformed-request', 'the request body is not valid JSON'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new ApiProblem('malformed-request', 'the Content-Length header does not match the body'),
  FST_ERR_BAD_URL: () => new ApiProblem('malformed-request', 'the request URL is malformed'),
};

function validationProblem(error: FastifyError): ApiProblem {
  const part = error.validationContext ?? 'body';
  const issues: FieldIssue[] = ((error.validation ?? []) as SchemaIssue[]).slice(0, 20).map((v) => ({
    in: part,
    field: fieldOfPointer(v.instancePath ?? ''),
    reason: v.message ?? 'invalid',
  }));
  const first = issues[0];
  const detail = first === undefined
    ? `the request ${part} does not match its schema`
    : `${part}${first.field === '' ? '' : `.${first.field}`}: ${first.reason}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
  return new ApiProblem('validation', detail, issues);
}

const LIFECYCLE_KIND = { 'gates-failed': 'validation', 'invalid-transition': 'conflict' } as const;

/** The problem to answer for `error`; `internal` is true when the error is unexpected (to be logged as such). */
export function toProblem(error: unknown): { readonly problem: ApiProblem; readonly internal: boolean } {
  if (error instanceof ApiProblem) return { problem: error, internal: false };
  const e = error as Partial<FastifyError> & { field?: unknown };
  if (e !== null && typeof e === 'object' && Array.isArray(e.validation)) return { problem: validationProblem(e as FastifyError), internal: false };
  if (error instanceof RiskInputError) {
    return { problem: new ApiProblem('validation', `body.${error.field}: ${reasonOf(error.message, error.field)}`, [{ in: 'body', field: error.field, reason: reasonOf(error.message, error.field) }]), internal: false };
  }
  if (error instanceof RunLifecycleError) {
    const kind = (LIFECYCLE_KIND as Record<string, 'validation' | 'conflict'>)[error.code] ?? 'conflict';
    return { problem: new ApiProblem(kind, `${error.code}: ${error.message}`), internal: false };
  }
  if (error instanceof StoreNotFoundError) return { problem: new ApiProblem('not-found', `${error.entity} "${error.id}" not found`), internal: false };
  if (error instanceof StoreBusyError) return { problem: new ApiProblem('unavailable', 'the database is busy; retry shortly', [], { 'retry-after': '1' }), internal: false };
  // logged in full (internal), answered without the database's address
  if (error instanceof StoreUnavailableError) {
    const detail = error.outcomeUnknown
      ? 'the database became unavailable during a commit: the change may or may not have been applied; check before retrying'
      : 'the database is unavailable; retry shortly';
    return { problem: new ApiProblem('unavailable', detail, [], { 'retry-after': '5' }), internal: true };
  }
  if (error instanceof StoreFullError) return { problem: new ApiProblem('unavailable', 'the database is full: the write was rolled back', []), internal: true };
  if (e !== null && typeof e === 'object' && typeof e.code === 'string') {
    const known = FASTIFY_CODES[e.code];
    if (known) return { problem: known(), internal: false };
  }
  if (e !== null && typeof e === 'object' && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // a client error raised by fastify or a plugin whose message we do not vouch for: generic detail by status
    const kind = e.statusCode === 404 ? 'not-found' : e.statusCode === 413 ? 'payload-too-large' : e.statusCode === 415 ? 'unsupported-media-type' : 'malformed-request';
    return { problem: new ApiProblem(kind, 'the request could not be processed'), internal: false };
  }
  return { problem: new ApiProblem('internal', 'an internal error occurred; quote the requestId when reporting it'), internal: true };
}

/** RiskInputError messages start with `<field>: `; the reason alone reads better after our own prefix. */
function reasonOf(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/** Sends `problem` as application/problem+json (pre-serialised: response schemas do not apply to it). */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ApiProblem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply
    .code(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problemBody(problem, request.url, String(request.id))));
}

/** The fastify error handler: logs unexpected errors (message and stack, server side only) and answers a problem. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { problem, internal } = toProblem(error);
  if (internal) request.log.error({ err: error }, 'request failed');
  else if (problem.status >= 500) request.log.warn({ problem: problem.kind }, problem.detail);
  return sendProblem(request, reply, problem);
}
