/**
 * Before/after comparison of two dated surfaces of one underlying (pure), for the report and the API: per expiry
 * instant and per constant maturity, the ATM vol, 25-delta risk reversal and butterfly of each and their change,
 * and the ATM term structure. Wraps smileSummary/compareSurfaces (surface/compareSurfaces.ts) for conventions.
 */
import { MS_PER_YEAR_ACT365 } from '../../market/index.ts';
import { compareSurfaces, smileSummary, type SmileSummary } from '../compareSurfaces.ts';
import { SurfaceDomainError } from '../errors.ts';
import type { VolSurface } from '../VolSurface.ts';
import type { ChainSurfaceResult } from './types.ts';

/** A surface with the as-of instant its expiries are measured from (T = (expiry instant - asOf)/ACT365 year). */
export interface DatedSurface {
  readonly surface: VolSurface;
  /** UTC epoch ms. */
  readonly asOfMs: number;
}

/** Options of surfaceComparison. */
export interface SurfaceComparisonOptions {
  /** Constant maturities in days (ACT/365) for the term-structure rows (default 2, 7, 14, 30, 60, 90, 180, 365). */
  readonly tenorsDays?: readonly number[];
}

/** Changes after - before (null where either side is null). */
export interface SmileChange {
  readonly atmVol: number | null;
  readonly riskReversal25: number | null;
  readonly butterfly25: number | null;
}

/** One expiry instant listed in either surface. */
export interface ExpiryComparisonRow {
  readonly expiryTimestampMs: number;
  /** Years to the expiry from each as-of (null when not in the future). */
  readonly beforeExpiry: number | null;
  readonly afterExpiry: number | null;
  /** Whether each surface has a slice at this instant (otherwise its figures are interpolated in T). */
  readonly beforeListed: boolean;
  readonly afterListed: boolean;
  readonly before: SmileSummary | null;
  readonly after: SmileSummary | null;
  readonly change: SmileChange;
}

/** One constant maturity (the same T from each as-of). */
export interface TenorComparisonRow {
  readonly tenorDays: number;
  /** Years, tenorDays / 365. */
  readonly expiry: number;
  readonly before: SmileSummary;
  readonly after: SmileSummary;
  readonly change: SmileChange;
}

/** Result of surfaceComparison. */
export interface ChainSurfaceComparison {
  readonly beforeAsOfMs: number;
  readonly afterAsOfMs: number;
  /** Union of both surfaces' expiry instants, ascending. */
  readonly byExpiry: readonly ExpiryComparisonRow[];
  /** Constant maturities. */
  readonly byTenor: readonly TenorComparisonRow[];
  /** ATM vol per constant maturity: { tenorDays, expiry, before, after, change }. */
  readonly atmTermStructure: readonly { readonly tenorDays: number; readonly expiry: number; readonly before: number; readonly after: number; readonly change: number }[];
  /** The first slice of each surface (its front expiry) and the change of ATM vol between them. */
  readonly front: {
    readonly before: { readonly expiryTimestampMs: number; readonly expiry: number; readonly atmVol: number };
    readonly after: { readonly expiryTimestampMs: number; readonly expiry: number; readonly atmVol: number };
    readonly atmVolChange: number;
  };
}

/**
 * Compares `before` and `after` (fitChainSurface results or dated VolSurfaces): rows per expiry instant (each side
 * evaluated at its own time to that instant, interpolated in T when it has no slice there, null once expired), rows
 * per constant maturity (compareSurfaces at the same T), the ATM term structure and the front expiries. A result
 * without a surface raises SurfaceDomainError ('before.surface' / 'after.surface').
 */
