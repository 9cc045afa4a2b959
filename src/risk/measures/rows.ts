/**
 * VaR and ES of every row of a row-major P&L matrix (accounts x scenarios, Float64Array, as revaluation produces it),
 * with the conventions of `varEs.ts`. The tail size is computed once; one scratch buffer serves all rows; no
 * allocation per row. A row holding NaN gets NaN (kernel semantics); shapes are checked.
 */
import { MarginInputError } from './errors.ts';
import { INSERTION_LIMIT, largestLossesKernel } from './largestLosses.ts';
import { tailMass } from './tailCount.ts';
import { esFromTail, type EsMethod } from './varEs.ts';

function checkShape(matrix: Float64Array, rows: number, cols: number): void {
  if (!(matrix instanceof Float64Array)) throw new MarginInputError('matrix', matrix, 'expected a Float64Array (row-major)');
  if (!Number.isSafeInteger(rows) || rows < 0) throw new MarginInputError('rows', rows, 'expected a non-negative integer');
  if (!Number.isSafeInteger(cols) || cols < 1) throw new MarginInputError('cols', cols, 'expected a positive integer');
  if (matrix.length < rows * cols) throw new MarginInputError('matrix.length', matrix.length, `expected at least rows x cols = ${rows * cols}`);
}

function rowsKernel(
  matrix: Float64Array, rows: number, cols: number, out: Float64Array | undefined,
  reduce: (tail: Float64Array) => number, tailSize: number,
): Float64Array {
  const result = out ?? new Float64Array(rows);
  if (result.length < rows) throw new MarginInputError('out.length', result.length, `expected at least ${rows}`);
  const tail = new Float64Array(tailSize);
  const scratch = tailSize > INSERTION_LIMIT ? new Float64Array(cols) : undefined;
  for (let r = 0; r < rows; r++) {
    result[r] = largestLossesKernel(matrix, r * cols, cols, tailSize, tail, scratch) ? reduce(tail) : Number.NaN;
  }
  return result;
}

/** Historical VaR of each row (k-th largest loss, k = ceil(cols (1 - confidence)) exact); `out[r]`, positive = loss. */
export function historicalVaRRows(
  matrix: Float64Array, rows: number, cols: number, confidence: number, out?: Float64Array,
): Float64Array {
  checkShape(matrix, rows, cols);
  const t = tailMass(cols, confidence);
  return rowsKernel(matrix, rows, cols, out, (tail) => tail[t.k - 1] as number, t.k);
}

/** Expected shortfall of each row (`method` default 'k-worst'); `out[r]`, positive = loss. */
export function expectedShortfallRows(
  matrix: Float64Array, rows: number, cols: number, confidence: number, method: EsMethod = 'k-worst', out?: Float64Array,
): Float64Array {
  checkShape(matrix, rows, cols);
  if (method !== 'k-worst' && method !== 'acerbi-tasche') throw new MarginInputError('method', method, "expected 'k-worst' or 'acerbi-tasche'");
  const t = tailMass(cols, confidence);
  return rowsKernel(matrix, rows, cols, out, (tail) => esFromTail(tail, t, method), t.k);
}
