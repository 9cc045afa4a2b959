/**
 * SharedArrayBuffer-backed copies of the inputs that worker threads read (pure): structured cloning shares such
 * arrays instead of copying them, so a book of a million accounts is posted to every thread at no cost.
 */
import type { CsrMatrix } from '../portfolio/csr.ts';

/** True when `a` is a view of a SharedArrayBuffer. */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** A shared Float64Array of n zeros. */
export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8)).subarray(0, n);
}

/** A shared Int32Array of n zeros. */
export function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4)).subarray(0, n);
}

/** A shared Uint8Array of n zeros. */
export function sharedUint8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, n))).subarray(0, n);
}

/** `a` itself when already shared, else a shared copy. */
export function toSharedFloat64(a: Float64Array): Float64Array {
  if (isShared(a)) return a;
  const s = sharedFloat64(a.length);
  s.set(a);
  return s;
}

/** `a` itself when already shared, else a shared copy. */
export function toSharedInt32(a: Int32Array): Int32Array {
  if (isShared(a)) return a;
  const s = sharedInt32(a.length);
  s.set(a);
  return s;
}

/** The CSR with its arrays shared (copies only the arrays that are not). */
export function toSharedCsr(m: CsrMatrix): CsrMatrix {
  if (isShared(m.rowPtr) && isShared(m.colIndex) && isShared(m.values)) return m;
  return Object.freeze({ rows: m.rows, cols: m.cols, rowPtr: toSharedInt32(m.rowPtr), colIndex: toSharedInt32(m.colIndex), values: toSharedFloat64(m.values) });
}
