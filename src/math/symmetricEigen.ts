/**
 * Dense symmetric eigensolver over flat row-major Float64Array storage.
 *
 * Method: Householder reduction to tridiagonal form with the orthogonal transformation accumulated
 * (EISPACK tred2), followed by the implicit QL algorithm with Wilkinson-type shifts (EISPACK tql2),
 * as in the public-domain JAMA port, re-laid out so that every inner loop is contiguous: the reduction
 * works on the transpose of JAMA's matrix; the QL iteration runs on the tridiagonal alone, logging its
 * Givens rotations (their parameters never depend on the eigenvectors), and the log is then applied to
 * the accumulated transformation four rows at a time (cf. LAPACK's dlasr), in chunks of bounded memory.
 * Eigenvalues-only mode skips the accumulation (O(n^3) reduction plus O(n^2) QL).
 * Measured on the project VM (scripts/bench/correlation.ts): about 4 ms at n = 100 and 0.3-0.4 s CPU at
 * n = 500 with vectors, ~3x faster than ml-matrix's JAMA port and ~10-16x slower than LAPACK (dsyevd).
 *
 * Conventions:
 *  - input `a` is n x n row-major; only its lower triangle (row >= column, diagonal included) is read;
 *    it is not modified.
 *  - `values` are returned in ascending order.
 *  - `vectors` (when computed) is V, n x n row-major, with COLUMN k the unit eigenvector of `values[k]`
 *    (the numpy `eigh` / JAMA convention): A = V diag(values) V^T, i.e. vectors[i*n + k] = v_k[i].
 *  - a non-finite entry in the lower triangle gives all-NaN values (and vectors): a numeric kernel
 *    returns NaN on NaN input; it never loops forever.
 */

/** Error raised when the QL iteration fails to converge (not expected for finite symmetric input). */
export class SymmetricEigenError extends Error {
  override readonly name = 'SymmetricEigenError';
  constructor(message: string) {
    super(message);
  }
}

/** Options for {@link symmetricEigen}; the buffers let a caller in a loop avoid allocation. */
export interface SymmetricEigenOptions {
  /** Compute eigenvectors (default true). */
  readonly computeVectors?: boolean;
  /** Output buffer for the eigenvalues, length >= n. */
  readonly values?: Float64Array;
  /** Output buffer for the eigenvectors, length >= n*n (also used as the working matrix). */
  readonly vectors?: Float64Array;
  /** Scratch buffer, length >= n (the off-diagonal of the tridiagonal form). */
  readonly work?: Float64Array;
  /** Maximum QL iterations per eigenvalue before {@link SymmetricEigenError} (default 60). */
  readonly maxIterationsPerValue?: number;
  /**
   * Memory bound of the rotation log: at most this many Givens rotations (16 bytes each) are held
   * before being applied to the eigenvectors (default 2^18, i.e. 4 MiB; raised to n if smaller).
   * Results do not depend on it.
   */
  readonly maxLoggedRotations?: number;
}

/** Eigen-decomposition of a symmetric matrix: ascending eigenvalues and column eigenvectors. */
export interface SymmetricEigenResult {
  readonly n: number;
  /** Ascending eigenvalues (length n; a view of the caller's buffer when one was given). */
  readonly values: Float64Array;
  /** V row-major: column k = unit eigenvector of values[k]; undefined when computeVectors is false. */
  readonly vectors: Float64Array | undefined;
}

const EPS = 2 ** -52;

/** sqrt(a^2 + b^2) without Math.hypot's overhead, safe from overflow/underflow. */
function hypot(a: number, b: number): number {
  const x = a < 0 ? -a : a;
  const y = b < 0 ? -b : b;
  const m = x > y ? x : y;
  if (m === 0) return 0;
  if (m < 1e150 && m > 1e-150) return Math.sqrt(x * x + y * y);
  const u = x / m;
  const v = y / m;
  return m * Math.sqrt(u * u + v * v);
}

/**
 * Eigenvalues (ascending) and optionally eigenvectors (columns of V) of the symmetric n x n matrix `a`
 * (row-major, lower triangle read). See the module comment for layout and conventions.
 */
