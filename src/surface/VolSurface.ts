import { SurfaceDomainError } from './errors.ts';
import { leeBoundedSlice, type LeeBoundedSlice } from './leeBoundedSlice.ts';
import { essviToRawSvi, ssviToRawSvi, validateEssviSlice, validateSsviParams } from './ssviTotalVariance.ts';
import type { SsviParams, SviRawParams } from './types.ts';
import { validateSviRawParams } from './validateSviParams.ts';

/** The smile model of one expiry. All three are SVI slices; SSVI and eSSVI keep their own parameters. */
export type VolSliceModel =
  | { readonly kind: 'svi'; readonly params: SviRawParams }
  | { readonly kind: 'ssvi'; readonly params: SsviParams; readonly theta: number }
  | { readonly kind: 'essvi'; readonly theta: number; readonly rho: number; readonly psi: number };

/** One expiry of a VolSurface. */
export interface VolSurfaceSlice {
  /** Expiry in years (ACT/365), > 0. */
  readonly expiry: number;
  /** Forward price of that expiry (> 0, price units of the strikes). */
  readonly forward: number;
  readonly model: VolSliceModel;
  /** Log-moneyness range of the quotes the slice was fitted to (used for Lee-bounded wings), or null. */
  readonly kRange: readonly [number, number] | null;
}

/** Input slice of VolSurface.create (kRange optional). */
export interface VolSurfaceSliceInput {
  readonly expiry: number;
  readonly forward: number;
  readonly model: VolSliceModel;
  readonly kRange?: readonly [number, number] | null;
}

/** JSON form of a VolSurface (VolSurface.toJSON / VolSurface.fromJSON). */
export interface VolSurfaceJson {
  readonly format: 'aftershock.vol-surface';
  readonly version: 1;
  readonly spot: number | null;
  readonly slices: readonly VolSurfaceSlice[];
}

/**
 * Immutable implied-volatility surface built from per-expiry SVI/SSVI/eSSVI slices (DESIGN.md §5).
 *
 * Conventions: T in years (ACT/365); k = ln(K/F(T)); total variance w = sigma^2 T; vols annualised decimals.
 * - Each slice is evaluated as raw SVI with Lee-bounded wings (leeBoundedSlice): beyond the fitted range, a wing
 *   whose asymptotic slope exceeds 2 continues along its tangent.
 * - Between expiries, total variance is interpolated linearly in T at fixed log-moneyness k:
 *   w(T, k) = w_i(k) + (T - T_i)/(T_{i+1} - T_i) (w_{i+1}(k) - w_i(k)); this is non-decreasing in T at every k
 *   when the slices are free of calendar arbitrage.
 * - Outside [T_1, T_N] the implied vol at fixed k is held flat: w(T, k) = w_1(k) T/T_1 for T < T_1 and
 *   w_N(k) T/T_N for T > T_N (so w(0, k) = 0).
 * - Forwards: ln F is interpolated linearly in T between expiries (constant carry); before T_1 towards ln(spot)
 *   at T = 0 when a spot was given, else flat F_1; after T_N extrapolated with the carry of the last two expiries
 *   (flat with a single expiry).
 */
export class VolSurface {
  readonly #slices: readonly VolSurfaceSlice[];
  readonly #evaluators: readonly LeeBoundedSlice[];
  readonly #expiries: readonly number[];
  readonly #logForwards: readonly number[];
  readonly #spot: number | null;

  private constructor(slices: readonly VolSurfaceSlice[], spot: number | null) {
    this.#slices = slices;
    this.#spot = spot;
    this.#expiries = Object.freeze(slices.map((s) => s.expiry));
    this.#logForwards = Object.freeze(slices.map((s) => Math.log(s.forward)));
    this.#evaluators = Object.freeze(slices.map((s) => leeBoundedSlice(sliceRawParams(s.model), s.kRange)));
    Object.freeze(this);
  }

