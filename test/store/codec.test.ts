import { describe, expect, it } from 'vitest';
import { decodeFloat64, decodeJson, encodeFloat64, encodeJson, StoreDataError } from '../../src/store/index.ts';
import { SPECIAL_BITS, bitsOf, fromBits } from './helpers.ts';

describe('Float64Array blob encoding (little-endian binary64, 8 bytes per value, no header)', () => {
  it('writes the documented byte layout: 1.0 is 00 00 00 00 00 00 f0 3f, -0 is 00 .. 00 80', () => {
    const bytes = encodeFloat64(new Float64Array([1, -0, -2]));
    expect([...bytes]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0xc0]);
  });

  it('round-trips every bit pattern exactly: NaN payloads and signs, -0, subnormals, infinities', () => {
    const values = fromBits(SPECIAL_BITS);
    const decoded = decodeFloat64(encodeFloat64(values), 'x', SPECIAL_BITS.length);
    expect(bitsOf(decoded)).toEqual(SPECIAL_BITS);
    expect(Object.is(decoded[4], -0)).toBe(true);
    expect(decoded[6]).toBe(Number.MIN_VALUE);
  });

  it('encodes a subarray view (non-zero byteOffset) and decodes an unaligned buffer slice', () => {
    const base = fromBits(SPECIAL_BITS);
    const view = base.subarray(3, 9);
    const bytes = encodeFloat64(view);
    expect(bytes.byteLength).toBe(48);
    const padded = Buffer.alloc(bytes.length + 3);
    bytes.copy(padded, 3);
    const decoded = decodeFloat64(padded.subarray(3), 'x');
    expect(bitsOf(decoded)).toEqual(SPECIAL_BITS.slice(3, 9));
  });

  it('rejects a blob whose length is not a multiple of 8 or not the expected count, naming the field', () => {
    expect(() => decodeFloat64(new Uint8Array(7), 'pnl.data')).toThrow(StoreDataError);
    expect(() => decodeFloat64(new Uint8Array(7), 'pnl.data')).toThrow(/pnl\.data: blob length is not a multiple of 8/);
    expect(() => decodeFloat64(new Uint8Array(16), 'pnl.data', 3)).toThrow(/holds 2 values, expected 3/);
    expect(decodeFloat64(new Uint8Array(0), 'empty', 0)).toHaveLength(0);
  });
});

describe('JSON columns', () => {
  it('keeps key order and values, byte for byte', () => {
    const value = { z: 1, a: [0.1, 2e-308, -3.5], m: { y: 'é', b: null } };
    const text = encodeJson(value, 'v');
    expect(text).toBe('{"z":1,"a":[0.1,2e-308,-3.5],"m":{"y":"é","b":null}}');
    expect(decodeJson(text)).toEqual(value);
    expect(decodeJson(null)).toBeNull();
  });

  it('refuses values JSON would silently change: NaN, Infinity, bigint, undefined', () => {
    expect(() => encodeJson({ params: { a: Number.NaN } }, 'surface')).toThrow(/surface\.a: non-finite numbers/);
    expect(() => encodeJson([1, Number.POSITIVE_INFINITY], 'series')).toThrow(StoreDataError);
    expect(() => encodeJson({ n: 1n }, 'x')).toThrow(/bigint is not JSON/);
    expect(() => encodeJson(undefined, 'x')).toThrow(/undefined is not JSON/);
  });
});
