/**
 * Issue collector of the margin and haircut model validators (same contract as the scenario models': every issue
 * with a dotted path and a reason, `Validated<T>`, unwrapped by `expectValid`).
 */
import type { ModelIssue, Validated } from '../../scenarios/index.ts';

type Json = Record<string, unknown>;

/** Numeric bounds of a field. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: number;
  readonly exclusiveMax?: number;
  readonly integer?: boolean;
}

/** `path.key`, or `key` at the root. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Collects issues while reading a parsed JSON value; each accessor returns a usable placeholder on failure. */
export class ModelChecker {
  readonly issues: ModelIssue[] = [];

  fail(path: string, reason: string): void {
    this.issues.push(Object.freeze({ path: path === '' ? '$' : path, reason }));
  }

  object(value: unknown, path: string): Json | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${kindOf(value)}`);
      return undefined;
    }
    return value as Json;
  }

  noExtraKeys(obj: Json, allowed: readonly string[], path: string): void {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.fail(join(path, k), 'unknown field');
  }

  number(obj: Json, key: string, path: string, bounds: Bounds = {}, fallback?: number): number {
    const p = join(path, key);
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    return this.numberValue(v, p, bounds);
  }

  numberValue(v: unknown, p: string, bounds: Bounds = {}): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(p, v === undefined ? 'missing required number' : `expected a finite number, got ${kindOf(v)}`);
      return Number.NaN;
    }
    if (bounds.integer === true && !Number.isInteger(v)) this.fail(p, `expected an integer, got ${v}`);
    if (bounds.min !== undefined && v < bounds.min) this.fail(p, `must be >= ${bounds.min}, got ${v}`);
    if (bounds.max !== undefined && v > bounds.max) this.fail(p, `must be <= ${bounds.max}, got ${v}`);
    if (bounds.exclusiveMin !== undefined && !(v > bounds.exclusiveMin)) this.fail(p, `must be > ${bounds.exclusiveMin}, got ${v}`);
    if (bounds.exclusiveMax !== undefined && !(v < bounds.exclusiveMax)) this.fail(p, `must be < ${bounds.exclusiveMax}, got ${v}`);
    return v;
  }

  string(obj: Json, key: string, path: string, optional = false): string {
    const v = obj[key];
    if (v === undefined && optional) return '';
    if (typeof v !== 'string' || v === '') {
      this.fail(join(path, key), v === undefined ? 'missing required string' : `expected a non-empty string, got ${kindOf(v)}`);
      return '';
    }
    return v;
  }

  boolean(obj: Json, key: string, path: string, fallback?: boolean): boolean {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(join(path, key), v === undefined ? 'missing required boolean' : `expected a boolean, got ${kindOf(v)}`);
      return false;
    }
    return v;
  }

  oneOf<T extends string>(obj: Json, key: string, path: string, choices: readonly T[], fallback?: T): T {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      this.fail(join(path, key), `expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${v === undefined ? 'nothing' : kindOf(v)}`);
      return choices[0] as T;
    }
    return v as T;
  }

  /** `{ model, version, description }`; with `optional`, a header-less object (e.g. the venue's raw params) passes. */
  header(obj: Json, expected: string, optional = false): string {
    if (optional && obj['model'] === undefined && obj['version'] === undefined) return '';
    const model = this.string(obj, 'model', '');
    if (model !== '' && model !== expected) this.fail('model', `expected '${expected}', got '${model}'`);
    const version = this.string(obj, 'version', '');
    if (version !== '' && !/^\d+\.\d+\.\d+$/.test(version)) this.fail('version', `expected a semver x.y.z, got '${version}'`);
    if (obj['description'] !== undefined) this.string(obj, 'description', '');
    return version;
  }

  result<T>(value: () => T): Validated<T> {
    return this.issues.length === 0 ? { ok: true, value: value() } : { ok: false, errors: Object.freeze([...this.issues]) };
  }
}

/** Recursively freezes plain data. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
