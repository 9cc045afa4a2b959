/**
 * Parameter types of the volatility-surface layer.
 *
 * Conventions (DESIGN.md §3, reference/methods.md §3): k = ln(K/F_T) is the log-forward moneyness,
 * w(k) = sigma_BS(k)^2 * T is the total implied variance (dimensionless), T is the expiry in years
 * (ACT/365), vols are annualised decimals.
 */

/**
 * Raw SVI parameters (Gatheral 2004): w(k) = a + b * (rho * (k - m) + sqrt((k - m)^2 + sigma^2)).
 * Domain: b >= 0, |rho| < 1, sigma > 0, a + b * sigma * sqrt(1 - rho^2) >= 0 (so that min w >= 0).
 * `a` is a total variance; `m` and `sigma` are in log-moneyness units; `b` and `rho` are dimensionless.
 */
export interface SviRawParams {
  readonly a: number;
  readonly b: number;
  readonly rho: number;
  readonly m: number;
  readonly sigma: number;
}

/**
 * Natural SVI parameters (Gatheral & Jacquier 2014, eq. 3.2):
 * w(k) = delta + omega/2 * (1 + zeta*rho*(k - mu) + sqrt((zeta*(k - mu) + rho)^2 + 1 - rho^2)).
 * Domain: omega >= 0, |rho| < 1, zeta > 0.
 */
export interface SviNaturalParams {
  readonly delta: number;
  readonly omega: number;
  readonly rho: number;
  readonly mu: number;
  readonly zeta: number;
}

/**
 * SVI-JW ("jump-wings") parameters of a slice with expiry t (Gatheral & Jacquier 2014, §3.3):
 * v = ATM variance w(0)/t (annualised), psi = ATM skew dsigma_BS/dk-like quantity
 * b/(2 sqrt(w(0))) (rho - m/sqrt(m^2+sigma^2)), p = left wing slope b(1-rho)/sqrt(w(0)),
 * c = right wing slope b(1+rho)/sqrt(w(0)), vTilde = minimum annualised variance
 * (a + b sigma sqrt(1-rho^2))/t. Requires w(0) > 0.
 */
export interface SviJwParams {
  readonly v: number;
  readonly psi: number;
  readonly p: number;
  readonly c: number;
  readonly vTilde: number;
}

/**
 * Choice of the SSVI curvature function phi(theta) (theta = ATM total variance):
 * - `'power-law'` (default, the public API's): phi(theta) = eta * theta^(-gamma);
 * - `'power-law-gj'`: Gatheral & Jacquier (2014) eq. 4.5 form phi(theta) = eta / (theta^gamma (1+theta)^(1-gamma));
 * - `'heston-like'`: phi(theta) = 1/(lambda theta) * (1 - (1 - exp(-lambda theta))/(lambda theta)) (GJ eq. 4.4).
 */
export type SsviPhiKind = 'power-law' | 'power-law-gj' | 'heston-like';

/** SSVI with a power-law curvature (rho in (-1, 1), eta > 0, gamma in [0, 1] for a calendar-free surface). */
export interface SsviPowerLawParams {
  readonly rho: number;
  readonly eta: number;
  readonly gamma: number;
  readonly phi?: 'power-law' | 'power-law-gj';
}

/** SSVI with the Heston-like curvature (rho in (-1, 1), lambda > 0). */
export interface SsviHestonParams {
  readonly rho: number;
  readonly lambda: number;
  readonly phi: 'heston-like';
}

/** SSVI parameters: rho plus the parameters of the chosen curvature function phi(theta). */
export type SsviParams = SsviPowerLawParams | SsviHestonParams;

/**
 * One eSSVI slice (Hendriks & Martini 2019): w(k) = 1/2 (theta + rho psi k + sqrt((psi k + rho theta)^2 + (1 - rho^2) theta^2)),
 * i.e. the SSVI slice with psi = theta * phi(theta) and a slice-dependent rho.
 * theta = ATM total variance (> 0), rho in (-1, 1), psi >= 0.
 */
export interface EssviSliceParams {
  readonly theta: number;
  readonly rho: number;
  readonly psi: number;
}
