/**
 * Promotion gates and the shadow comparison of a candidate (pure). Gates (recorded in the run's summary and
 * checked by promotion; a failing gate needs a reason):
 * - `surfaces-arbitrage-free`: every post-incident surface passes the independent scan (no butterfly arbitrage at
 *   the slices, no calendar arbitrage);
 * - `backtest-not-red`: no post-incident calibration's backtest is in the red traffic-light zone (and there is one);
 * - `margins-finite`: every margined account's IM and MM are finite and >= 0.
 * Shadow comparison: per account common to the candidate and the active calibration, the change of initial margin;
 * its distribution and the accounts whose margin rises by more than the threshold.
 */
import type { PipelineOutput } from './pipeline.ts';

/** One gate's result. */
export interface GateResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Evaluates the gates of a pipeline output. */
export function evaluateGates(out: PipelineOutput): GateResult[] {
  const surf = Object.entries(out.after.fits).map(([u, f]) => {
    const scan = f.arbitrage.scan;
    const bad = f.surface === null ? 'no surface' : scan === null ? 'not scanned' : scan.arbitrage ? `min g ${scan.butterfly.minG.toExponential(2)}, calendar ${scan.calendar.minRelativeDifference.toExponential(2)}` : null;
    return { u, bad };
  });
  const badSurf = surf.filter((s) => s.bad !== null);
  const post = out.backtests.filter((b) => /post/i.test(b.calibration));
  const red = post.filter((b) => b.report.tests.zone === 'red');
  const nonFinite = out.accounts.filter((a) => !(Number.isFinite(a.after.initialMarginUsd) && a.after.initialMarginUsd >= 0 && Number.isFinite(a.after.maintenanceMarginUsd) && a.after.maintenanceMarginUsd >= 0));
  return [
    { name: 'surfaces-arbitrage-free', passed: badSurf.length === 0 && surf.length > 0, detail: badSurf.length === 0 ? `${surf.map((s) => s.u).join(', ')}: no butterfly or calendar arbitrage on the independent scan` : badSurf.map((s) => `${s.u}: ${s.bad}`).join('; ') },
    { name: 'backtest-not-red', passed: post.length > 0 && red.length === 0, detail: post.length === 0 ? 'no post-incident backtest' : post.map((b) => `${b.calibration}: ${b.report.tests.zone} (${b.summary.exceptions} exceptions, ${b.summary.expectedExceptions.toFixed(1)} expected)`).join('; ') },
    { name: 'margins-finite', passed: nonFinite.length === 0, detail: nonFinite.length === 0 ? `${out.accounts.length} accounts, every IM and MM finite and >= 0` : `${nonFinite.length} accounts with a non-finite or negative margin` },
  ];
}

/** The shadow comparison against the active calibration's margins (USD). */
export interface ShadowComparison {
  readonly activeRunId: string;
  readonly accountsCompared: number;
  readonly onlyInCandidate: number;
  readonly onlyInActive: number;
  readonly totalActiveUsd: number;
  readonly totalCandidateUsd: number;
  /** Quantiles of the relative change (candidate / active - 1) over accounts with an active margin > 0. */
  readonly relativeChangeQuantiles: Readonly<Record<'p01' | 'p10' | 'p50' | 'p90' | 'p99', number>> | null;
  readonly riseThreshold: number;
  /** Accounts whose IM rises by more than the threshold, largest rise first (at most 50). */
  readonly largeRises: readonly { readonly accountId: string; readonly activeUsd: number; readonly candidateUsd: number; readonly relativeChange: number }[];
  readonly largeRiseCount: number;
}

/** Compares candidate IMs with the active run's. */
export function shadowCompare(
  activeRunId: string, active: ReadonlyMap<string, number>, candidate: ReadonlyMap<string, number>, riseThreshold = 0.25,
): ShadowComparison {
  const rel: number[] = [];
  const rises: { accountId: string; activeUsd: number; candidateUsd: number; relativeChange: number }[] = [];
  let compared = 0;
  let totalA = 0;
  let totalC = 0;
  for (const [id, c] of candidate) {
    totalC += c;
    const a = active.get(id);
    if (a === undefined) continue;
    compared++;
    if (a > 0) {
      const r = c / a - 1;
      rel.push(r);
      if (r > riseThreshold) rises.push({ accountId: id, activeUsd: a, candidateUsd: c, relativeChange: r });
    }
  }
  for (const a of active.values()) totalA += a;
  rel.sort((x, y) => x - y);
  const q = (p: number) => rel[Math.min(rel.length - 1, Math.max(0, Math.ceil(p * rel.length) - 1))] as number;
  rises.sort((x, y) => y.relativeChange - x.relativeChange || x.accountId.localeCompare(y.accountId));
  return {
    activeRunId, accountsCompared: compared,
    onlyInCandidate: [...candidate.keys()].filter((k) => !active.has(k)).length,
    onlyInActive: [...active.keys()].filter((k) => !candidate.has(k)).length,
    totalActiveUsd: totalA, totalCandidateUsd: totalC,
    relativeChangeQuantiles: rel.length === 0 ? null : { p01: q(0.01), p10: q(0.1), p50: q(0.5), p90: q(0.9), p99: q(0.99) },
    riseThreshold, largeRises: rises.slice(0, 50), largeRiseCount: rises.length,
  };
}
