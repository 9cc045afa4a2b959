/**
 * Inner problem of the Zeliade quasi-explicit SVI calibration (De Marco & Martini 2009; reference/methods.md §3.4).
 *
 * For fixed (m, sigma), with y = (k - m)/sigma and z = sqrt(y^2 + 1), the raw SVI total variance is linear in
 * (a, d, c): w = a + d y + c z, where c = b sigma and d = rho b sigma. The weighted least-squares problem
 * min sum_i v_i (a + d y_i + c z_i - w_i)^2 is solved exactly on the compact domain
 *   D = { aMin <= a <= aMax, |d| <= c, |d| <= S sigma - c }
 * (S = slope bound on b(1 + |rho|); S = 4 and aMin = 0, aMax = max_i w_i is Zeliade's domain): first the
 * unconstrained 3 x 3 normal equations; if their solution is outside D, every face, edge and corner of D
 * (all active sets of up to three of its six linear constraints) is solved as an equality-constrained
 * quadratic program (KKT system) and the best feasible point is kept. The objective is convex, so this
 * enumeration returns the constrained optimum.
 *
 * Implementation note: the small linear-algebra scratch buffers are module-level Float64Arrays reused by every
 * call (no allocation in the Nelder–Mead hot loop); nothing is retained between calls.
 */

/** Solution of the inner problem. */
export interface QuasiExplicitInnerSolution {
  a: number;
  d: number;
  c: number;
  /** Weighted sum of squared residuals sum v_i (model - w_i)^2 at (a, d, c). */
  sse: number;
  /** Number of active constraints at the solution (0 = interior). */
  activeConstraints: number;
}

/** Data of one slice for the inner problem (weights already normalised). */
export interface QuasiExplicitData {
  readonly n: number;
  readonly k: Float64Array;
  readonly w: Float64Array;
  readonly weights: Float64Array;
}

/** Bounds of the domain D. */
export interface QuasiExplicitBounds {
  readonly aMin: number;
  readonly aMax: number;
  /** Bound S on the wing slope b(1 + |rho|) (4 in Zeliade's domain, 2 for Lee's bound). */
  readonly slopeBound: number;
}

// constraint rows over (a, d, c): A x <= rhs
const CONSTRAINTS: readonly (readonly [number, number, number])[] = [
  [-1, 0, 0], // -a <= -aMin
  [1, 0, 0], // a <= aMax
  [0, 1, -1], // d - c <= 0
  [0, -1, -1], // -d - c <= 0
  [0, 1, 1], // d + c <= S sigma
  [0, -1, 1], // c - d <= S sigma
];

// parallel (mutually exclusive) constraint pairs: a subset containing both is never a face
const EXCLUSIVE = [(1 << 0) | (1 << 1), (1 << 2) | (1 << 5), (1 << 3) | (1 << 4)];
// all subsets of {0..5} of size 1..3 without an exclusive pair, as bit masks, enumerated once (6 faces,
// 12 edges, 8 corners of D)
const ACTIVE_SETS: readonly number[] = (() => {
  const sets: number[] = [];
  for (let mask = 1; mask < 64; mask++) {
    let bits = 0;
    for (let i = 0; i < 6; i++) if (mask & (1 << i)) bits++;
    if (bits <= 3 && EXCLUSIVE.every((pair) => (mask & pair) !== pair)) sets.push(mask);
  }
  return sets;
})();

// scratch for the KKT solves (at most 6 x 7 augmented matrix); never retained between calls
const KKT = new Float64Array(6 * 7);
const KKT_X = new Float64Array(6);
const CANDIDATE = new Float64Array(3);
const BEST = new Float64Array(3);
const H = new Float64Array(9);
const G = new Float64Array(3);
const RHS = new Float64Array(6);
const ACTIVE = new Int32Array(3);

/**
 * Solves the inner problem for given (m, sigma). `scratch` may be reused between calls (allocation-free
 * hot loop); the returned object is `out` when given.
 */
