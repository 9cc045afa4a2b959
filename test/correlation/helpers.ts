/** Shared helpers of the correlation tests: committed reference fixtures and matrix comparisons. */
import { readJsonFixture } from '../support/fixtures.ts';

type M = number[][];

/** Output of scripts/reference/make_correlation_reference.py (see fixtures/reference/correlation/SOURCE.md). */
export interface CorrelationReference {
  panel: { returns: M };
  sample: { covariance: M; correlation: M };
  sample_gaps: { gaps: [number, number][]; rows: number; pairwise_covariance: M; pairwise_correlation: M; complete_rows_covariance: M; complete_rows: number };
  ewma: Record<string, { first: M; sample_all: M; sample_30: M; normalized: M }>;
  shrinkage: Record<string, { ledoit_wolf: { cov: M; shrinkage: number }; oas: { cov: M; shrinkage: number }; constant_correlation: { cov: M; shrinkage: number; rBar: number } }> & { n_lt_p_data: M };
  nearest_correlation: {
    nag_4x4: { ap_iterations_tol_1e_14: number };
    higham_3x3_after_10: { X_scaled: M; Y: M };
    random_10: RandomNcm;
    random_50: RandomNcm;
  } & Record<string, unknown>;
  garch: {
    loglik_true_params: number;
    loglik_other: { params: { omega: number; alpha: number; beta: number; mu: number }; loglik: number };
    loglik_unconditional_h1: { params: { omega: number; alpha: number; beta: number }; loglik: number };
    variance_true_params_first5: number[];
    variance_true_params_last: number;
    next_variance_true_params: number;
    fit_zero_mean: GarchRef;
    fit_constant_mean: GarchRef;
    fit_variance_targeting: GarchRef;
  };
}

export interface RandomNcm {
  A: M;
  X: M;
  distance: number;
  min_eigenvalue_A: number;
  'ap_iterations_tol_1e-8': number;
  'newton_iterations_tol_1e-12': number;
  weights: number[];
  X_weighted: M;
}

export interface GarchRef {
  params: { omega: number; alpha: number; beta: number; mu: number };
  loglik: number;
  standard_errors: Record<string, number>;
}

export function correlationReference(): CorrelationReference {
  return readJsonFixture<CorrelationReference>('fixtures/reference/correlation/correlation_reference.json');
}

/** max_ij |a_ij - b_ij| (throws on a shape mismatch). */
export function maxAbsDiff(a: ReadonlyArray<ArrayLike<number>>, b: ReadonlyArray<ArrayLike<number>>): number {
  if (a.length !== b.length) throw new Error(`row count ${a.length} vs ${b.length}`);
  let m = 0;
  a.forEach((row, i) => {
    const other = b[i]!;
    if (row.length !== other.length) throw new Error(`row ${i} length ${row.length} vs ${other.length}`);
    for (let j = 0; j < row.length; j++) m = Math.max(m, Math.abs(row[j]! - other[j]!));
  });
  return m;
}

/** max_ij |a_ij - b_ij| / max_ij |b_ij|. */
export function maxRelDiff(a: ReadonlyArray<ArrayLike<number>>, b: ReadonlyArray<ArrayLike<number>>): number {
  let scale = 0;
  for (const row of b) for (let j = 0; j < row.length; j++) scale = Math.max(scale, Math.abs(row[j]!));
  return maxAbsDiff(a, b) / scale;
}

/** Seeded-free deterministic helper: column j of a panel. */
export function column(panel: ReadonlyArray<ArrayLike<number>>, j: number): number[] {
  return panel.map((row) => row[j]!);
}
