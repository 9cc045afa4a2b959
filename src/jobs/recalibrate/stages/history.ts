/**
 * History stage (pure): the daily log-return panels the later stages read, with the incident window treated per the
 * incident policy (exclude / keep-as-stress / downweight), gaps dropped and reported:
 * - `underlyingPanel`: the recalibrated underlyings only (BTC, ETH: 2017-), for scenarios, haircut vols and backtests;
 * - `crossPanel`: every asset with a daily history (the nine fixture assets: from the youngest one's start), for the
 *   correlation matrices.
 * Correlation: EWMA covariance (methodology lambda, sample-initialised) of the cross panel up to the pre-incident
 * date and up to the post-incident date, converted to correlation and passed through the nearest-correlation repair
 * (an EWMA matrix is PSD up to rounding; the repair distance is reported and is ~1e-16 then).
 */
import {
  correlationFromCovariance, ewmaCovariance, nearestCorrelation,
} from '../../../correlation/index.ts';
import { alignLogReturns, type AlignedReturns } from '../../../market/returns/index.ts';
import type { PriceSeries } from '../../../market/index.ts';
import { incidentWindowTreatment, type Incident, type IncidentPolicyModel } from '../../../scenarios/index.ts';

/** One correlation matrix with its details. */
export interface CorrelationEstimate {
  readonly asOf: string;
  readonly assets: readonly string[];
  /** Row-major n x n. */
  readonly matrix: Float64Array;
  readonly rows: number;
  readonly repairDistance: number;
}

/** Output of the history stage. */
export interface HistoryStage {
  readonly underlyingPanel: AlignedReturns;
  readonly crossPanel: AlignedReturns;
  readonly preAsOf: string;
  readonly postAsOf: string;
  readonly correlationBefore: CorrelationEstimate;
  readonly correlationAfter: CorrelationEstimate;
  readonly windowTreatment: string;
}

const DAY = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The last panel date <= `date`, or throws. */
function lastRowAtOrBefore(panel: AlignedReturns, date: string, what: string): number {
  let t = -1;
  for (let i = 0; i < panel.dates.length; i++) if ((panel.dates[i] as string) <= date) t = i;
  if (t < 0) throw new Error(`no daily return on or before ${date} for the ${what}`);
  return t;
}

function correlationAt(panel: AlignedReturns, endRow: number, lambda: number): CorrelationEstimate {
  const n = panel.assets.length;
  const rows: Float64Array[] = [];
  for (let t = 0; t <= endRow; t++) rows.push(panel.returns.subarray(t * n, (t + 1) * n));
  const corr = correlationFromCovariance(ewmaCovariance(rows, { lambda, init: 'sample' }));
  const repaired = nearestCorrelation(corr);
  const matrix = new Float64Array(n * n);
  repaired.matrix.forEach((row, i) => row.forEach((v, j) => { matrix[i * n + j] = v; }));
  return Object.freeze({ asOf: panel.dates[endRow] as string, assets: panel.assets, matrix, rows: endRow + 1, repairDistance: repaired.distance });
}

/**
 * Builds the panels and correlations. Pre-incident date = the day before the incident starts; post-incident date =
 * the day before the after snapshot (the last complete daily close it could see).
 */
export function buildHistory(
  series: readonly PriceSeries[], incident: Incident, policy: IncidentPolicyModel, underlyings: readonly string[],
  afterSnapshotMs: number, lambda: number,
): HistoryStage {
  const window = incidentWindowTreatment(incident, policy);
  const underlyingPanel = alignLogReturns(series, { gaps: 'drop-row', assets: underlyings, windows: [window] });
  const crossPanel = alignLogReturns(series, { gaps: 'drop-row', windows: [window] });
  const preAsOf = underlyingPanel.dates[lastRowAtOrBefore(underlyingPanel, isoDate(incident.startedAtMs - DAY), 'pre-incident date')] as string;
  const postAsOf = underlyingPanel.dates[lastRowAtOrBefore(underlyingPanel, isoDate(afterSnapshotMs - DAY), 'post-incident date')] as string;
  const correlationBefore = correlationAt(crossPanel, lastRowAtOrBefore(crossPanel, preAsOf, 'correlation'), lambda);
  const correlationAfter = correlationAt(crossPanel, lastRowAtOrBefore(crossPanel, postAsOf, 'correlation'), lambda);
  return Object.freeze({ underlyingPanel, crossPanel, preAsOf, postAsOf, correlationBefore, correlationAfter, windowTreatment: window.treatment });
}