export function solveQuasiExplicitInner(
  data: QuasiExplicitData,
  m: number,
  sigma: number,
  bounds: QuasiExplicitBounds,
  out: QuasiExplicitInnerSolution = { a: 0, d: 0, c: 0, sse: 0, activeConstraints: 0 },
): QuasiExplicitInnerSolution {
  const { n, k, w, weights } = data;
  // normal-equation sums (methods.md §3.4)
  let s1 = 0, sy = 0, sz = 0, syy = 0, syz = 0, szz = 0, sw = 0, swy = 0, swz = 0;
  for (let i = 0; i < n; i++) {
    const v = weights[i] as number;
    const y = ((k[i] as number) - m) / sigma;
    const z = Math.sqrt(y * y + 1);
    const wi = w[i] as number;
    s1 += v;
    sy += v * y;
    sz += v * z;
    syy += v * y * y;
    syz += v * y * z;
    szz += v * (y * y + 1);
    sw += v * wi;
    swy += v * wi * y;
    swz += v * wi * z;
  }
  // H (symmetric 3x3 over (a, d, c)) and gradient right-hand side
  const h = H;
  h[0] = s1; h[1] = sy; h[2] = sz;
  h[3] = sy; h[4] = syy; h[5] = syz;
  h[6] = sz; h[7] = syz; h[8] = szz;
  const g = G;
  g[0] = sw; g[1] = swy; g[2] = swz;
  const rhs = RHS;
  rhs[0] = -bounds.aMin; rhs[1] = bounds.aMax; rhs[2] = 0; rhs[3] = 0;
  rhs[4] = bounds.slopeBound * sigma; rhs[5] = bounds.slopeBound * sigma;
  const tol = 1e-12 * Math.max(1, Math.abs(bounds.aMax), Math.abs(bounds.aMin), bounds.slopeBound * sigma);
  const feasible = (x: Float64Array): boolean => {
    for (let i = 0; i < 6; i++) {
      const row = CONSTRAINTS[i] as readonly [number, number, number];
      if (row[0] * (x[0] as number) + row[1] * (x[1] as number) + row[2] * (x[2] as number) > (rhs[i] as number) + tol) return false;
    }
    return true;
  };
  const objective = (x: Float64Array): number => {
    // x^T H x - 2 g^T x (constant dropped)
    let q = 0;
    for (let i = 0; i < 3; i++) {
      let hx = 0;
      for (let j = 0; j < 3; j++) hx += (h[i * 3 + j] as number) * (x[j] as number);
      q += (x[i] as number) * (hx - 2 * (g[i] as number));
    }
    return q;
  };

  let found = false;
  let bestActive = 0;
  if (solveKkt(h, g, 0, rhs, CANDIDATE) && feasible(CANDIDATE)) {
    BEST.set(CANDIDATE);
    found = true;
  } else {
    let bestValue = Number.POSITIVE_INFINITY;
    for (const mask of ACTIVE_SETS) {
      if (!solveKkt(h, g, mask, rhs, CANDIDATE) || !feasible(CANDIDATE)) continue;
      const value = objective(CANDIDATE);
      if (value < bestValue) {
        bestValue = value;
        BEST.set(CANDIDATE);
        found = true;
        bestActive = popcount(mask);
      }
    }
  }
  if (!found) {
    // cannot happen for a well-formed domain (every corner is determined by three constraints)
    out.a = Math.max(bounds.aMin, 0);
    out.d = 0;
    out.c = 0;
    out.sse = Number.POSITIVE_INFINITY;
    out.activeConstraints = -1;
    return out;
  }
  const a = BEST[0] as number;
  const d = BEST[1] as number;
  const c = BEST[2] as number;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const y = ((k[i] as number) - m) / sigma;
    const r = a + d * y + c * Math.sqrt(y * y + 1) - (w[i] as number);
    sse += (weights[i] as number) * r * r;
  }
  out.a = a;
  out.d = d;
  out.c = c;
  out.sse = sse;
  out.activeConstraints = bestActive;
  return out;
}

function popcount(mask: number): number {
  let bits = 0;
  for (let i = 0; i < 6; i++) if (mask & (1 << i)) bits++;
  return bits;
}

/**
 * Minimises x^T H x - 2 g^T x subject to A_S x = rhs_S for the constraints in `mask` by solving the KKT
 * system [H A_S^T; A_S 0] [x; lambda] = [g; rhs_S] with partial pivoting (scratch buffers, no allocation).
 * Writes x into `out` and returns true; returns false when the system is singular or the result not finite.
 */
function solveKkt(h: Float64Array, g: Float64Array, mask: number, rhs: Float64Array, out: Float64Array): boolean {
  let nActive = 0;
  const size0 = 3;
  const active = ACTIVE;
  for (let i = 0; i < 6; i++) if (mask & (1 << i)) active[nActive++] = i;
  const size = size0 + nActive;
  const cols = size + 1;
  const mat = KKT;
  mat.fill(0, 0, size * cols);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) mat[i * cols + j] = h[i * 3 + j] as number;
    mat[i * cols + size] = g[i] as number;
  }
  for (let s = 0; s < nActive; s++) {
    const row = CONSTRAINTS[active[s] as number] as readonly [number, number, number];
    for (let j = 0; j < 3; j++) {
      mat[(3 + s) * cols + j] = row[j] as number;
      mat[j * cols + 3 + s] = row[j] as number;
    }
    mat[(3 + s) * cols + size] = rhs[active[s] as number] as number;
  }
  let scale = 0;
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) scale = Math.max(scale, Math.abs(mat[i * cols + j] as number));
  if (!(scale > 0) || !Number.isFinite(scale)) return false;
  const eps = 1e-13 * scale;
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) {
      if (Math.abs(mat[r * cols + col] as number) > Math.abs(mat[pivot * cols + col] as number)) pivot = r;
    }
    const pv = mat[pivot * cols + col] as number;
    if (!(Math.abs(pv) > eps)) return false;
    if (pivot !== col) {
      for (let j = col; j < cols; j++) {
        const t = mat[col * cols + j] as number;
        mat[col * cols + j] = mat[pivot * cols + j] as number;
        mat[pivot * cols + j] = t;
      }
    }
    for (let r = col + 1; r < size; r++) {
      const f = (mat[r * cols + col] as number) / pv;
      if (f === 0) continue;
      for (let j = col; j < cols; j++) mat[r * cols + j] = (mat[r * cols + j] as number) - f * (mat[col * cols + j] as number);
    }
  }
  const x = KKT_X;
  for (let i = size - 1; i >= 0; i--) {
    let v = mat[i * cols + size] as number;
    for (let j = i + 1; j < size; j++) v -= (mat[i * cols + j] as number) * (x[j] as number);
    x[i] = v / (mat[i * cols + i] as number);
  }
  if (!Number.isFinite(x[0] as number) || !Number.isFinite(x[1] as number) || !Number.isFinite(x[2] as number)) return false;
  out[0] = x[0] as number;
  out[1] = x[1] as number;
  out[2] = x[2] as number;
  return true;
}