  /**
   * Builds a surface from slices in any order (sorted by expiry). Throws SurfaceDomainError naming the field
   * (`slices[i].expiry`, `slices[i].forward`, `slices[i].model.params.rho`, ...) for an empty list, a duplicate
   * or non-positive expiry, a non-positive forward, invalid model parameters or a bad kRange; `spot` must be > 0.
   */
  static create(slices: readonly VolSurfaceSliceInput[], options: { readonly spot?: number | null } = {}): VolSurface {
    if (!Array.isArray(slices) || slices.length === 0) throw new SurfaceDomainError('slices', slices, 'must be a non-empty array');
    const spot = options.spot ?? null;
    if (spot !== null && !(spot > 0 && Number.isFinite(spot))) throw new SurfaceDomainError('spot', spot, 'must be finite and > 0');
    const normalised = slices.map((s, i) => normaliseSlice(s, `slices[${i}]`));
    const order = normalised.map((_, i) => i).sort((p, q) => (normalised[p] as VolSurfaceSlice).expiry - (normalised[q] as VolSurfaceSlice).expiry);
    for (let j = 1; j < order.length; j++) {
      const prev = normalised[order[j - 1] as number] as VolSurfaceSlice;
      const cur = normalised[order[j] as number] as VolSurfaceSlice;
      if (cur.expiry === prev.expiry) throw new SurfaceDomainError(`slices[${order[j]}].expiry`, cur.expiry, 'duplicate expiry');
    }
    return new VolSurface(Object.freeze(order.map((i) => normalised[i] as VolSurfaceSlice)), spot);
  }

  /** Rebuilds a surface from VolSurface.toJSON output (or its JSON.parse); validates like create. */
  static fromJSON(json: unknown): VolSurface {
    if (json === null || typeof json !== 'object') throw new SurfaceDomainError('json', json, 'must be an object');
    const j = json as Partial<VolSurfaceJson>;
    if (j.format !== 'aftershock.vol-surface') throw new SurfaceDomainError('json.format', j.format, "must be 'aftershock.vol-surface'");
    if (j.version !== 1) throw new SurfaceDomainError('json.version', j.version, 'unsupported version (expected 1)');
    if (!Array.isArray(j.slices)) throw new SurfaceDomainError('json.slices', j.slices, 'must be an array');
    return VolSurface.create(j.slices, { spot: j.spot ?? null });
  }

  /** Expiries in years, increasing. */
  expiries(): readonly number[] {
    return this.#expiries;
  }

  /** The slices (expiry, forward, model parameters, kRange), sorted by expiry; frozen. */
  parameters(): readonly VolSurfaceSlice[] {
    return this.#slices;
  }

  /** Spot used for forward interpolation before the first expiry (null when none was given). */
  spot(): number | null {
    return this.#spot;
  }

