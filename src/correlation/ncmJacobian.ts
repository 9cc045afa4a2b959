/**
 * The generalized Jacobian of the Qi–Sun dual gradient F(y) = diag((G + diag y)_+) - b at y, with
 * G + diag y = P diag(lambda) P^T (Qi & Sun 2006, SIAM J. Matrix Anal. Appl. 28(2):360-385, eq. (43);
 * methods.md 4.3):
 *
 *   V h = diag( P (Omega o (P^T diag(h) P)) P^T ),
 *   Omega_jk = 1 (lambda_j, lambda_k > 0),  lambda_j / (lambda_j - lambda_k) (lambda_j > 0 >= lambda_k),
 *              0 (both <= 0),
 *
 * plus a 1e-10 h regularisation (as in Qi & Sun's CorNewton3.m). Like CorNewton3, the product uses
 * whichever eigen-block is smaller: with alpha = {lambda > 0} (r of them) and beta the rest (s),
 * if r <= s:  V h = diag(P_a M_aa P_a^T) + 2 diag(P_a (Omega_ab o M_ab) P_b^T),
 * else, since diag(P (P^T D P) P^T) = h:  V h = h - diag(P_b M_bb P_b^T) - 2 diag(P_b ((1 - Omega_ab^T) o M_ba) P_a^T),
 * where M = P^T diag(h) P. Cost about n (1.5 k^2 + 2 k (n - k)) multiply-adds per product, k = min(r, s).
 * The diagonal of V (for the Borsdorf–Higham 2010 diagonal preconditioner) is
 * c_i = sum_jk P_ij^2 Omega_jk P_ik^2, evaluated with the same block structure.
 */
import { multiplyTransposed } from '../math/index.ts';

const REGULARISATION = 1e-10;

/** Prepared Jacobian at one eigen-decomposition; reusable buffers sized for n. */
export interface NcmJacobian {
  readonly n: number;
  /** Eigenvectors as columns, row-major (the decomposition's `vectors`; not copied). */
  v: Float64Array;
  /** V^T. */
  readonly vt: Float64Array;
  /** Primary block [p0, p0 + kp) of eigen-indices, secondary [q0, q0 + kq). */
  p0: number;
  kp: number;
  q0: number;
  kq: number;
  /** True when the primary block is the positive eigenvalues (direct form), false for the complement. */
  positivePrimary: boolean;
  /** kp x kq cross coefficients (Omega_ab, or 1 - Omega_ab^T). */
  readonly cross: Float64Array;
  readonly scaled: Float64Array;
  readonly mpp: Float64Array;
  readonly mpq: Float64Array;
  readonly g: Float64Array;
}

/** Allocate a Jacobian workspace for size n. */
export function createNcmJacobian(n: number): NcmJacobian {
  return {
    n,
    v: new Float64Array(0),
    vt: new Float64Array(n * n),
    p0: 0,
    kp: 0,
    q0: 0,
    kq: 0,
    positivePrimary: true,
    cross: new Float64Array(n * n),
    scaled: new Float64Array(n * n),
    mpp: new Float64Array(n * n),
    mpq: new Float64Array(n * n),
    g: new Float64Array(n * n),
  };
}

/** Set the Jacobian up at the decomposition (ascending `values`, column eigenvectors `vectors`). */
export function prepareNcmJacobian(jac: NcmJacobian, values: Float64Array, vectors: Float64Array): void {
  const n = jac.n;
  let s = 0;
  while (s < n && values[s]! <= 0) s++;
  const r = n - s;
  jac.v = vectors;
  const vt = jac.vt;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = vectors[i * n + j]!;
  const cross = jac.cross;
  if (r <= s) {
    jac.positivePrimary = true;
    jac.p0 = s;
    jac.kp = r;
    jac.q0 = 0;
    jac.kq = s;
    for (let j = 0; j < r; j++) {
      const lj = values[s + j]!;
      for (let k = 0; k < s; k++) cross[j * s + k] = lj / (lj - values[k]!);
    }
  } else {
    jac.positivePrimary = false;
    jac.p0 = 0;
    jac.kp = s;
    jac.q0 = s;
    jac.kq = r;
    for (let j = 0; j < s; j++) {
      const lj = values[j]!;
      for (let k = 0; k < r; k++) {
        const lk = values[s + k]!;
        cross[j * r + k] = 1 - lk / (lk - lj);
      }
    }
  }
}

