/**
 * Account aggregation by a sparse product (pure kernels, no allocation in the loops): account x scenario P&L =
 * (account x instrument quantities, CSR) x (instrument x scenario P&L per unit). Each account row is the sum of its
 * entries in CSR order, q_1 M[c_1] + q_2 M[c_2] + ..., starting from 0, the same order on every thread, so block and
 * thread splits never change a bit. A NaN cell of an instrument row makes the account's cell NaN.
 */
import { largestLossesKernel } from '../measures/largestLosses.ts';
import { RiskInputError } from '../portfolio/errors.ts';
import type { CsrMatrix } from '../portfolio/csr.ts';

/**
 * out[o + s] = 0 + q_1 M[c_1 S + s] + q_2 M[c_2 S + s] + ... over the entries of CSR row `a`, in CSR order, for
 * s < S. The loop takes the entries 8, 4, 2 and 1 at a time (one pass over `out` per group instead of per entry,
 * about twice as fast); JavaScript adds left to right, so `out + t1 + t2 + ...` rounds exactly like adding the terms
 * one by one: the result does not depend on the grouping.
 */
export function accumulateRow(
  rowPtr: Int32Array, colIndex: Int32Array, values: Float64Array, a: number, matrix: Float64Array, S: number, out: Float64Array, o: number,
): void {
  const M = matrix;
  let k = rowPtr[a] as number;
  const e = rowPtr[a + 1] as number;
  out.fill(0, o, o + S);
  for (; k + 7 < e; k += 8) {
    const q1 = values[k] as number, m1 = (colIndex[k] as number) * S, q2 = values[k + 1] as number, m2 = (colIndex[k + 1] as number) * S;
    const q3 = values[k + 2] as number, m3 = (colIndex[k + 2] as number) * S, q4 = values[k + 3] as number, m4 = (colIndex[k + 3] as number) * S;
    const q5 = values[k + 4] as number, m5 = (colIndex[k + 4] as number) * S, q6 = values[k + 5] as number, m6 = (colIndex[k + 5] as number) * S;
    const q7 = values[k + 6] as number, m7 = (colIndex[k + 6] as number) * S, q8 = values[k + 7] as number, m8 = (colIndex[k + 7] as number) * S;
    for (let s = 0; s < S; s++) {
      out[o + s] = (out[o + s] as number) + q1 * (M[m1 + s] as number) + q2 * (M[m2 + s] as number) + q3 * (M[m3 + s] as number) +
        q4 * (M[m4 + s] as number) + q5 * (M[m5 + s] as number) + q6 * (M[m6 + s] as number) + q7 * (M[m7 + s] as number) +
        q8 * (M[m8 + s] as number);
    }
  }
  for (; k + 3 < e; k += 4) {
    const q1 = values[k] as number, m1 = (colIndex[k] as number) * S, q2 = values[k + 1] as number, m2 = (colIndex[k + 1] as number) * S;
    const q3 = values[k + 2] as number, m3 = (colIndex[k + 2] as number) * S, q4 = values[k + 3] as number, m4 = (colIndex[k + 3] as number) * S;
    for (let s = 0; s < S; s++) {
      out[o + s] = (out[o + s] as number) + q1 * (M[m1 + s] as number) + q2 * (M[m2 + s] as number) + q3 * (M[m3 + s] as number) + q4 * (M[m4 + s] as number);
    }
  }
  for (; k + 1 < e; k += 2) {
    const q1 = values[k] as number, m1 = (colIndex[k] as number) * S, q2 = values[k + 1] as number, m2 = (colIndex[k + 1] as number) * S;
    for (let s = 0; s < S; s++) out[o + s] = (out[o + s] as number) + q1 * (M[m1 + s] as number) + q2 * (M[m2 + s] as number);
  }
  for (; k < e; k++) {
    const q = values[k] as number;
    const m = (colIndex[k] as number) * S;
    for (let s = 0; s < S; s++) out[o + s] = (out[o + s] as number) + q * (M[m + s] as number);
  }
}

/**
 * Writes the P&L of accounts [rowStart, rowEnd) to `out` at ((a - outRowOffset) * scenarioCount + s).
 * `matrix` is instrument x scenario, row-major (row c at c * scenarioCount).
 */
export function aggregateRows(
  csr: CsrMatrix, matrix: Float64Array, scenarioCount: number, rowStart: number, rowEnd: number, out: Float64Array,
  outRowOffset = 0,
): void {
  const { rowPtr, colIndex, values } = csr;
  for (let a = rowStart; a < rowEnd; a++) accumulateRow(rowPtr, colIndex, values, a, matrix, scenarioCount, out, (a - outRowOffset) * scenarioCount);
}

/** Checks that a CSR and an instrument x scenario matrix fit together; throws RiskInputError. */
export function checkProductShapes(csr: CsrMatrix, matrix: Float64Array, scenarioCount: number, field = 'positions'): void {
  if (!Number.isSafeInteger(scenarioCount) || scenarioCount < 1) throw new RiskInputError('scenarioCount', scenarioCount, 'expected an integer >= 1');
  if (matrix.length !== csr.cols * scenarioCount) {
    throw new RiskInputError('matrix.length', matrix.length, `expected ${field}.cols x scenarioCount = ${csr.cols * scenarioCount}`);
  }
}

/** The full accounts x scenarios product (row-major Float64Array, accounts x scenarioCount). */
export function aggregateAccounts(csr: CsrMatrix, matrix: Float64Array, scenarioCount: number, out?: Float64Array): Float64Array {
  checkProductShapes(csr, matrix, scenarioCount);
  const result = out ?? new Float64Array(csr.rows * scenarioCount);
  if (result.length < csr.rows * scenarioCount) throw new RiskInputError('out.length', result.length, `expected at least ${csr.rows * scenarioCount}`);
  aggregateRows(csr, matrix, scenarioCount, 0, csr.rows, result);
  return result;
}

