/**
 * Model and incident file loaders (fs I/O only; validation is the pure validators'). A file that cannot be read
 * or parsed rejects; an invalid one rejects with ModelValidationError naming the file and every issue.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ModelValidationError, type Validated } from '../errors.ts';

/** `<modelsRoot>/<family>/<version>.json`, e.g. `models/scenarios/deribit-grid/1.0.0.json`. */
export function modelFilePath(modelsRoot: string, family: string, version: string): string {
  return join(modelsRoot, ...family.split('/'), `${version}.json`);
}

/** Reads and parses a JSON file. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ModelValidationError(basename(path), [{ path: '$', reason: `not JSON: ${(e as Error).message}` }]);
  }
}

/** Reads a JSON file and validates it with `validate` (e.g. `validateDeribitGridModel`, `validateIncident`). */
export async function loadValidated<T>(path: string, validate: (json: unknown) => Validated<T>): Promise<T> {
  const result = validate(await readJsonFile(path));
  if (!result.ok) throw new ModelValidationError(basename(path), result.errors);
  return result.value;
}
