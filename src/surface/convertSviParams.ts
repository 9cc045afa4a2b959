import { SurfaceDomainError } from './errors.ts';
import type { SviJwParams, SviNaturalParams, SviRawParams } from './types.ts';
import { validateSviRawParams } from './validateSviParams.ts';

/**
 * Raw SVI -> natural SVI (Gatheral & Jacquier 2014, Lemma 3.3 inverted):
 * zeta = sqrt(1-rho^2)/sigma, omega = 2 b sigma / sqrt(1-rho^2), mu = m + rho sigma / sqrt(1-rho^2),
 * delta = a - b sigma sqrt(1-rho^2). Validates the raw parameters.
 */
export function sviRawToNatural(params: SviRawParams): SviNaturalParams {
  const { a, b, rho, m, sigma } = validateSviRawParams(params);
  const q = Math.sqrt(1 - rho * rho);
  return Object.freeze({
    delta: a - b * sigma * q,
    omega: (2 * b * sigma) / q,
    rho,
    mu: m + (rho * sigma) / q,
    zeta: q / sigma,
  });
}

/**
 * Natural SVI -> raw SVI (Gatheral & Jacquier 2014, Lemma 3.3):
 * a = delta + omega/2 (1 - rho^2), b = omega zeta / 2, m = mu - rho/zeta, sigma = sqrt(1-rho^2)/zeta.
 * Throws SurfaceDomainError for omega < 0, |rho| >= 1 or zeta <= 0, and validates the result.
 */
export function sviNaturalToRaw(params: SviNaturalParams): SviRawParams {
  const { delta, omega, rho, mu, zeta } = params;
  if (!Number.isFinite(delta)) throw new SurfaceDomainError('natural.delta', delta, 'must be finite');
  if (!Number.isFinite(mu)) throw new SurfaceDomainError('natural.mu', mu, 'must be finite');
  if (!(omega >= 0) || !Number.isFinite(omega)) throw new SurfaceDomainError('natural.omega', omega, 'must be finite and >= 0');
  if (!(Math.abs(rho) < 1)) throw new SurfaceDomainError('natural.rho', rho, 'must satisfy |rho| < 1');
  if (!(zeta > 0) || !Number.isFinite(zeta)) throw new SurfaceDomainError('natural.zeta', zeta, 'must be finite and > 0');
  const q = Math.sqrt(1 - rho * rho);
  const raw = Object.freeze({
    a: delta + (omega / 2) * (1 - rho * rho),
    b: (omega * zeta) / 2,
    rho,
    m: mu - rho / zeta,
    sigma: q / zeta,
  });
  return validateSviRawParams(raw, 'raw');
}

/**
 * Raw SVI -> SVI-JW for a slice of expiry t years (Gatheral & Jacquier 2014, §3.3; reference/methods.md §3.1):
 * w_t = a + b(-rho m + sqrt(m^2+sigma^2)), v = w_t/t, psi = b/(2 sqrt(w_t)) (rho - m/sqrt(m^2+sigma^2)),
 * p = b(1-rho)/sqrt(w_t), c = b(1+rho)/sqrt(w_t), vTilde = (a + b sigma sqrt(1-rho^2))/t.
 * Throws SurfaceDomainError when t <= 0 or the ATM total variance w_t is not > 0.
 */
export function sviRawToJw(params: SviRawParams, t: number): SviJwParams {
  const { a, b, rho, m, sigma } = validateSviRawParams(params);
  if (!(t > 0) || !Number.isFinite(t)) throw new SurfaceDomainError('t', t, 'expiry must be finite and > 0 years');
  const r0 = Math.sqrt(m * m + sigma * sigma);
  const wt = a + b * (-rho * m + r0);
  if (!(wt > 0)) throw new SurfaceDomainError('params', wt, 'ATM total variance w(0) must be > 0 for SVI-JW');
  const sw = Math.sqrt(wt);
  return Object.freeze({
    v: wt / t,
    psi: (b / (2 * sw)) * (rho - m / r0),
    p: (b * (1 - rho)) / sw,
    c: (b * (1 + rho)) / sw,
    vTilde: (a + b * sigma * Math.sqrt(1 - rho * rho)) / t,
  });
}