  /** Plain JSON-serialisable form (see VolSurfaceJson). */
  toJSON(): VolSurfaceJson {
    return Object.freeze({ format: 'aftershock.vol-surface' as const, version: 1 as const, spot: this.#spot, slices: this.#slices });
  }

  /** Forward F(T) in price units (interpolation rules in the class comment; exact at the slices' expiries). Throws for T < 0 or NaN. */
  forward(expiry: number): number {
    checkExpiry(expiry);
    const ts = this.#expiries;
    const lf = this.#logForwards;
    const n = ts.length;
    const t1 = ts[0] as number;
    if (expiry === t1 || (expiry < t1 && this.#spot === null)) return (this.#slices[0] as VolSurfaceSlice).forward;
    if (expiry < t1) {
      const spot = this.#spot as number;
      const ls = Math.log(spot);
      return Math.exp(ls + ((lf[0] as number) - ls) * (expiry / t1));
    }
    if (n === 1) return (this.#slices[0] as VolSurfaceSlice).forward;
    let i = upperIndex(ts, expiry);
    if (i >= n) i = n - 1;
    const ta = ts[i - 1] as number;
    if (expiry === ta) return (this.#slices[i - 1] as VolSurfaceSlice).forward;
    const tb = ts[i] as number;
    if (expiry === tb) return (this.#slices[i] as VolSurfaceSlice).forward;
    const u = (expiry - ta) / (tb - ta);
    return Math.exp((lf[i - 1] as number) + u * ((lf[i] as number) - (lf[i - 1] as number)));
  }

  /** Total implied variance w(T, k) at expiry T (years, >= 0) and log-forward moneyness k = ln(K/F(T)). */
  totalVariance(expiry: number, k: number): number {
    checkExpiry(expiry);
    if (Number.isNaN(k)) return Number.NaN;
    if (expiry === 0) return 0;
    const ts = this.#expiries;
    const ev = this.#evaluators;
    const n = ts.length;
    const t1 = ts[0] as number;
    const tn = ts[n - 1] as number;
    if (expiry <= t1) return ((ev[0] as LeeBoundedSlice).totalVariance(k) * expiry) / t1;
    if (expiry >= tn) return ((ev[n - 1] as LeeBoundedSlice).totalVariance(k) * expiry) / tn;
    const i = upperIndex(ts, expiry);
    const ta = ts[i - 1] as number;
    const tb = ts[i] as number;
    const wa = (ev[i - 1] as LeeBoundedSlice).totalVariance(k);
    if (expiry === ta) return wa;
    const wb = (ev[i] as LeeBoundedSlice).totalVariance(k);
    return wa + ((expiry - ta) / (tb - ta)) * (wb - wa);
  }

  /** Implied vol (annualised decimal) at expiry T > 0 and log-forward moneyness k. */
  impliedVol(expiry: number, k: number): number {
    if (!(expiry > 0)) throw new SurfaceDomainError('expiry', expiry, 'must be > 0 years for an implied vol');
    return Math.sqrt(Math.max(this.totalVariance(expiry, k), 0) / expiry);
  }

  /** Implied vol (annualised decimal) at expiry T > 0 (years) and strike K > 0 in price units: k = ln(K/F(T)). */
  vol(expiry: number, strike: number): number {
    if (!(strike > 0) || !Number.isFinite(strike)) throw new SurfaceDomainError('strike', strike, 'must be finite and > 0');
    return this.impliedVol(expiry, Math.log(strike / this.forward(expiry)));
  }
}

/** Raw SVI form of a slice model (parameters assumed validated). */
export function sliceRawParams(model: VolSliceModel): SviRawParams {
  if (model.kind === 'svi') return model.params;
  if (model.kind === 'ssvi') return ssviToRawSvi(model.params, model.theta);
  return essviToRawSvi({ theta: model.theta, rho: model.rho, psi: model.psi });
}

function checkExpiry(expiry: number): void {
  if (!(expiry >= 0) || !Number.isFinite(expiry)) throw new SurfaceDomainError('expiry', expiry, 'must be finite and >= 0 years');
}

/** Smallest index i with ts[i] > t (ts increasing), ts.length when none; callers ensure ts[0] < t. */
function upperIndex(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ts[mid] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function normaliseSlice(s: VolSurfaceSliceInput, field: string): VolSurfaceSlice {
  if (s === null || typeof s !== 'object') throw new SurfaceDomainError(field, s, 'must be an object');
  if (!(s.expiry > 0) || !Number.isFinite(s.expiry)) throw new SurfaceDomainError(`${field}.expiry`, s.expiry, 'must be finite and > 0 years');
  if (!(s.forward > 0) || !Number.isFinite(s.forward)) throw new SurfaceDomainError(`${field}.forward`, s.forward, 'must be finite and > 0');
  const model = normaliseModel(s.model, `${field}.model`);
  let kRange: readonly [number, number] | null = null;
  if (s.kRange !== undefined && s.kRange !== null) {
    const [lo, hi] = s.kRange;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      throw new SurfaceDomainError(`${field}.kRange`, s.kRange, 'must be [kMin, kMax] with finite kMin < kMax');
    }
    kRange = Object.freeze([lo, hi] as const);
  }
  return Object.freeze({ expiry: s.expiry, forward: s.forward, model, kRange });
}

function normaliseModel(model: VolSliceModel, field: string): VolSliceModel {
  if (model === null || typeof model !== 'object') throw new SurfaceDomainError(field, model, 'must be an object');
  if (model.kind === 'svi') {
    const { a, b, rho, m, sigma } = model.params ?? ({} as SviRawParams);
    const params = Object.freeze({ a, b, rho, m, sigma });
    validateSviRawParams(params, `${field}.params`);
    return Object.freeze({ kind: 'svi' as const, params });
  }
  if (model.kind === 'ssvi') {
    const p = model.params;
    validateSsviParams(p, `${field}.params`);
    const params: SsviParams = p.phi === 'heston-like'
      ? Object.freeze({ rho: p.rho, lambda: p.lambda, phi: 'heston-like' as const })
      : Object.freeze({ rho: p.rho, eta: p.eta, gamma: p.gamma, phi: p.phi ?? 'power-law' });
    if (!(model.theta > 0) || !Number.isFinite(model.theta)) throw new SurfaceDomainError(`${field}.theta`, model.theta, 'must be finite and > 0');
    return Object.freeze({ kind: 'ssvi' as const, params, theta: model.theta });
  }
  if (model.kind === 'essvi') {
    validateEssviSlice(model, field);
    return Object.freeze({ kind: 'essvi' as const, theta: model.theta, rho: model.rho, psi: model.psi });
  }
  throw new SurfaceDomainError(`${field}.kind`, (model as { kind?: unknown }).kind, "must be 'svi', 'ssvi' or 'essvi'");
}