/** Per-account worst cases (see {@link worstCaseRows}); scenario indices are -1 where the P&L is NaN. */
export interface AccountWorstCase {
  /** min over scenarios of weight x position P&L (USD); NaN when a cell is NaN. */
  readonly worstPositionPnl: Float64Array;
  readonly worstPositionScenario: Int32Array;
  /** min over scenarios of weight x (position + collateral) P&L. */
  readonly worstTotalPnl: Float64Array;
  readonly worstTotalScenario: Int32Array;
  /** weight x collateral P&L in the scenario of `worstTotalPnl`. */
  readonly collateralPnlAtWorst: Float64Array;
  /**
   * Expected shortfall of the weighted total (position + collateral) P&L: the mean of its `tailCount` largest losses
   * (USD, positive = loss; the k-worst convention of src/risk/measures); NaN when no tail was asked for or a cell is NaN.
   */
  readonly totalExpectedShortfall: Float64Array;
}

/** Allocates worst-case outputs for `rows` accounts with the given factory. */
export function allocateWorstCase(rows: number, alloc: <T extends Float64Array | Int32Array>(ctor: { new (n: number): T; new (b: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number }, n: number) => T = (c, n) => new c(n)): AccountWorstCase {
  return {
    worstPositionPnl: alloc(Float64Array, rows), worstPositionScenario: alloc(Int32Array, rows),
    worstTotalPnl: alloc(Float64Array, rows), worstTotalScenario: alloc(Int32Array, rows), collateralPnlAtWorst: alloc(Float64Array, rows),
    totalExpectedShortfall: alloc(Float64Array, rows),
  };
}

/** Scratch of {@link worstCaseRows}: two vectors of scenarioCount and the tail buffer (length >= tailCount). */
export interface WorstCaseScratch {
  readonly positions: Float64Array;
  readonly collateral: Float64Array;
  readonly tail?: Float64Array;
}

/**
 * Streams accounts [rowStart, rowEnd): aggregates each account's position and collateral P&L into scratch vectors
 * (never an accounts x scenarios matrix) and reduces them to the worst cases, weighted by `weights` (per scenario,
 * e.g. the venue's extended-move P&L fractions; null = 1). Ties keep the first scenario. With `tailCount` k >= 1 it
 * also writes the expected shortfall of the weighted total P&L (mean of its k largest losses; k = ceil(S (1 - alpha))
 * for ES at alpha, `tailMass`), using `scratch.tail`. Outputs are indexed by account (a), so threads writing disjoint
 * account ranges share one output.
 */
export function worstCaseRows(
  positions: CsrMatrix, collateral: CsrMatrix, matrix: Float64Array, scenarioCount: number, weights: Float64Array | null,
  rowStart: number, rowEnd: number, out: AccountWorstCase, scratch: WorstCaseScratch, tailCount = 0,
): void {
  const S = scenarioCount;
  const pos = scratch.positions;
  const col = scratch.collateral;
  const k = tailCount;
  const tail = k > 0 ? scratch.tail : undefined;
  if (k > 0 && (tail === undefined || tail.length < k || k > S)) throw new RiskInputError('tailCount', k, `needs 1 <= tailCount <= ${S} and scratch.tail of at least that length`);
  for (let a = rowStart; a < rowEnd; a++) {
    accumulateRow(positions.rowPtr, positions.colIndex, positions.values, a, matrix, S, pos, 0);
    accumulateRow(collateral.rowPtr, collateral.colIndex, collateral.values, a, matrix, S, col, 0);
    let worstP = Number.POSITIVE_INFINITY;
    let worstPAt = -1;
    let worstT = Number.POSITIVE_INFINITY;
    let worstTAt = -1;
    let nan = false;
    for (let s = 0; s < S; s++) {
      const w = weights === null ? 1 : (weights[s] as number);
      const p = w * (pos[s] as number);
      const t = p + w * (col[s] as number);
      if (t !== t) {
        nan = true;
        break;
      }
      if (p < worstP) {
        worstP = p;
        worstPAt = s;
      }
      if (t < worstT) {
        worstT = t;
        worstTAt = s;
      }
      pos[s] = t; // the position value at s is not read again: the vector becomes the total P&L for the tail
    }
    if (nan) {
      out.worstPositionPnl[a] = Number.NaN;
      out.worstPositionScenario[a] = -1;
      out.worstTotalPnl[a] = Number.NaN;
      out.worstTotalScenario[a] = -1;
      out.collateralPnlAtWorst[a] = Number.NaN;
      out.totalExpectedShortfall[a] = Number.NaN;
      continue;
    }
    out.worstPositionPnl[a] = worstP;
    out.worstPositionScenario[a] = worstPAt;
    out.worstTotalPnl[a] = worstT;
    out.worstTotalScenario[a] = worstTAt;
    const w = weights === null ? 1 : (weights[worstTAt] as number);
    out.collateralPnlAtWorst[a] = w * (col[worstTAt] as number);
    if (tail !== undefined) {
      largestLossesKernel(pos, 0, S, k, tail, col); // col is free now: the sort path's scratch when k is large
      let sum = 0;
      for (let j = 0; j < k; j++) sum += tail[j] as number;
      out.totalExpectedShortfall[a] = sum / k;
    } else out.totalExpectedShortfall[a] = Number.NaN;
  }
}
