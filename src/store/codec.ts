/**
 * Encodings between values and columns, shared by the repositories.
 *
 * Float64Array blobs: consecutive IEEE 754 binary64 values in little-endian byte order, 8 bytes each, no header,
 * no padding; the element count is bytes / 8 and matrix dimensions live in their own columns. The bytes are copied,
 * never converted through a JS number, so every bit pattern (NaN payloads, -0, subnormals, infinities)
 * round-trips exactly. On a big-endian host the bytes are swapped on the way in and out.
 */
import { endianness } from 'node:os';
import { StoreDataError } from './errors.ts';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

function swap8(bytes: Uint8Array): void {
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    for (let a = i, b = i + 7; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

/** The little-endian binary64 bytes of `values` (a fresh Buffer, `values.length * 8` bytes). */
export function encodeFloat64(values: Float64Array): Buffer {
  const out = Buffer.allocUnsafe(values.byteLength);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  if (!LITTLE_ENDIAN_HOST) swap8(out);
  return out;
}

/**
 * The Float64Array encoded in `bytes` (copied into a fresh, aligned buffer). Throws StoreDataError naming `field`
 * when the byte count is not a multiple of 8 or differs from `expectedLength * 8`.
 */
export function decodeFloat64(bytes: Uint8Array, field: string, expectedLength?: number): Float64Array {
  if (bytes.byteLength % 8 !== 0) throw new StoreDataError(field, bytes, 'blob length is not a multiple of 8 bytes');
  const n = bytes.byteLength / 8;
  if (expectedLength !== undefined && n !== expectedLength) {
    throw new StoreDataError(field, bytes, `blob holds ${n} values, expected ${expectedLength}`);
  }
  const out = new Float64Array(n);
  const view = new Uint8Array(out.buffer);
  view.set(bytes);
  if (!LITTLE_ENDIAN_HOST) swap8(view);
  return out;
}

/**
 * JSON text for a JSON-able value. Throws StoreDataError naming `field` (and the key) for NaN, ±Infinity,
 * undefined at the top level, bigint or functions, which JSON.stringify would silently turn into null or drop.
 */
export function encodeJson(value: unknown, field: string): string {
  if (value === undefined) throw new StoreDataError(field, value, 'undefined is not JSON');
  const text = JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new StoreDataError(key === '' ? field : `${field}.${key}`, v, 'non-finite numbers cannot be stored as JSON; use a Float64Array blob');
    }
    if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
      throw new StoreDataError(key === '' ? field : `${field}.${key}`, v, `${typeof v} is not JSON`);
    }
    return v;
  });
  return text;
}

/** The value of stored JSON text (null stays null). */
export function decodeJson<T = unknown>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** A millisecond timestamp read from an integer column (number, decimal string or bigint). */
export function toMillis(value: number | string | bigint): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new StoreDataError('timestamp', value, 'not a safe integer number of milliseconds');
  return n;
}

/** Like {@link toMillis}, with null kept. */
export function toMillisOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : toMillis(value);
}

/** Throws StoreDataError unless `value` is a finite number (SQLite would store NaN as NULL). */
export function requireFinite(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreDataError(field, value, 'must be a finite number');
  return value;
}

/** Throws StoreDataError unless `value` is a non-empty string. */
export function requireId(value: string, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new StoreDataError(field, value, 'must be a non-empty string');
  return value;
}

/** Throws StoreDataError unless `value` is a safe integer in [min, max]. */
export function requireInteger(value: number, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new StoreDataError(field, value, `must be an integer in [${min}, ${max}]`);
  }
  return value;
}

/** Splits `items` into chunks of at most `size` (bulk inserts stay under the bound-parameter limits). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
