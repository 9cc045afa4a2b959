/**
 * Inverse of a small symmetric positive-definite matrix by Cholesky factorisation (A = L L^T), then
 * inv(A) = inv(L)^T inv(L) (Golub & Van Loan 2013, Matrix Computations, 4th ed., 4.2).
 */

/**
 * A^{-1} for the symmetric positive-definite n x n row-major `a` (only the lower triangle is read), as a
 * new symmetric row-major array; undefined when A is not numerically positive definite (a pivot that is
 * not positive and finite). Allocates three n x n arrays.
 */
export function invertSymmetricPositive(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  // inv(L) then inv(A) = inv(L)^T inv(L)
  const li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    li[i * n + i] = 1 / l[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * li[k * n + j]!;
      li[i * n + j] = s / l[i * n + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i]! * li[k * n + j]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
