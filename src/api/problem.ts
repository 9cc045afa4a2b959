/**
 * RFC 9457 problem details (`application/problem+json`): every error the API returns has this body. `type` is a URN
 * naming the kind of problem (`urn:aftershock:problem:<slug>`), `title` is fixed per kind, `detail` is written for
 * the caller and never carries a stack trace, SQL, a file path or a secret; `instance` is the request path (without
 * its query string). Validation problems add `errors`, one per offending field.
 */

/** One offending field of a request: where (`body`, `querystring`, `params`, `headers`), which field, and why. */
export interface FieldIssue {
  readonly in: string;
  /** Dotted path with array indices, e.g. `positions[3].quantity` ('' for the part as a whole). */
  readonly field: string;
  readonly reason: string;
}

/** The problem+json body. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly requestId: string;
  readonly errors?: readonly FieldIssue[];
}

/** The kinds of problem the API reports, with their HTTP status and title. */
export const PROBLEM_KINDS = Object.freeze({
  'malformed-request': { status: 400, title: 'Malformed request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'request-timeout': { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  validation: { status: 422, title: 'Invalid request' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'Request header fields too large' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const);

/** A problem kind (the slug of its type URN). */
export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** The type URN of a problem kind. */
export function problemType(kind: ProblemKind): string {
  return `urn:aftershock:problem:${kind}`;
}

/**
 * An error a handler throws to answer with a problem: the kind fixes status and title; `detail` must be safe to show
 * the caller (it is sent as is). `headers` are added to the response (e.g. WWW-Authenticate, Retry-After).
 */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  readonly status: number;
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly errors: readonly FieldIssue[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.status = PROBLEM_KINDS[kind].status;
  }
  /** Fastify reads statusCode from thrown errors. */
  get statusCode(): number {
    return this.status;
  }
}

/** A 422 problem naming one field of the body (or of another request part). */
export function invalidField(field: string, reason: string, part = 'body'): ApiProblem {
  return new ApiProblem('validation', `${part}.${field}: ${reason}`, [{ in: part, field, reason }]);
}

/** Longest `instance` echoed back (the path is the caller's own input). */
const MAX_INSTANCE = 200;

/** The problem body of `problem` for the request `url` (query string dropped) and request id. */
export function problemBody(problem: ApiProblem, url: string, requestId: string): ProblemBody {
  const path = url.split('?')[0] ?? '';
  const body: ProblemBody = {
    type: problemType(problem.kind),
    title: PROBLEM_KINDS[problem.kind].title,
    status: problem.status,
    detail: problem.detail,
    instance: path.length > MAX_INSTANCE ? `${path.slice(0, MAX_INSTANCE)}...` : path,
    requestId,
    ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
  return body;
}

/** The media type of problem responses. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