/**
 * SVI-JW -> raw SVI for a slice of expiry t years (Gatheral & Jacquier 2014, Lemma 3.2):
 * b = sqrt(w_t)/2 (c + p), rho = 1 - p sqrt(w_t)/b, beta = rho - 2 psi sqrt(w_t)/b,
 * alpha = sign(beta) sqrt(1/beta^2 - 1), m = (v - vTilde) t / (b (-rho + sign(alpha) sqrt(1+alpha^2) - alpha sqrt(1-rho^2))),
 * sigma = alpha m, a = vTilde t - b sigma sqrt(1-rho^2). When beta = 0 (m = 0) sigma is
 * (v - vTilde) t / (b (1 - sqrt(1-rho^2))). Throws SurfaceDomainError naming the JW field when the
 * inputs admit no raw SVI (v <= 0, c + p <= 0, |beta| >= 1, ...), and validates the result.
 */
export function sviJwToRaw(jw: SviJwParams, t: number): SviRawParams {
  const { v, psi, p, c, vTilde } = jw;
  if (!(t > 0) || !Number.isFinite(t)) throw new SurfaceDomainError('t', t, 'expiry must be finite and > 0 years');
  if (!(v > 0) || !Number.isFinite(v)) throw new SurfaceDomainError('jw.v', v, 'ATM variance must be finite and > 0');
  if (!(p >= 0) || !Number.isFinite(p)) throw new SurfaceDomainError('jw.p', p, 'left wing slope must be finite and >= 0');
  if (!(c >= 0) || !Number.isFinite(c)) throw new SurfaceDomainError('jw.c', c, 'right wing slope must be finite and >= 0');
  if (!(c + p > 0)) throw new SurfaceDomainError('jw.c', c, 'c + p must be > 0 (b > 0)');
  if (!Number.isFinite(psi)) throw new SurfaceDomainError('jw.psi', psi, 'must be finite');
  if (!Number.isFinite(vTilde) || vTilde > v) {
    throw new SurfaceDomainError('jw.vTilde', vTilde, 'minimum variance must be finite and <= v');
  }
  const wt = v * t;
  const sw = Math.sqrt(wt);
  const b = (sw / 2) * (c + p);
  const rho = 1 - (p * sw) / b;
  const q = Math.sqrt(1 - rho * rho);
  const beta = rho - (2 * psi * sw) / b;
  if (!(Math.abs(beta) < 1)) {
    throw new SurfaceDomainError('jw.psi', psi, `implies beta = ${beta}, outside (-1, 1)`);
  }
  let m: number;
  let sigma: number;
  if (beta === 0) {
    m = 0;
    if (!(rho !== 0 && (v - vTilde) > 0)) {
      throw new SurfaceDomainError('jw.vTilde', vTilde, 'm = 0 and sigma undetermined (rho = 0 or v = vTilde)');
    }
    sigma = ((v - vTilde) * t) / (b * (1 - q));
  } else {
    const alpha = Math.sign(beta) * Math.sqrt(1 / (beta * beta) - 1);
    m = ((v - vTilde) * t) / (b * (-rho + Math.sign(alpha) * Math.sqrt(1 + alpha * alpha) - alpha * q));
    sigma = alpha * m;
  }
  if (!(sigma > 0)) {
    throw new SurfaceDomainError('jw.vTilde', vTilde, `implies sigma = ${sigma}, must be > 0 (need vTilde < v)`);
  }
  const raw = Object.freeze({ a: vTilde * t - b * sigma * q, b, rho, m, sigma });
  return validateSviRawParams(raw, 'raw');
}
