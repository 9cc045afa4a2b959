/**
 * Report stage (pure): maps the pipeline's results into the report layer's input (src/report/model/input.ts):
 * smiles before/after per expiry with the cleaned quotes and the fitted smile, the ATM term structure with 25-delta
 * risk reversal and butterfly, the correlation pair, the venue book's P&L over the post-incident scenarios, every
 * account's margin before/after with its call and attribution, and the backtests.
 */
import { MS_PER_YEAR_ACT365, type OptionQuote } from '../../../market/index.ts';
import type { QuoteWithIv } from '../../../market/iv/index.ts';
import type {
  AccountAttributionInput, AccountMarginInput, BacktestInput, CorrelationInput, ReportExpirySmile, ReportProvenance,
  ReportSmileSide, ReportTermPoint, ScenarioPnlInput, SurfaceInput,
} from '../../../report/index.ts';
import { smileSummary, type VolSurface } from '../../../surface/index.ts';
import type { CorrelationEstimate } from './history.ts';
import type { AccountResult } from './margins.ts';
import type { SideMarket } from './surfaces.ts';

const cents = (x: number): number => Math.round(x * 100) / 100;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function wings(surface: VolSurface | undefined, T: number): { atm: number | null; rr: number | null; bf: number | null } {
  if (surface === undefined || !(T > 0)) return { atm: null, rr: null, bf: null };
  const s = smileSummary(surface, T);
  return { atm: Number.isFinite(s.atmVol) ? s.atmVol : null, rr: s.riskReversal25, bf: s.butterfly25 };
}

function side(m: SideMarket, u: string, expiryMs: number): ReportSmileSide | null {
  const fit = m.fits[u];
  const slice = fit?.slices.find((s) => s.expiryTimestampMs === expiryMs);
  if (fit === undefined || slice === undefined || fit.surface === null) return null;
  const quotes = ((m.quotes[u] ?? []) as readonly (OptionQuote & Partial<QuoteWithIv>)[])
    .filter((q) => q.expiryTimestampMs === expiryMs && typeof q.ivMid === 'number' && Number.isFinite(q.ivMid))
    .map((q) => ({ strike: q.strike, k: Math.log(q.strike / q.forward), bidVol: q.ivBid ?? null, askVol: q.ivAsk ?? null, midVol: q.ivMid as number }))
    .sort((a, b) => a.strike - b.strike);
  const [lo, hi] = slice.kRange ?? [-0.5, 0.5];
  const pad = 0.1 * (hi - lo) + 0.05;
  const fitPoints = [];
  for (let i = 0; i <= 40; i++) {
    const k = lo - pad + ((hi - lo + 2 * pad) * i) / 40;
    const vol = fit.surface.impliedVol(slice.expiry, k);
    if (Number.isFinite(vol)) fitPoints.push({ k, strike: slice.forward * Math.exp(k), vol });
  }
  return { forward: slice.forward, quotes, fit: fitPoints };
}

/** Smiles and term structure per underlying. */
export function surfaceInputs(before: SideMarket, after: SideMarket, underlyings: readonly string[]): SurfaceInput[] {
  return underlyings.flatMap((u) => {
    const expiries = new Set<number>();
    for (const m of [before, after]) for (const s of m.fits[u]?.slices ?? []) expiries.add(s.expiryTimestampMs);
    if (expiries.size === 0) return [];
    const sorted = [...expiries].sort((a, b) => a - b);
    const smiles: ReportExpirySmile[] = [];
    const term: ReportTermPoint[] = [];
    for (const e of sorted) {
      const b = side(before, u, e);
      const a = side(after, u, e);
      const tAfter = (e - after.asOfMs) / MS_PER_YEAR_ACT365;
      const tBefore = (e - before.asOfMs) / MS_PER_YEAR_ACT365;
      const timeYears = a !== null ? tAfter : tBefore;
      smiles.push({ expiry: isoDate(e), timeYears, before: b, after: a });
      const wb = b === null ? { atm: null, rr: null, bf: null } : wings(before.fits[u]?.surface ?? undefined, tBefore);
      const wa = a === null ? { atm: null, rr: null, bf: null } : wings(after.fits[u]?.surface ?? undefined, tAfter);
      term.push({ expiry: isoDate(e), timeYears, atmVolBefore: wb.atm, atmVolAfter: wa.atm, rr25Before: wb.rr, rr25After: wa.rr, bf25Before: wb.bf, bf25After: wa.bf });
    }
    return [{ underlying: u, expiries: smiles, termStructure: term }];
  });
}

/** The correlation pair as nested rows. */
export function correlationInput(before: CorrelationEstimate, after: CorrelationEstimate, label: string): CorrelationInput {
  const n = before.assets.length;
  const rows = (m: Float64Array) => Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)));
  return { label, assets: before.assets, before: rows(before.matrix), after: rows(after.matrix) };
}

/** The venue book's and each desk's P&L over the post scenarios (sums of the accounts' vectors). */
export function scenarioPnlInputs(results: readonly AccountResult[], setId: string, cols: number): ScenarioPnlInput[] {
  const total = new Float64Array(cols);
  const desks = new Map<string, Float64Array>();
  for (const r of results) {
    const d = desks.get(r.desk) ?? new Float64Array(cols);
    desks.set(r.desk, d);
    for (let j = 0; j < cols; j++) {
      total[j] = (total[j] as number) + (r.postPnl[j] as number);
      d[j] = (d[j] as number) + (r.postPnl[j] as number);
    }
  }
  return [{ scenarioSet: setId, portfolio: 'venue book', values: total },
    ...[...desks.keys()].sort().map((k) => ({ scenarioSet: setId, portfolio: `desk ${k}`, values: desks.get(k) as Float64Array }))];
}

/** Account margins and attributions. */
export function accountInputs(results: readonly AccountResult[]): { accounts: AccountMarginInput[]; attributions: AccountAttributionInput[] } {
  return {
    // before/after to the cent, as the attribution's effects are (they then sum to after - before exactly)
    accounts: results.map((r) => ({ accountId: r.accountId, desk: r.desk, before: cents(r.before.initialMarginUsd), after: cents(r.after.initialMarginUsd), marginCall: cents(r.call.callAmountUsd) })),
    attributions: results.map((r) => ({
      accountId: r.accountId,
      effects: r.change.effects.map((e) => ({ name: e.name, amount: e.amountUsd })),
      worstScenario: { name: r.worstScenario?.id ?? 'none', pnl: r.worstScenario?.pnlUsd ?? 0 },
      drivers: r.drivers.map((d) => ({ instrument: d.instrument, pnl: d.pnlUsd })),
    })),
  };
}

export type { ReportProvenance, BacktestInput };
