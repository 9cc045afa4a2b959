/**
 * Ledoit–Wolf constant-correlation shrinkage ("Honey, I shrunk the sample covariance matrix",
 * J. Portfolio Management 2004), following the authors' covCor.m (2014 version) line by line:
 *   S = X^T X / t (X centred), rbar = (sum_ij S_ij / sqrt(S_ii S_jj) - n) / (n (n - 1)),
 *   F_ij = rbar sqrt(S_ii S_jj), F_ii = S_ii,
 *   phi = sum_ij [ (X^2)^T X^2 / t - 2 (X^T X) o S / t + S o S ]_ij,
 *   theta_ij = [ (X^3)^T X / t - diag(S) S - S o var + var S ]_ij (i != j; the last two cancel),
 *   rho = sum_i phi_ii + rbar sum_{i != j} sqrt(S_jj / S_ii) theta_ij,
 *   gamma = ||S - F||_F^2, kappa = (phi - rho) / gamma, delta* = max(0, min(1, kappa / t)),
 *   Sigma = delta* F + (1 - delta*) S.
 * (t = rows = dates, n = cols = assets in covCor's notation.) When gamma = 0 the sample already
 * equals the target and delta* is reported as 0.
 */
import { CorrelationInputError } from './errors.ts';
import { crossProduct, type ShrinkageKernelResult } from './ledoitWolf.ts';

/** Constant-correlation shrinkage of a CENTRED panel X (rows x cols). */
export function constantCorrelationShrinkageKernel(x: Float64Array, rows: number, cols: number): ShrinkageKernelResult {
  if (cols < 2) throw new CorrelationInputError('TOO_FEW_COLUMNS', 'returns[0]', cols, 'constant-correlation target needs at least 2 assets');
  const t = rows;
  const n = cols;
  const s = crossProduct(x, rows, cols, t);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = s[i * n + i]!;
    if (!(v > 0)) throw new CorrelationInputError('ZERO_VARIANCE', `returns[*][${i}]`, v, 'constant column: the constant-correlation target is undefined');
    sd[i] = Math.sqrt(v);
  }
  let corrSum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) corrSum += s[i * n + j]! / (sd[i]! * sd[j]!);
  const rBar = (corrSum - n) / (n * (n - 1));

  const prior = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) prior[i * n + j] = i === j ? s[i * n + i]! : rBar * sd[i]! * sd[j]!;

  // phiMat = (X^2)^T X^2 / t - S o S  (covCor's  y'y/t - 2 (x'x) .* S / t + S.^2  with x'x/t = S)
  // term1 = (X^3)^T X / t
  const y2 = new Float64Array(n * n);
  const x3x = new Float64Array(n * n);
  for (let r = 0; r < t; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) {
      const xi = x[base + i]!;
      const xi2 = xi * xi;
      const xi3 = xi2 * xi;
      for (let j = 0; j < n; j++) {
        const xj = x[base + j]!;
        y2[i * n + j] = y2[i * n + j]! + xi2 * xj * xj;
        x3x[i * n + j] = x3x[i * n + j]! + xi3 * xj;
      }
    }
  }
  let phi = 0;
  let phiDiag = 0;
  let thetaSum = 0;
  let gamma = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const sij = s[i * n + j]!;
      const p = y2[i * n + j]! / t - 2 * sij * sij + sij * sij;
      phi += p;
      if (i === j) phiDiag += p;
      else {
        // theta_ij = term1 - term2 - term3 + term4 with term2 = S_ii S_ij, term3 = S_ij var_i, term4 = var_i S_ij
        const sii = s[i * n + i]!;
        const theta = x3x[i * n + j]! / t - sii * sij - sij * sii + sii * sij;
        thetaSum += (sd[j]! / sd[i]!) * theta;
      }
      const d = sij - prior[i * n + j]!;
      gamma += d * d;
    }
  }
  const rho = phiDiag + rBar * thetaSum;
  const shrinkage = gamma === 0 ? 0 : Math.max(0, Math.min(1, (phi - rho) / gamma / t));
  const cov = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) cov[k] = shrinkage * prior[k]! + (1 - shrinkage) * s[k]!;
  return { covariance: cov, shrinkage, meanCorrelation: rBar };
}