export function symmetricEigen(
  a: ArrayLike<number>,
  n: number,
  options: SymmetricEigenOptions = {},
): SymmetricEigenResult {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`symmetricEigen: n must be a non-negative integer, got ${n}`);
  if (a.length < n * n) throw new RangeError(`symmetricEigen: a has length ${a.length} < n*n = ${n * n}`);
  const wantVectors = options.computeVectors ?? true;
  const d = options.values ?? new Float64Array(n);
  const w = options.vectors ?? new Float64Array(n * n);
  const work = options.work ?? new Float64Array(n);
  if (d.length < n || w.length < n * n || work.length < n) throw new RangeError('symmetricEigen: buffer too short');
  const e = work.subarray(0, n);
  const maxIter = options.maxIterationsPerValue ?? 60;

  // Working matrix W = V^T where V is JAMA's working matrix: copy the lower triangle of A into
  // the upper triangle of W (W[j*n+k] = A[k*n+j], k >= j).
  let finite = true;
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let j = 0; j <= k; j++) {
      const v = a[rowK + j] as number;
      if (!Number.isFinite(v)) finite = false;
      w[j * n + k] = v;
    }
  }
  const values = d.length === n ? d : d.subarray(0, n);
  if (!finite) {
    values.fill(Number.NaN);
    if (wantVectors) w.fill(Number.NaN, 0, n * n);
    return Object.freeze({ n, values, vectors: wantVectors ? w : undefined });
  }
  if (n === 0) return Object.freeze({ n, values, vectors: wantVectors ? w : undefined });

  tridiagonalize(w, d, e, n, wantVectors);
  if (wantVectors) transposeInPlace(w, n); // W = V^T  ->  V
  diagonalizeTridiagonal(w, d, e, n, wantVectors, maxIter, options.maxLoggedRotations ?? MAX_LOGGED_ROTATIONS);
  sortAscending(w, d, n, wantVectors);
  return Object.freeze({ n, values, vectors: wantVectors ? (w.length === n * n ? w : w.subarray(0, n * n)) : undefined });
}

/**
 * Householder tridiagonalisation (tred2). On exit d = diagonal, e[1..n-1] = sub-diagonal, and (if
 * wantVectors) W holds Q^T with rows = columns of the accumulated orthogonal Q.
 * JAMA's V[r][c] is W[c*n + r] here.
 */
function tridiagonalize(W: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean): void {
  const last = n - 1;
  for (let j = 0; j < n; j++) d[j] = W[j * n + last] as number;

  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1] as number;
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        const dk = (d[k] as number) / scale;
        d[k] = dk;
        h += dk * dk;
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;

      // e = A_i * u (symmetric matrix-vector product using the stored triangle).
      const rowI = i * n;
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        W[rowI + j] = f; // V[j][i] = f
        const rowJ = j * n;
        g = (e[j] as number) + (W[rowJ + j] as number) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const v = W[rowJ + k] as number; // V[k][j]
          g += v * (d[k] as number);
          e[k] = (e[k] as number) + v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const ej = (e[j] as number) / h;
        e[j] = ej;
        f += ej * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      // Rank-2 update of the remaining triangle.
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        const rowJ = j * n;
        for (let k = j; k <= i - 1; k++) {
          W[rowJ + k] = (W[rowJ + k] as number) - (f * (e[k] as number) + g * (d[k] as number));
        }
        d[j] = W[rowJ + i - 1] as number;
        W[rowJ + i] = 0; // V[i][j] = 0
      }
    }
    d[i] = h;
  }

  if (wantVectors) {
    // Accumulate transformations.
    for (let i = 0; i < n - 1; i++) {
      const rowI = i * n;
      const rowI1 = rowI + n;
      W[rowI + last] = W[rowI + i] as number; // V[n-1][i] = V[i][i]
      W[rowI + i] = 1;
      const h = d[i + 1] as number;
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = (W[rowI1 + k] as number) / h;
        for (let j = 0; j <= i; j++) {
          const rowJ = j * n;
          let g = 0;
          for (let k = 0; k <= i; k++) g += (W[rowI1 + k] as number) * (W[rowJ + k] as number);
          for (let k = 0; k <= i; k++) W[rowJ + k] = (W[rowJ + k] as number) - g * (d[k] as number);
        }
      }
      for (let k = 0; k <= i; k++) W[rowI1 + k] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = W[j * n + last] as number;
      W[j * n + last] = 0;
    }
    W[last * n + last] = 1;
  } else {
    // Without accumulation the tridiagonal's diagonal is left on W's diagonal (JAMA's V[i][i]).
    for (let j = 0; j < n; j++) d[j] = W[j * n + j] as number;
  }
  e[0] = 0;
}

/** Square transpose in place. */
function transposeInPlace(W: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const t = W[i * n + j] as number;
      W[i * n + j] = W[j * n + i] as number;
      W[j * n + i] = t;
    }
  }
}

/**
 * The Givens rotations of all QL sweeps, recorded while iterating on the tridiagonal (their
 * parameters depend only on d and e, never on V) and applied to V afterwards.
 */
interface RotationLog {
  /** (cos, sin) pairs, sweep after sweep, each sweep from i = m-1 down to l. */
  pairs: Float64Array;
  /** (l, m) per sweep. */
  sweeps: Int32Array;
  pairCount: number;
  sweepCount: number;
}

/** At most this many rotations (16 bytes each) are held before they are applied to V. */
const MAX_LOGGED_ROTATIONS = 1 << 18;

function createRotationLog(n: number, maxLogged: number): RotationLog {
  const capacity = Math.min(maxLogged, Math.max(8, n * n + n));
  return { pairs: new Float64Array(2 * Math.max(capacity, n)), sweeps: new Int32Array(Math.max(8, 8 * n)), pairCount: 0, sweepCount: 0 };
}

