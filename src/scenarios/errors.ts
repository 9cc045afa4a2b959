/**
 * Typed errors and validation results of the scenarios layer. Bad arguments raise a ScenarioInputError naming
 * the field and value; model JSON is checked by pure validators that return every issue (path + reason) instead
 * of stopping at the first, and `ModelValidationError` carries those issues when a caller wants to throw.
 */

/** Bad domain input to a scenario function: names the field and the value. */
export class ScenarioInputError extends Error {
  override readonly name = 'ScenarioInputError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`${field}: ${message} (got ${describe(value)})`);
  }
}

/** One problem in a model file: where (`price_range`, `kinds.exploit.residual_add_on.rate`) and why. */
export interface ModelIssue {
  readonly path: string;
  readonly reason: string;
}

/** Result of a model validator: the typed value, or every issue found. */
export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly ModelIssue[] };

/** A model file that failed validation (raised by `expectValid` and the loaders). */
export class ModelValidationError extends Error {
  override readonly name = 'ModelValidationError';
  constructor(
    /** What was validated, e.g. `scenarios/deribit-grid` or a file name. */
    readonly model: string,
    readonly issues: readonly ModelIssue[],
  ) {
    super(`${model}: invalid model (${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')})`);
  }
}

/** Unwraps a validation result or throws ModelValidationError. */
export function expectValid<T>(result: Validated<T>, model: string): T {
  if (result.ok) return result.value;
  throw new ModelValidationError(model, result.errors);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
