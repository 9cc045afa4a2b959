/**
 * Compressed sparse row matrices of account x instrument quantities, and a growable builder for them (pure).
 *
 * Row a holds the entries `rowPtr[a] .. rowPtr[a + 1]` of `colIndex` (instrument-table rows) and `values` (signed
 * quantities), in insertion order; a column may repeat within a row (the product sums the entries in order).
 */
import { RiskInputError } from './errors.ts';

/** A CSR matrix (rows x cols) with Int32 indices and Float64 values. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into colIndex/values, rowPtr[0] = 0, non-decreasing. */
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/** Appends rows of (column, value) entries; `build()` returns a CSR with exactly sized arrays. */
export class CsrBuilder {
  #rowPtr: Int32Array;
  #colIndex: Int32Array;
  #values: Float64Array;
  #rows = 0;
  #nnz = 0;

  constructor(rowCapacity = 1024, entryCapacity = 4096) {
    this.#rowPtr = new Int32Array(Math.max(2, rowCapacity + 1));
    this.#colIndex = new Int32Array(Math.max(1, entryCapacity));
    this.#values = new Float64Array(Math.max(1, entryCapacity));
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Entries appended so far. */
  get nnz(): number {
    return this.#nnz;
  }

  /** Appends one entry to the current (open) row. */
  push(col: number, value: number): void {
    if (this.#nnz === this.#colIndex.length) {
      const cap = this.#colIndex.length * 2;
      const c = new Int32Array(cap);
      c.set(this.#colIndex);
      this.#colIndex = c;
      const v = new Float64Array(cap);
      v.set(this.#values);
      this.#values = v;
    }
    this.#colIndex[this.#nnz] = col;
    this.#values[this.#nnz] = value;
    this.#nnz++;
  }

  /** Closes the current row (entries pushed since the last call). */
  endRow(): void {
    if (this.#rows + 2 > this.#rowPtr.length) {
      const r = new Int32Array(this.#rowPtr.length * 2);
      r.set(this.#rowPtr);
      this.#rowPtr = r;
    }
    this.#rows++;
    this.#rowPtr[this.#rows] = this.#nnz;
  }

  /** Drops the entries pushed since the last `endRow` (a row that turned out bad). */
  discardRow(): void {
    this.#nnz = this.#rowPtr[this.#rows] as number;
  }

  /**
   * The matrix with `cols` columns (every column index must be < cols), in exactly sized arrays; with `shared` the
   * arrays live in SharedArrayBuffers (for worker threads, without a later copy).
   */
  build(cols: number, shared = false): CsrMatrix {
    const nnz = this.#nnz;
    const rows = this.#rows;
    for (let k = 0; k < nnz; k++) {
      const c = this.#colIndex[k] as number;
      if (!(c >= 0 && c < cols)) throw new RiskInputError(`colIndex[${k}]`, c, `expected a column in [0, ${cols})`);
    }
    const int32 = (n: number): Int32Array => (shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4)).subarray(0, n) : new Int32Array(n));
    const rowPtr = int32(rows + 1);
    rowPtr.set(this.#rowPtr.subarray(0, rows + 1));
    const colIndex = int32(nnz);
    colIndex.set(this.#colIndex.subarray(0, nnz));
    const values = shared ? new Float64Array(new SharedArrayBuffer(Math.max(1, nnz) * 8)).subarray(0, nnz) : new Float64Array(nnz);
    values.set(this.#values.subarray(0, nnz));
    return Object.freeze({ rows, cols, rowPtr, colIndex, values });
  }
}

/** Checks the structure of a CSR matrix (lengths, offsets, column range); throws RiskInputError naming the field. */
export function checkCsr(m: CsrMatrix, field = 'csr'): void {
  if (!Number.isSafeInteger(m.rows) || m.rows < 0) throw new RiskInputError(`${field}.rows`, m.rows, 'expected an integer >= 0');
  if (m.rowPtr.length !== m.rows + 1) throw new RiskInputError(`${field}.rowPtr.length`, m.rowPtr.length, `expected rows + 1 = ${m.rows + 1}`);
  if (m.rowPtr[0] !== 0) throw new RiskInputError(`${field}.rowPtr[0]`, m.rowPtr[0], 'expected 0');
  const nnz = m.rowPtr[m.rows] as number;
  if (m.colIndex.length < nnz || m.values.length < nnz) throw new RiskInputError(`${field}.colIndex.length`, m.colIndex.length, `expected at least rowPtr[rows] = ${nnz}`);
  for (let a = 0; a < m.rows; a++) {
    if ((m.rowPtr[a + 1] as number) < (m.rowPtr[a] as number)) throw new RiskInputError(`${field}.rowPtr[${a + 1}]`, m.rowPtr[a + 1], 'offsets must not decrease');
  }
  for (let k = 0; k < nnz; k++) {
    const c = m.colIndex[k] as number;
    if (!(c >= 0 && c < m.cols)) throw new RiskInputError(`${field}.colIndex[${k}]`, c, `expected a column in [0, ${m.cols})`);
  }
}

/**
 * The sub-matrix of the entries whose column satisfies `keep` (same rows and columns; e.g. the positions settled in
 * one currency, for per-currency P&L vectors).
 */
export function filterCsrColumns(m: CsrMatrix, keep: (col: number) => boolean): CsrMatrix {
  const b = new CsrBuilder(m.rows, m.colIndex.length);
  for (let a = 0; a < m.rows; a++) {
    for (let k = m.rowPtr[a] as number, end = m.rowPtr[a + 1] as number; k < end; k++) {
      const c = m.colIndex[k] as number;
      if (keep(c)) b.push(c, m.values[k] as number);
    }
    b.endRow();
  }
  return b.build(m.cols);
}