/** out = V h + 1e-10 h (the regularised generalized Jacobian times h). */
export function applyNcmJacobian(jac: NcmJacobian, h: Float64Array, out: Float64Array): void {
  const { n, v, vt, p0, kp, q0, kq, cross, scaled, mpp, mpq, g } = jac;
  if (kp === 0) {
    // positivePrimary with r = 0: V = 0; complement with s = 0: V = I.
    const base = jac.positivePrimary ? 0 : 1;
    for (let i = 0; i < n; i++) out[i] = (base + REGULARISATION) * h[i]!;
    return;
  }
  for (let j = 0; j < kp; j++) {
    const src = (p0 + j) * n;
    const dst = j * n;
    for (let i = 0; i < n; i++) scaled[dst + i] = vt[src + i]! * h[i]!;
  }
  const sc = { data: scaled, offset: 0, stride: n };
  multiplyTransposed(kp, kp, n, 1, sc, { data: vt, offset: p0 * n, stride: n }, { data: mpp, offset: 0, stride: kp }, false, true);
  if (kq > 0) {
    multiplyTransposed(kp, kq, n, 1, sc, { data: vt, offset: q0 * n, stride: n }, { data: mpq, offset: 0, stride: kq });
    for (let k = 0; k < kp * kq; k++) mpq[k] = mpq[k]! * cross[k]!;
  }
  const gm = { data: g, offset: 0, stride: kp };
  multiplyTransposed(n, kp, kp, 1, { data: v, offset: p0, stride: n }, { data: mpp, offset: 0, stride: kp }, gm);
  if (kq > 0) multiplyTransposed(n, kp, kq, 2, { data: v, offset: q0, stride: n }, { data: mpq, offset: 0, stride: kq }, gm, true);
  for (let i = 0; i < n; i++) {
    let core = 0;
    const vi = i * n + p0;
    const gi = i * kp;
    for (let j = 0; j < kp; j++) core += v[vi + j]! * g[gi + j]!;
    const hi = h[i]!;
    out[i] = (jac.positivePrimary ? core : hi - core) + REGULARISATION * hi;
  }
}

/** out = diag(V) + 1e-10, floored at 1e-8: the diagonal preconditioner. */
export function ncmJacobianDiagonal(jac: NcmJacobian, out: Float64Array): void {
  const { n, v, p0, kp, q0, kq, cross, scaled, mpq, g } = jac;
  if (kp === 0) {
    out.fill((jac.positivePrimary ? 0 : 1) + REGULARISATION, 0, n);
    for (let i = 0; i < n; i++) out[i] = Math.max(out[i]!, 1e-8);
    return;
  }
  // U = squared eigenvector entries of the primary (n x kp, in g) and secondary (n x kq, in scaled) blocks.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < kp; j++) {
      const x = v[i * n + p0 + j]!;
      g[i * kp + j] = x * x;
    }
    for (let k = 0; k < kq; k++) {
      const x = v[i * n + q0 + k]!;
      scaled[i * kq + k] = x * x;
    }
  }
  // cross^T (kq x kp) into mpq; T = U_p cross (n x kq) into mpp (both buffers hold n*n).
  for (let j = 0; j < kp; j++) for (let k = 0; k < kq; k++) mpq[k * kp + j] = cross[j * kq + k]!;
  const t = jac.mpp;
  if (kq > 0) {
    multiplyTransposed(n, kq, kp, 1, { data: g, offset: 0, stride: kp }, { data: mpq, offset: 0, stride: kp }, { data: t, offset: 0, stride: kq });
  }
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < kp; j++) rowSum += g[i * kp + j]!;
    let crossSum = 0;
    for (let k = 0; k < kq; k++) crossSum += t[i * kq + k]! * scaled[i * kq + k]!;
    const core = rowSum * rowSum + 2 * crossSum;
    const c = (jac.positivePrimary ? core : 1 - core) + REGULARISATION;
    out[i] = c > 1e-8 ? c : 1e-8;
  }
}