/** Register sweep (l, m); when the log is full, apply what it holds to V and empty it first. */
function beginSweep(log: RotationLog, l: number, m: number, V: Float64Array, n: number): void {
  if (2 * (log.pairCount + (m - l)) > log.pairs.length) {
    applyRotationLog(V, n, log);
    log.pairCount = 0;
    log.sweepCount = 0;
  }
  if (2 * log.sweepCount + 2 > log.sweeps.length) {
    const grown = new Int32Array(2 * log.sweeps.length);
    grown.set(log.sweeps);
    log.sweeps = grown;
  }
  log.sweeps[2 * log.sweepCount] = l;
  log.sweeps[2 * log.sweepCount + 1] = m;
  log.sweepCount++;
}

/**
 * Apply every logged sweep to V (each rotation of sweep (l, m) mixes columns i and i+1, i = m-1..l),
 * four rows at a time: the four row segments stay in L1 cache across all sweeps, the rotation stream is
 * read once per block, and the four running values (column i+1 of each row) are independent chains.
 */
function applyRotationLog(V: Float64Array, n: number, log: RotationLog): void {
  const { pairs, sweeps, sweepCount } = log;
  let row0 = 0;
  for (; row0 + 3 < n; row0 += 4) {
    const r0 = row0 * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let p = 0;
    for (let k = 0; k < sweepCount; k++) {
      const l = sweeps[2 * k] as number;
      const m = sweeps[2 * k + 1] as number;
      let c0 = V[r0 + m] as number;
      let c1 = V[r1 + m] as number;
      let c2 = V[r2 + m] as number;
      let c3 = V[r3 + m] as number;
      for (let i = m - 1; i >= l; i--) {
        const c = pairs[p] as number;
        const s = pairs[p + 1] as number;
        p += 2;
        const v0 = V[r0 + i] as number;
        const v1 = V[r1 + i] as number;
        const v2 = V[r2 + i] as number;
        const v3 = V[r3 + i] as number;
        V[r0 + i + 1] = s * v0 + c * c0;
        c0 = c * v0 - s * c0;
        V[r1 + i + 1] = s * v1 + c * c1;
        c1 = c * v1 - s * c1;
        V[r2 + i + 1] = s * v2 + c * c2;
        c2 = c * v2 - s * c2;
        V[r3 + i + 1] = s * v3 + c * c3;
        c3 = c * v3 - s * c3;
      }
      V[r0 + l] = c0;
      V[r1 + l] = c1;
      V[r2 + l] = c2;
      V[r3 + l] = c3;
    }
  }
  for (; row0 < n; row0++) {
    const r0 = row0 * n;
    let p = 0;
    for (let k = 0; k < sweepCount; k++) {
      const l = sweeps[2 * k] as number;
      const m = sweeps[2 * k + 1] as number;
      let c0 = V[r0 + m] as number;
      for (let i = m - 1; i >= l; i--) {
        const c = pairs[p] as number;
        const s = pairs[p + 1] as number;
        p += 2;
        const v0 = V[r0 + i] as number;
        V[r0 + i + 1] = s * v0 + c * c0;
        c0 = c * v0 - s * c0;
      }
      V[r0 + l] = c0;
    }
  }
}

/** Implicit QL with shifts on the tridiagonal (d, e); rotations applied to the columns of V. */
function diagonalizeTridiagonal(
  W: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  wantVectors: boolean,
  maxIter: number,
  maxLogged: number,
): void {
  const log = wantVectors ? createRotationLog(n, maxLogged) : undefined;
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    const t = Math.abs(d[l] as number) + Math.abs(e[l] as number);
    if (t > tst1) tst1 = t;
    let m = l;
    while (m < n) {
      if (Math.abs(e[m] as number) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > maxIter) throw new SymmetricEigenError(`QL iteration did not converge for eigenvalue ${l} of ${n}`);
        let g = d[l] as number;
        const el = e[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * el);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = el / (p + r);
        d[l + 1] = el * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;

        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        let p2 = 0;
        if (log !== undefined) {
          beginSweep(log, l, m, W, n);
          p2 = 2 * log.pairCount;
          log.pairCount += m - l;
        }
        const pairs = log?.pairs;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] as number;
          const di = d[i] as number;
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          if (pairs !== undefined) {
            pairs[p2] = c;
            pairs[p2 + 1] = s;
            p2 += 2;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > EPS * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
  if (log !== undefined) applyRotationLog(W, n, log);
}

/** Selection sort of the eigenvalues ascending, swapping eigenvector columns alongside. */
function sortAscending(W: Float64Array, d: Float64Array, n: number, wantVectors: boolean): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i] as number;
    for (let j = i + 1; j < n; j++) {
      if ((d[j] as number) < p) {
        k = j;
        p = d[j] as number;
      }
    }
    if (k !== i) {
      d[k] = d[i] as number;
      d[i] = p;
      if (wantVectors) {
        for (let row = 0; row < n * n; row += n) {
          const t = W[row + i] as number;
          W[row + i] = W[row + k] as number;
          W[row + k] = t;
        }
      }
    }
  }
}
