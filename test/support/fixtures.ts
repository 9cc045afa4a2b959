/** Reads committed fixtures by path relative to the repository root (tests never read ../shared). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Parses a JSON fixture; `NaN` tokens (Python's json) are read as null. */
export function readJsonFixture<T = unknown>(relativePath: string): T {
  const text = readFileSync(resolve(root, relativePath), 'utf8');
  return JSON.parse(text.replace(/\bNaN\b/g, 'null')) as T;
}

/** Relative difference |a/b - 1|, or |a - b| when b is 0. */
export function relativeError(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a / b - 1);
}
