/**
 * Historical simulation (pure, deterministic): one joint scenario per return row of the lookback (the last
 * `lookback_days` rows up to the as-of date), plus every row of the named stress periods up to the as-of date even
 * when outside the lookback (a row in both appears once, with both tags). All underlyings move by their returns
 * of the same date, so the cross-sectional dependence of the data is kept.
 *
 * A scenario's move over the MPOR h = `mpor_days`: `sqrt` -> sqrt(h) x the row's log return; `overlapping` -> the
 * sum of the h log returns ending at the row (rows without h predecessors are skipped). Spot returns are
 * `expm1` of that log return. Vols are unchanged (no implied-vol history is used here). Rows with a NaN cell in a
 * selected underlying are skipped and listed in `details.skipped`. `weight` = the smallest observation weight of
 * the rows used (downweighted incident rows keep their weight); tags: `lookback`, `stress:<name>`, and the panel's
 * row tags.
 */
import { ScenarioInputError, expectValid } from '../errors.ts';
import { validateHistoricalModel, type HistoricalModel, type NamedPeriod } from '../models/historical.ts';
import { buildScenarioSet } from '../buildScenarioSet.ts';
import type { ScenarioDraft, ScenarioSet } from '../types.ts';
import { NO_VOL_SHIFT } from '../volShift.ts';
import { type PanelWithStress, asOfIndex, columnsOf, historicalLogMoves, mergePeriods, stressRows, uniqueTags, windowWeight } from './panelRows.ts';

/** Options of {@link historicalScenarios}. */
export interface HistoricalOptions {
  /** Columns (and order) to use; default every asset of the panel. */
  readonly underlyings?: readonly string[];
  /** Last return date usable (`YYYY-MM-DD`); default the panel's last row. Later rows are never used. */
  readonly asOf?: string;
  /** Stress periods in addition to the model's and the panel's own (`AlignedReturns.stressPeriods`). */
  readonly stressPeriods?: readonly NamedPeriod[];
  /** Set id; default `historical:<asOf date>`. */
  readonly id?: string;
}

/** Historical-simulation scenario set; see the module comment. */
export function historicalScenarios(
  panel: PanelWithStress,
  model: HistoricalModel,
  options: HistoricalOptions = {},
): ScenarioSet {
  const m = expectValid(validateHistoricalModel(model), 'scenarios/historical');
  const { names, idx } = columnsOf(panel, options.underlyings);
  const end = asOfIndex(panel, options.asOf);
  const start = Math.max(0, end - m.lookback_days + 1);
  const periods = mergePeriods(m.stress_periods, panel.stressPeriods, options.stressPeriods);
  const { byRow, counts } = stressRows(panel, periods, end);
  const rows = new Set<number>();
  for (let t = start; t <= end; t++) rows.add(t);
  for (const t of byRow.keys()) rows.add(t);
  const h = m.mpor_days;
  const overlapping = m.mpor_scaling === 'overlapping';
  const drafts: ScenarioDraft[] = [];
  const skipped: Array<{ date: string; reason: string }> = [];
  const volShifts = names.map(() => NO_VOL_SHIFT);
  for (const t of [...rows].sort((a, b) => a - b)) {
    const date = panel.dates[t] as string;
    const logMoves = historicalLogMoves(panel, idx, t, h, overlapping);
    const missing = logMoves.findIndex(Number.isNaN);
    if (missing >= 0) {
      skipped.push({ date, reason: t - h + 1 < 0 && overlapping ? `fewer than ${h} rows before it` : `no return for ${names[missing]}` });
      continue;
    }
    const moves = logMoves.map(Math.expm1);
    const stress = byRow.get(t) ?? [];
    drafts.push({
      id: `hs:${date}`,
      label: `historical ${h}-day move ending ${date}${stress.length > 0 ? ` (stress: ${stress.join(', ')})` : ''}`,
      spotReturns: moves,
      volShifts,
      timeStepDays: h,
      weight: m.mpor_scaling === 'overlapping' ? windowWeight(panel, t, h) : (panel.weights[t] as number),
      tags: uniqueTags(t >= start ? ['lookback'] : [], stress.map((s) => `stress:${s}`), panel.tags[t] ?? []),
    });
  }
  if (drafts.length === 0) {
    throw new ScenarioInputError('asOf', panel.dates[end], `no ${h}-day window fits the ${end + 1} rows of history up to this date (mpor_days ${m.mpor_days}, ${m.mpor_scaling})`);
  }
  return buildScenarioSet({
    id: options.id ?? `historical:${panel.dates[end]}`,
    kind: 'historical',
    modelVersion: `scenarios/historical@${m.version}`,
    underlyings: names,
    weightMeaning: 'probability',
    scenarios: drafts,
    details: {
      asOf: panel.dates[end],
      lookback: { from: panel.dates[start], to: panel.dates[end], rows: end - start + 1 },
      stressPeriods: periods.map((p) => ({ ...p, rows: counts[p.name] ?? 0 })),
      mpor: { days: h, scaling: m.mpor_scaling },
      skipped,
    },
  });
}
