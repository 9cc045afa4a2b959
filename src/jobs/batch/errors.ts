/** Typed errors of stress batches. */

/** A bad batch request or setting: names the field, the value and the reason. */
export class BatchInputError extends Error {
  override readonly name = 'BatchInputError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field}: ${reason} (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)})`);
  }
}
