/**
 * A tiny issue collector for the pure model validators: each accessor checks one field, records
 * `{ path, reason }` on failure and returns a value the validator can keep going with, so one pass reports every
 * problem. Paths are dotted with bracketed indices: `currency_pairs.btc_usd.price_range`, `stresses[2].id`.
 */
import type { ModelIssue, Validated } from '../errors.ts';

type Json = Record<string, unknown>;

/** Numeric bounds of a field. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: number;
  readonly exclusiveMax?: number;
  readonly integer?: boolean;
}

/**
 * How a checker words its reasons. `'scenario'` (default): a rejected boolean is named by type ('boolean'), a
 * rejected `oneOf` value is shown as JSON, `numberValue(undefined)` reads 'expected a finite number, got
 * undefined', and `header` requires `description`. `'margin'` (the margin and haircut validators): a boolean is
 * named by value ('true'), a rejected `oneOf` value is described like any other kind ('an object'),
 * `numberValue(undefined)` reads 'missing required number', and `description` is optional.
 */
export type CheckerWording = 'scenario' | 'margin';

/** Collects issues while reading a parsed JSON value. */
export class Checker {
  readonly issues: ModelIssue[] = [];
  /** How reasons are worded (see `CheckerWording`). */
  readonly wording: CheckerWording;

  /** @param wording how reasons are worded (see `CheckerWording`); default `'scenario'`. */
  constructor(wording: CheckerWording = 'scenario') {
    this.wording = wording;
  }

  /** Short description of a rejected value's kind, in this checker's wording. */
  private kind(v: unknown): string {
    return this.wording === 'margin' && typeof v === 'boolean' ? String(v) : kindOf(v);
  }

  /** Records an issue. */
  fail(path: string, reason: string): void {
    this.issues.push(Object.freeze({ path: path === '' ? '$' : path, reason }));
  }

  /** The value as a plain object, or undefined (issue recorded). */
  object(value: unknown, path: string): Json | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${this.kind(value)}`);
      return undefined;
    }
    return value as Json;
  }

  /** Records every key of `obj` not in `allowed`. */
  noExtraKeys(obj: Json, allowed: readonly string[], path: string): void {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.fail(join(path, k), 'unknown field');
  }

  /** A required finite number within bounds; with `fallback`, an absent key gives `fallback` (no issue). */
  number(obj: Json, key: string, path: string, bounds: NumberBounds = {}, fallback?: number): number {
    const p = join(path, key);
    const v = obj[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(p, 'missing required number');
      return Number.NaN;
    }
    return this.numberValue(v, p, bounds);
  }

  /** Checks a number value (not read from a key). */
  numberValue(v: unknown, p: string, bounds: NumberBounds = {}): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(p, v === undefined && this.wording === 'margin' ? 'missing required number' : `expected a finite number, got ${this.kind(v)}`);
      return Number.NaN;
    }
    if (bounds.integer === true && !Number.isInteger(v)) this.fail(p, `expected an integer, got ${v}`);
    if (bounds.min !== undefined && v < bounds.min) this.fail(p, `must be >= ${bounds.min}, got ${v}`);
    if (bounds.max !== undefined && v > bounds.max) this.fail(p, `must be <= ${bounds.max}, got ${v}`);
    if (bounds.exclusiveMin !== undefined && !(v > bounds.exclusiveMin)) this.fail(p, `must be > ${bounds.exclusiveMin}, got ${v}`);
    if (bounds.exclusiveMax !== undefined && !(v < bounds.exclusiveMax)) this.fail(p, `must be < ${bounds.exclusiveMax}, got ${v}`);
    return v;
  }

  /** A required (or optional) non-empty string. */
  string(obj: Json, key: string, path: string, optional = false): string {
    const p = join(path, key);
    const v = obj[key];
    if (v === undefined) {
      if (!optional) this.fail(p, 'missing required string');
      return '';
    }
    if (typeof v !== 'string' || v === '') {
      this.fail(p, `expected a non-empty string, got ${this.kind(v)}`);
      return '';
    }
    return v;
  }

  /** A required boolean; with `fallback`, an absent key gives `fallback` (no issue). */
  boolean(obj: Json, key: string, path: string, fallback?: boolean): boolean {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(join(path, key), v === undefined ? 'missing required boolean' : `expected a boolean, got ${this.kind(v)}`);
      return false;
    }
    return v;
  }

  /** A required string among `choices`; with `fallback`, an absent key gives `fallback` (no issue). */
  oneOf<T extends string>(obj: Json, key: string, path: string, choices: readonly T[], fallback?: T): T {
    const p = join(path, key);
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      const got = v === undefined ? 'nothing' : this.wording === 'margin' ? this.kind(v) : JSON.stringify(v);
      this.fail(p, `expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${got}`);
      return choices[0] as T;
    }
    return v as T;
  }

  /** A required array (optionally non-empty), or [] (issue recorded). */
  array(obj: Json, key: string, path: string, nonEmpty = true): unknown[] {
    const p = join(path, key);
    const v = obj[key];
    if (!Array.isArray(v)) {
      this.fail(p, v === undefined ? 'missing required array' : `expected an array, got ${this.kind(v)}`);
      return [];
    }
    if (nonEmpty && v.length === 0) this.fail(p, 'must not be empty');
    return v;
  }

  /**
   * The common header `{ model, version, description }`; `model` must equal `expected`. Returns the version. With
   * `optional`, a header-less object (no `model`, no `version`, e.g. a venue's raw params) passes and gives ''.
   */
  header(obj: Json, expected: string, optional = false): string {
    if (optional && obj['model'] === undefined && obj['version'] === undefined) return '';
    const model = this.string(obj, 'model', '');
    if (model !== '' && model !== expected) this.fail('model', `expected '${expected}', got '${model}'`);
    const version = this.string(obj, 'version', '');
    if (version !== '' && !/^\d+\.\d+\.\d+$/.test(version)) this.fail('version', `expected a semver x.y.z, got '${version}'`);
    if (this.wording === 'scenario' || obj['description'] !== undefined) this.string(obj, 'description', '');
    return version;
  }

  /** The result: the value when no issue was recorded. */
  result<T>(value: () => T): Validated<T> {
    return this.issues.length === 0 ? { ok: true, value: value() } : { ok: false, errors: Object.freeze([...this.issues]) };
  }
}

/** `path.key` (or `key` at the root). */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Short description of a JSON value's kind, for reasons. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? `${v}` : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Recursively freezes plain data (typed arrays, which cannot be frozen, are left as they are). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
