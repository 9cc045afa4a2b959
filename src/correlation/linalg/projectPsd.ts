/**
 * Projection onto the positive semidefinite cone in the Frobenius norm: P_S(A) = V diag(max(lambda, 0)) V^T
 * for symmetric A = V diag(lambda) V^T (Higham 1988). Computed from whichever eigen-block is smaller:
 * B B^T with B = V_+ sqrt(lambda_+), or A + C C^T with C = V_- sqrt(-lambda_-).
 */
import { multiplyTransposed, symmetricEigen } from '../../math/index.ts';

/** Reusable buffers for {@link projectPsd} at size n (and for any eigen-decomposition at that size). */
export interface EigenWorkspace {
  readonly n: number;
  readonly values: Float64Array;
  readonly vectors: Float64Array;
  readonly work: Float64Array;
  readonly scratch: Float64Array;
}

/** Allocate an {@link EigenWorkspace} for n x n matrices. */
export function createEigenWorkspace(n: number): EigenWorkspace {
  return {
    n,
    values: new Float64Array(n),
    vectors: new Float64Array(n * n),
    work: new Float64Array(n),
    scratch: new Float64Array(n * n),
  };
}

/**
 * out = P_S(a) for the symmetric n x n row-major `a` (lower triangle defines it; `out` may not alias
 * `a`). Returns the number of negative eigenvalues clipped and the smallest eigenvalue of `a`.
 */
export function projectPsd(a: Float64Array, n: number, out: Float64Array, ws: EigenWorkspace): { negatives: number; minEigenvalue: number } {
  const eig = symmetricEigen(a, n, { values: ws.values, vectors: ws.vectors, work: ws.work });
  const values = eig.values;
  const v = ws.vectors;
  let s = 0;
  while (s < n && values[s]! < 0) s++;
  const minEigenvalue = n > 0 ? values[0]! : Number.NaN;
  if (Number.isNaN(minEigenvalue)) {
    out.fill(Number.NaN, 0, n * n);
    return { negatives: 0, minEigenvalue };
  }
  const b = ws.scratch;
  if (s <= n - s) {
    // out = sym(a) + C C^T, C = V[:, 0:s] sqrt(-lambda)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const x = a[i * n + j]!;
        out[i * n + j] = x;
        out[j * n + i] = x;
      }
    }
    if (s === 0) return { negatives: 0, minEigenvalue };
    for (let k = 0; k < s; k++) {
      const f = Math.sqrt(-values[k]!);
      for (let i = 0; i < n; i++) b[i * s + k] = v[i * n + k]! * f;
    }
    multiplyTransposed(n, n, s, 1, { data: b, offset: 0, stride: s }, { data: b, offset: 0, stride: s }, { data: out, offset: 0, stride: n }, true, true);
  } else {
    const r = n - s;
    for (let k = 0; k < r; k++) {
      const f = Math.sqrt(values[s + k]!);
      for (let i = 0; i < n; i++) b[i * r + k] = v[i * n + s + k]! * f;
    }
    multiplyTransposed(n, n, r, 1, { data: b, offset: 0, stride: r }, { data: b, offset: 0, stride: r }, { data: out, offset: 0, stride: n }, false, true);
  }
  return { negatives: s, minEigenvalue };
}

/**
 * out = sum_{values[k] > 0} values[k] v_k v_k^T from an eigen-decomposition (ascending `values`,
 * column eigenvectors `vectors`, n x n row-major); `scratch` needs n*n entries.
 */
export function positivePartFromEigen(values: Float64Array, vectors: Float64Array, n: number, out: Float64Array, scratch: Float64Array): void {
  let s = 0;
  while (s < n && values[s]! <= 0) s++;
  const r = n - s;
  if (r === 0) {
    out.fill(0, 0, n * n);
    return;
  }
  for (let k = 0; k < r; k++) {
    const f = Math.sqrt(values[s + k]!);
    for (let i = 0; i < n; i++) scratch[i * r + k] = vectors[i * n + s + k]! * f;
  }
  const b = { data: scratch, offset: 0, stride: r };
  multiplyTransposed(n, n, r, 1, b, b, { data: out, offset: 0, stride: n }, false, true);
}
