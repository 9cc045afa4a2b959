/**
 * Reading and writing the matrices of the public boundary (`number[][]`, rows = dates, columns =
 * assets for returns) into flat row-major Float64Array form, with validation that names the field.
 * Internal helpers of the correlation layer.
 */
import { CorrelationInputError } from './errors.ts';

/** A returns panel in flat row-major form: data[t*cols + j] = return of asset j on date t. */
export interface ReturnsPanel {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** Number of NaN cells (gaps); 0 unless gaps were allowed. */
  readonly missing: number;
}

/** A square matrix in flat row-major form. */
export interface SquareMatrix {
  readonly data: Float64Array;
  readonly n: number;
}

/** How an estimator treats a row with a gap (NaN): never silently. */
export type MissingPolicy = 'error' | 'pairwise' | 'complete-rows';

/**
 * Validate `returns` (rows = dates, columns = assets) and copy it into a flat panel.
 * NaN cells are gaps: accepted only when `allowMissing`, otherwise a MISSING_VALUE error naming
 * the cell. +-Infinity and non-numbers are always NON_FINITE errors.
 */
export function readReturnsPanel(
  returns: ReadonlyArray<ArrayLike<number>>,
  allowMissing: boolean,
  field = 'returns',
): ReturnsPanel {
  if (!Array.isArray(returns)) throw new CorrelationInputError('NOT_A_MATRIX', field, returns, 'expected an array of rows (dates) of asset returns');
  const rows = returns.length;
  if (rows === 0) throw new CorrelationInputError('EMPTY', field, returns, 'no rows');
  const first = returns[0];
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new CorrelationInputError('NOT_A_MATRIX', `${field}[0]`, first, 'expected an array of numbers');
  }
  const cols = first.length;
  if (cols === 0) throw new CorrelationInputError('EMPTY', `${field}[0]`, first, 'no columns');
  const data = new Float64Array(rows * cols);
  let missing = 0;
  for (let t = 0; t < rows; t++) {
    const row = returns[t];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new CorrelationInputError('NOT_A_MATRIX', `${field}[${t}]`, row, 'expected an array of numbers');
    }
    if (row.length !== cols) throw new CorrelationInputError('RAGGED', `${field}[${t}]`, row.length, `row length differs from ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new CorrelationInputError('NON_FINITE', `${field}[${t}][${j}]`, v, 'expected a number');
      if (Number.isNaN(v)) {
        if (!allowMissing) {
          throw new CorrelationInputError('MISSING_VALUE', `${field}[${t}][${j}]`, v, 'gap (NaN) in returns; pass { missing: "pairwise" } or "complete-rows" where supported, or align the data first');
        }
        missing++;
      } else if (!Number.isFinite(v)) {
        throw new CorrelationInputError('NON_FINITE', `${field}[${t}][${j}]`, v, 'return must be finite');
      }
      data[t * cols + j] = v;
    }
  }
  return Object.freeze({ data, rows, cols, missing });
}

/** Keep only the rows of `panel` without a gap (listwise deletion). */
export function dropIncompleteRows(panel: ReturnsPanel): ReturnsPanel {
  if (panel.missing === 0) return panel;
  const { data, rows, cols } = panel;
  const keep: number[] = [];
  for (let t = 0; t < rows; t++) {
    let ok = true;
    for (let j = 0; j < cols; j++) if (Number.isNaN(data[t * cols + j]!)) ok = false;
    if (ok) keep.push(t);
  }
  const out = new Float64Array(keep.length * cols);
  keep.forEach((t, r) => out.set(data.subarray(t * cols, t * cols + cols), r * cols));
  return Object.freeze({ data: out, rows: keep.length, cols, missing: 0 });
}

/** Validate a finite square matrix and copy it into flat row-major form. */
export function readSquareMatrix(matrix: ReadonlyArray<ArrayLike<number>>, field = 'matrix'): SquareMatrix {
  if (!Array.isArray(matrix)) throw new CorrelationInputError('NOT_A_MATRIX', field, matrix, 'expected an array of rows');
  const n = matrix.length;
  if (n === 0) throw new CorrelationInputError('EMPTY', field, matrix, 'empty matrix');
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new CorrelationInputError('NOT_A_MATRIX', `${field}[${i}]`, row, 'expected an array of numbers');
    }
    if (row.length !== n) throw new CorrelationInputError('NOT_SQUARE', `${field}[${i}]`, row.length, `row length must equal the number of rows ${n}`);
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new CorrelationInputError('NON_FINITE', `${field}[${i}][${j}]`, v, 'entry must be a finite number');
      data[i * n + j] = v;
    }
  }
  return Object.freeze({ data, n });
}

/**
 * Raise NOT_SYMMETRIC unless |a_ij - a_ji| <= relTol * max(1, max|a|) for all i, j.
 * The default 1e-12 admits rounding noise from computing both triangles, nothing more.
 */
export function assertSymmetric(m: SquareMatrix, field = 'matrix', relTol = 1e-12): void {
  const { data, n } = m;
  let scale = 1;
  for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(data[k]!));
  const tol = relTol * scale;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(data[i * n + j]! - data[j * n + i]!);
      if (d > tol) throw new CorrelationInputError('NOT_SYMMETRIC', `${field}[${i}][${j}]`, data[i * n + j], `differs from ${field}[${j}][${i}] = ${data[j * n + i]}`);
    }
  }
}

/** Copy a flat row-major rows x cols matrix into a frozen `number[][]`. */
export function toNestedMatrix(data: ArrayLike<number>, rows: number, cols: number = rows): number[][] {
  const out: number[][] = new Array<number[]>(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = data[i * cols + j]!;
    out[i] = Object.freeze(row) as number[];
  }
  return Object.freeze(out) as number[][];
}
