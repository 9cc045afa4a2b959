import { SurfaceDomainError } from './errors.ts';
import { sviButterfly } from './sviButterfly.ts';
import { ssviPhi, ssviThetaPhiDerivative, ssviToRawSvi, validateSsviParams } from './ssviTotalVariance.ts';
import type { SsviParams } from './types.ts';

/** One expiry of an SSVI surface: expiry in years and its ATM total variance theta. */
export interface SsviSliceSpec {
  readonly expiry: number;
  readonly theta: number;
}

/** Per-slice butterfly diagnostics of ssviArbitrage. */
export interface SsviSliceArbitrage {
  readonly expiry: number;
  readonly theta: number;
  readonly phi: number;
  /** theta phi(theta) (= psi, twice the raw-SVI b). */
  readonly thetaPhi: number;
  /** Gatheral & Jacquier (2014) Thm 4.2 sufficient conditions: theta phi (1+|rho|) < 4 and theta phi^2 (1+|rho|) <= 4. */
  readonly gjSufficient: boolean;
  /** Lee's necessary bound theta phi (1 + |rho|) <= 4 (wing slope of w at most 2). */
  readonly leeNecessary: boolean;
  /** Minimum of Durrleman's g of the slice's raw SVI form (sviButterfly scan). */
  readonly minG: number;
  readonly argminK: number;
}

/** Result of ssviArbitrage (true = arbitrage found). */
export interface SsviArbitrageResult {
  /** Butterfly arbitrage in some slice: Durrleman's g < 0 on the scan, or Lee's necessary bound violated. */
  readonly butterfly: boolean;
  /** Calendar arbitrage: theta decreasing in expiry, or GJ Thm 4.1 violated for some theta in the range. */
  readonly calendar: boolean;
  /** butterfly || calendar. */
  readonly arbitrage: boolean;
  /** True when every slice satisfies the GJ Thm 4.2 sufficient conditions (absence of butterfly arbitrage guaranteed). */
  readonly butterflyGuaranteed: boolean;
  /** Slices sorted by expiry. */
  readonly slices: readonly SsviSliceArbitrage[];
  /** Human-readable list of the violated conditions. */
  readonly violations: readonly string[];
}

/**
 * Static-arbitrage check of an SSVI surface at the given expiries (reference/methods.md §3.5):
 * - calendar, Gatheral & Jacquier (2014) Thm 4.1 (iff): theta_t non-decreasing in t, and
 *   0 <= d(theta phi(theta))/dtheta <= (1/rho^2)(1 + sqrt(1 - rho^2)) phi(theta) (upper bound infinite when
 *   rho = 0), checked at the slices' thetas and on a 64-point log grid between the smallest and largest;
 * - butterfly: per slice, Durrleman's g scanned on the slice's raw SVI form (exact check) and Lee's necessary
 *   bound theta phi (1+|rho|) <= 4; the sufficient conditions of Thm 4.2, theta phi (1+|rho|) < 4 and
 *   theta phi^2 (1+|rho|) <= 4, are reported per slice (`gjSufficient`) and overall (`butterflyGuaranteed`).
 *   For phi = eta theta^-gamma the calendar condition holds iff 0 <= gamma <= 1 (theta increasing); for the
 *   GJ form eta/(theta^gamma (1+theta)^(1-gamma)) with 0 < gamma <= 1/2, eta (1+|rho|) <= 2 implies both Thm 4.2
 *   conditions for every theta (methods.md §3.5, recalled as GJ's statement and verified there analytically).
 * Validates the parameters and each slice (SurfaceDomainError naming `slices[i].expiry` / `slices[i].theta`).
 */
export function ssviArbitrage(params: SsviParams, slices: readonly SsviSliceSpec[]): SsviArbitrageResult {
  validateSsviParams(params);
  if (!Array.isArray(slices) || slices.length === 0) throw new SurfaceDomainError('slices', slices, 'must be a non-empty array');
  slices.forEach((s, i) => {
    if (!(s.expiry > 0) || !Number.isFinite(s.expiry)) throw new SurfaceDomainError(`slices[${i}].expiry`, s.expiry, 'must be finite and > 0 years');
    if (!(s.theta > 0) || !Number.isFinite(s.theta)) throw new SurfaceDomainError(`slices[${i}].theta`, s.theta, 'must be finite and > 0');
  });
  const sorted = [...slices].sort((p, q) => p.expiry - q.expiry);
  const rho = params.rho;
  const absRho = Math.abs(rho);
  const violations: string[] = [];

  let calendar = false;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as SsviSliceSpec;
    const cur = sorted[i] as SsviSliceSpec;
    if (cur.theta < prev.theta) {
      calendar = true;
      violations.push(`calendar: theta decreases from ${prev.theta} (T=${prev.expiry}) to ${cur.theta} (T=${cur.expiry})`);
    }
  }
  const thetas = sorted.map((s) => s.theta);
  const tMin = Math.min(...thetas);
  const tMax = Math.max(...thetas);
  const checkThetas = [...thetas];
  if (tMax > tMin) for (let i = 0; i <= 63; i++) checkThetas.push(tMin * Math.pow(tMax / tMin, i / 63));
  const upperFactor = rho === 0 ? Number.POSITIVE_INFINITY : (1 + Math.sqrt(1 - rho * rho)) / (rho * rho);
  for (const theta of checkThetas) {
    const dpsi = ssviThetaPhiDerivative(params, theta);
    const phi = ssviPhi(params, theta);
    const tol = 1e-12 * Math.max(1, phi);
    if (dpsi < -tol) {
      calendar = true;
      violations.push(`calendar (GJ Thm 4.1): d(theta phi)/dtheta = ${dpsi} < 0 at theta = ${theta}`);
      break;
    }
    if (dpsi > upperFactor * phi + tol) {
      calendar = true;
      violations.push(`calendar (GJ Thm 4.1): d(theta phi)/dtheta = ${dpsi} > (1+sqrt(1-rho^2)) phi/rho^2 = ${upperFactor * phi} at theta = ${theta}`);
      break;
    }
  }

  let butterfly = false;
  let guaranteed = true;
  const perSlice = sorted.map((s) => {
    const phi = ssviPhi(params, s.theta);
    const thetaPhi = s.theta * phi;
    const gjSufficient = thetaPhi * (1 + absRho) < 4 && thetaPhi * phi * (1 + absRho) <= 4;
    const leeNecessary = thetaPhi * (1 + absRho) <= 4 * (1 + 1e-12);
    const scan = sviButterfly(ssviToRawSvi(params, s.theta));
    if (!gjSufficient) {
      guaranteed = false;
      violations.push(
        `butterfly sufficient condition (GJ Thm 4.2) fails at T=${s.expiry}: theta phi (1+|rho|) = ${thetaPhi * (1 + absRho)}, theta phi^2 (1+|rho|) = ${thetaPhi * phi * (1 + absRho)}`,
      );
    }
    if (!leeNecessary || scan.minG < 0) {
      butterfly = true;
      violations.push(`butterfly at T=${s.expiry}: min g = ${scan.minG} at k = ${scan.argminK}${leeNecessary ? '' : ', Lee bound violated'}`);
    }
    return Object.freeze({ expiry: s.expiry, theta: s.theta, phi, thetaPhi, gjSufficient, leeNecessary, minG: scan.minG, argminK: scan.argminK });
  });
  return Object.freeze({
    butterfly,
    calendar,
    arbitrage: butterfly || calendar,
    butterflyGuaranteed: guaranteed,
    slices: Object.freeze(perSlice),
    violations: Object.freeze(violations),
  });
}