export function surfaceComparison(
  before: DatedSurface | ChainSurfaceResult,
  after: DatedSurface | ChainSurfaceResult,
  options: SurfaceComparisonOptions = {},
): ChainSurfaceComparison {
  const b = dated(before, 'before');
  const a = dated(after, 'after');
  const tenorsDays = [...(options.tenorsDays ?? [2, 7, 14, 30, 60, 90, 180, 365])].sort((x, y) => x - y);
  tenorsDays.forEach((d, i) => {
    if (!(d > 0 && Number.isFinite(d))) throw new SurfaceDomainError(`options.tenorsDays[${i}]`, d, 'must be finite and > 0 days');
  });
  const bInstants = instants(b);
  const aInstants = instants(a);
  const all = [...new Set([...bInstants, ...aInstants])].sort((x, y) => x - y);
  const byExpiry = all.map((ts) => {
    const tb = (ts - b.asOfMs) / MS_PER_YEAR_ACT365;
    const ta = (ts - a.asOfMs) / MS_PER_YEAR_ACT365;
    const sb = tb > 0 ? smileSummary(b.surface, tb) : null;
    const sa = ta > 0 ? smileSummary(a.surface, ta) : null;
    return Object.freeze({
      expiryTimestampMs: ts,
      beforeExpiry: tb > 0 ? tb : null,
      afterExpiry: ta > 0 ? ta : null,
      beforeListed: bInstants.includes(ts),
      afterListed: aInstants.includes(ts),
      before: sb,
      after: sa,
      change: change(sb, sa),
    });
  });
  const tenors = tenorsDays.map((d) => d / 365);
  const cmp = compareSurfaces(b.surface, a.surface, { expiries: tenors });
  const byTenor = cmp.rows.map((r, i) =>
    Object.freeze({ tenorDays: tenorsDays[i] as number, expiry: r.expiry, before: r.before, after: r.after, change: change(r.before, r.after) }),
  );
  const frontOf = (s: DatedSurface, list: readonly number[]): { expiryTimestampMs: number; expiry: number; atmVol: number } => {
    const t = s.surface.expiries()[0] as number;
    return Object.freeze({ expiryTimestampMs: list[0] as number, expiry: t, atmVol: s.surface.impliedVol(t, 0) });
  };
  const fb = frontOf(b, bInstants);
  const fa = frontOf(a, aInstants);
  return Object.freeze({
    beforeAsOfMs: b.asOfMs,
    afterAsOfMs: a.asOfMs,
    byExpiry: Object.freeze(byExpiry),
    byTenor: Object.freeze(byTenor),
    atmTermStructure: Object.freeze(
      byTenor.map((r) => Object.freeze({ tenorDays: r.tenorDays, expiry: r.expiry, before: r.before.atmVol, after: r.after.atmVol, change: r.after.atmVol - r.before.atmVol })),
    ),
    front: Object.freeze({ before: fb, after: fa, atmVolChange: fa.atmVol - fb.atmVol }),
  });
}

function dated(x: DatedSurface | ChainSurfaceResult, name: string): DatedSurface {
  if (x === null || typeof x !== 'object') throw new SurfaceDomainError(name, x, 'must be a fitChainSurface result or { surface, asOfMs }');
  if (!x.surface) throw new SurfaceDomainError(`${name}.surface`, x.surface, 'no surface (the fit failed)');
  const asOfMs = x.asOfMs;
  if (typeof asOfMs !== 'number' || !Number.isFinite(asOfMs)) throw new SurfaceDomainError(`${name}.asOfMs`, asOfMs, 'must be a finite UTC epoch ms');
  return { surface: x.surface, asOfMs };
}

/** Expiry instants of a surface's slices (ms, rounded), ascending. */
function instants(s: DatedSurface): number[] {
  return s.surface.expiries().map((t) => Math.round(s.asOfMs + t * MS_PER_YEAR_ACT365));
}

function change(b: SmileSummary | null, a: SmileSummary | null): SmileChange {
  const d = (x: number | null | undefined, y: number | null | undefined): number | null => (x !== null && x !== undefined && y !== null && y !== undefined ? y - x : null);
  return Object.freeze({ atmVol: d(b?.atmVol, a?.atmVol), riskReversal25: d(b?.riskReversal25, a?.riskReversal25), butterfly25: d(b?.butterfly25, a?.butterfly25) });
}
