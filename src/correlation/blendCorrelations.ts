/**
 * Stressed/normal correlation blend C = w C_stress + (1 - w) C_normal (methods.md 4.4, method 2).
 * A convex combination of two correlation matrices is a correlation matrix, but inputs estimated
 * pairwise or edited by hand may not be PSD: if lambda_min(C) < -psdTolerance * max(1, |lambda_max|)
 * the blend is repaired to its nearest correlation matrix and the repair distance is reported.
 */
import { symmetricEigen } from '../math/symmetricEigen.ts';
import { CorrelationInputError } from './errors.ts';
import { assertSymmetric, readSquareMatrix, toNestedMatrix, type SquareMatrix } from './panel.ts';
import { nearestCorrelationFlat, type NearestCorrelationOptions } from './nearestCorrelation.ts';

/** Options of {@link blendCorrelations}. */
export interface BlendCorrelationsOptions {
  /** Relative eigenvalue tolerance of the PSD check (default 1e-10). */
  readonly psdTolerance?: number;
  /** Options of the nearest-correlation repair (tolerance, method). */
  readonly repair?: Pick<NearestCorrelationOptions, 'tolerance' | 'method'>;
}

/** Result of {@link blendCorrelations}. */
export interface BlendCorrelationsResult {
  readonly correlation: number[][];
  readonly weight: number;
  /** Smallest eigenvalue of the raw blend (before any repair). */
  readonly minEigenvalue: number;
  readonly repaired: boolean;
  /** ||C_raw - C||_F (0 when not repaired). */
  readonly repairDistance: number;
  /** Nearest-correlation iterations (0 when not repaired). */
  readonly repairIterations: number;
}

function readCorrelation(matrix: ReadonlyArray<ArrayLike<number>>, field: string): SquareMatrix {
  const m = readSquareMatrix(matrix, field);
  assertSymmetric(m, field, 1e-10);
  for (let i = 0; i < m.n; i++) {
    const d = m.data[i * m.n + i]!;
    if (Math.abs(d - 1) > 1e-10) throw new CorrelationInputError('NOT_CORRELATION', `${field}[${i}][${i}]`, d, 'diagonal of a correlation matrix must be 1');
    for (let j = 0; j < m.n; j++) {
      const v = m.data[i * m.n + j]!;
      if (Math.abs(v) > 1 + 1e-12) throw new CorrelationInputError('NOT_CORRELATION', `${field}[${i}][${j}]`, v, 'correlation outside [-1, 1]');
    }
  }
  return m;
}

/** w * stress + (1 - w) * normal, repaired to the nearest correlation matrix if not PSD. */
export function blendCorrelations(
  stress: ReadonlyArray<ArrayLike<number>>,
  normal: ReadonlyArray<ArrayLike<number>>,
  weight: number,
  options: BlendCorrelationsOptions = {},
): BlendCorrelationsResult {
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) throw new CorrelationInputError('BAD_OPTION', 'weight', weight, 'blend weight must be in [0, 1]');
  const psdTolerance = options.psdTolerance ?? 1e-10;
  if (typeof psdTolerance !== 'number' || !(psdTolerance >= 0)) throw new CorrelationInputError('BAD_OPTION', 'options.psdTolerance', psdTolerance, 'must be non-negative');
  const s = readCorrelation(stress, 'stress');
  const c = readCorrelation(normal, 'normal');
  if (s.n !== c.n) throw new CorrelationInputError('NOT_SQUARE', 'normal', c.n, `size differs from stress (${s.n})`);
  const n = s.n;
  const blend = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) blend[k] = weight * s.data[k]! + (1 - weight) * c.data[k]!;
  for (let i = 0; i < n; i++) blend[i * n + i] = 1;
  const values = symmetricEigen(blend, n, { computeVectors: false }).values;
  const lo = values[0]!;
  const hi = values[n - 1]!;
  if (lo >= -psdTolerance * Math.max(1, Math.abs(hi))) {
    return Object.freeze({ correlation: toNestedMatrix(blend, n), weight, minEigenvalue: lo, repaired: false, repairDistance: 0, repairIterations: 0 });
  }
  const r = nearestCorrelationFlat(blend, n, options.repair ?? {});
  return Object.freeze({
    correlation: toNestedMatrix(r.matrix, n),
    weight,
    minEigenvalue: lo,
    repaired: true,
    repairDistance: r.distance,
    repairIterations: r.iterations,
  });
}
