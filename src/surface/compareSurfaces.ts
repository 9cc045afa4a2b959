import { brentRoot, normInv } from '../math/index.ts';
import type { VolSurface } from './VolSurface.ts';

/** Smile summary of one expiry of a surface (vols annualised decimals, strikes in price units). */
export interface SmileSummary {
  readonly expiry: number;
  readonly forward: number;
  /** Implied vol at the forward (k = 0). */
  readonly atmVol: number;
  /** 25-delta risk reversal sigma(25D call) - sigma(25D put); null when a 25-delta strike could not be bracketed. */
  readonly riskReversal25: number | null;
  /** 25-delta butterfly (sigma(25D call) + sigma(25D put))/2 - sigma_ATM; null as above. */
  readonly butterfly25: number | null;
  readonly call25Strike: number | null;
  readonly put25Strike: number | null;
  readonly call25Vol: number | null;
  readonly put25Vol: number | null;
}

/**
 * ATM vol, 25-delta risk reversal and butterfly of a surface at expiry T (years > 0). Deltas are Black-76
 * forward (undiscounted) deltas with the smile vol at the strike: call N(d1) = 0.25, put N(d1) - 1 = -0.25,
 * d1 = -k/sqrt(w(k)) + sqrt(w(k))/2; each 25-delta log-moneyness is found by Brent's bracketing root finder on
 * d1(k) - N^-1(target), bracket expanded geometrically from +-sqrt(w_ATM) up to +-60 sqrt(w_ATM) + 5. ATM is the
 * forward (k = 0), not delta-neutral. The butterfly is the "smile strangle" convention (average of the two
 * 25-delta vols minus ATM), not the broker-quoted market strangle.
 */
export function smileSummary(surface: VolSurface, expiry: number): SmileSummary {
  const forward = surface.forward(expiry);
  const atmVol = surface.impliedVol(expiry, 0);
  const wAtm = surface.totalVariance(expiry, 0);
  const d1 = (k: number): number => {
    const sw = Math.sqrt(surface.totalVariance(expiry, k));
    return -k / sw + sw / 2;
  };
  const solve = (target: number, side: 1 | -1): number | null => {
    const z = normInv(target);
    const f = (k: number): number => d1(k) - z;
    let inner = 0;
    let step = Math.max(Math.sqrt(wAtm), 1e-4);
    const limit = 60 * Math.sqrt(wAtm) + 5;
    // f(0) = sqrt(w)/2 - z; the root lies on the side where f changes sign
    while (Math.abs(inner) < limit) {
      const outer = inner + side * step;
      if (f(inner) * f(outer) <= 0) {
        const r = brentRoot(f, Math.min(inner, outer), Math.max(inner, outer), { absTol: 1e-13 });
        return r.converged ? r.x : null;
      }
      inner = outer;
      step *= 1.6;
    }
    return null;
  };
  // call: N(d1) = 0.25 -> d1 = -0.674 (k > 0 side typically); put: N(d1) = 0.75 -> d1 = +0.674 (k < 0 side)
  const kCall = solve(0.25, 1) ?? solve(0.25, -1);
  const kPut = solve(0.75, -1) ?? solve(0.75, 1);
  const callVol = kCall === null ? null : surface.impliedVol(expiry, kCall);
  const putVol = kPut === null ? null : surface.impliedVol(expiry, kPut);
  const both = callVol !== null && putVol !== null;
  return Object.freeze({
    expiry,
    forward,
    atmVol,
    riskReversal25: both ? callVol - putVol : null,
    butterfly25: both ? 0.5 * (callVol + putVol) - atmVol : null,
    call25Strike: kCall === null ? null : forward * Math.exp(kCall),
    put25Strike: kPut === null ? null : forward * Math.exp(kPut),
    call25Vol: callVol,
    put25Vol: putVol,
  });
}

/** One row of compareSurfaces. */
export interface SurfaceComparisonRow {
  readonly expiry: number;
  readonly before: SmileSummary;
  readonly after: SmileSummary;
  /** after - before for atmVol, riskReversal25, butterfly25 (null where either side is null). */
  readonly change: {
    readonly atmVol: number;
    readonly riskReversal25: number | null;
    readonly butterfly25: number | null;
  };
}

/** Result of compareSurfaces. */
export interface SurfaceComparison {
  readonly rows: readonly SurfaceComparisonRow[];
  /** ATM term structure of both surfaces at the compared expiries: { expiry, before, after } ATM vols. */
  readonly atmTermStructure: readonly { readonly expiry: number; readonly before: number; readonly after: number }[];
}

/**
 * Compares two surfaces (e.g. before and after an incident) at the given expiries (default: the union of both
 * surfaces' expiries, sorted): per expiry the ATM vol, 25-delta risk reversal and butterfly of each (smileSummary)
 * and their change, plus the ATM term structure.
 */
export function compareSurfaces(before: VolSurface, after: VolSurface, options: { readonly expiries?: readonly number[] } = {}): SurfaceComparison {
  const expiries = options.expiries
    ? [...options.expiries].sort((a, b) => a - b)
    : [...new Set([...before.expiries(), ...after.expiries()])].sort((a, b) => a - b);
  const rows = expiries.map((expiry) => {
    const b = smileSummary(before, expiry);
    const a = smileSummary(after, expiry);
    return Object.freeze({
      expiry,
      before: b,
      after: a,
      change: Object.freeze({
        atmVol: a.atmVol - b.atmVol,
        riskReversal25: a.riskReversal25 !== null && b.riskReversal25 !== null ? a.riskReversal25 - b.riskReversal25 : null,
        butterfly25: a.butterfly25 !== null && b.butterfly25 !== null ? a.butterfly25 - b.butterfly25 : null,
      }),
    });
  });
  return Object.freeze({
    rows: Object.freeze(rows),
    atmTermStructure: Object.freeze(rows.map((r) => Object.freeze({ expiry: r.expiry, before: r.before.atmVol, after: r.after.atmVol }))),
  });
}
