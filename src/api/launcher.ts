/**
 * Starting a recalibration from the API. The API never runs the pipeline itself: it hands a
 * {@link RecalibrationRequest} to an injected {@link RunLauncher} (the jobs layer's launcher spawns
 * `aftershock recalibrate` as a child process) and answers 202 with the run id. A request carries NAMES only, each
 * resolved by the launcher inside its configured input roots; anything that looks like a path (a separator, `..`, a
 * leading dot, a drive letter) is refused here with a 422 naming the field, so a client can never point the server
 * at a file of its choosing.
 */
import { isInputName } from '../jobs/inputName.ts';
import { invalidField } from './problem.ts';

/** What a client may ask for: input names (not paths), resolved by the launcher inside its configured roots. */
export interface RecalibrationRequest {
  /** Incident name, e.g. `2026-02-05-drawdown`. */
  readonly incident: string;
  /** Market-data set name. */
  readonly market?: string;
  /** Portfolio file name. */
  readonly portfolios?: string;
  /** Model set name. */
  readonly models?: string;
}

/**
 * Starts recalibration runs in the background. `start` resolves once the run exists in the store (status
 * `running`), with its id; `actor` is the audit actor (`key:<id>`). To reject a request (an unknown name, say)
 * throw an error with a string `field` (one of the request's fields) and optionally a `publicMessage` that is safe to
 * show the client: the API answers 422 with them. Any other error is a 500 with a generic detail.
 */
export interface RunLauncher {
  start(request: RecalibrationRequest, actor: string): Promise<{ readonly runId: string }>;
}

/** The request fields, in order. */
export const REQUEST_FIELDS = ['incident', 'market', 'portfolios', 'models'] as const;

/** Throws a 422 problem naming `field` unless `value` is a plain input name (jobs' isInputName: the launchers' own rule). */
export function checkInputName(value: string, field: string): string {
  if (/[\\/]/.test(value)) throw invalidField(field, 'must be a name, not a path (no / or \\)');
  if (value.includes('..')) throw invalidField(field, "must be a name, not a path (no '..')");
  if (!isInputName(value)) throw invalidField(field, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');
  return value;
}

/** Checks every name of a request (already shaped by its schema); `prefix` prefixes field names (e.g. `payload.`). */
export function checkRecalibrationRequest(request: RecalibrationRequest, prefix = ''): RecalibrationRequest {
  const out: Record<string, string> = {};
  for (const f of REQUEST_FIELDS) {
    const v = request[f];
    if (v !== undefined) out[f] = checkInputName(v, `${prefix}${f}`);
  }
  return out as unknown as RecalibrationRequest;
}

/** A launcher error that names a request field (see {@link RunLauncher}). */
export function launcherFieldError(error: unknown): { readonly field: string; readonly message: string } | null {
  if (error === null || typeof error !== 'object') return null;
  const { field, publicMessage } = error as { field?: unknown; publicMessage?: unknown };
  if (typeof field !== 'string' || !(REQUEST_FIELDS as readonly string[]).includes(field)) return null;
  return { field, message: typeof publicMessage === 'string' && !/[\\/]/.test(publicMessage) ? publicMessage : 'not accepted by the run launcher' };
}
