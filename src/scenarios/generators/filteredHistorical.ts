/**
 * Filtered historical simulation (pure; Barone-Adesi et al. 1998/1999, methods.md §5.1). Returns are
 * devolatilised per asset by the model's vol model (`devolatilise`), then revolatilised to the target vol:
 * `r*_{t,i} = sigma*_i z_{t,i}` with sigma*_i the post-incident vol (default: the model's forecast
 * sigma_{T+1|T} at the as-of date; `targetVolatility` overrides it per asset, daily decimal). Every scenario uses
 * the same date for all assets (joint innovations), so the cross-asset dependence of the filtered returns is kept.
 *
 * One scenario per lookback row (`fhs:<date>`), over the MPOR h = `mpor_days`:
 * - `sqrt`: sqrt(h) sigma* z_t;
 * - `overlapping`: sigma* (z_{t-h+1} + ... + z_t) (flat vol over the horizon);
 * - `bootstrap` (seeded with `options.seed` via createRng): `bootstrap_paths` paths `fhs:path:<k>`; each of the h
 *   days draws one lookback date (uniform, with replacement, the same date for all assets), eps = sigma_d z, and
 *   the vol model updates sigma_d along the path (EWMA or GARCH recursion from sigma*).
 * Stress periods (model, panel and options) up to the as-of date are always added: `raw` -> the historical h-day
 * move (`fhs:stress:<date>`, as historical simulation), `filtered` -> like the lookback (`fhs:<date>` gains the tag).
 * Spot returns are `expm1` of the log moves; vols unchanged; weight = the row's observation weight (1 for paths).
 */
import { createRng, type RngSeed } from '../../math/index.ts';
import { ScenarioInputError, expectValid } from '../errors.ts';
import { validateFilteredHistoricalModel, type FilteredHistoricalModel } from '../models/historical.ts';
import type { HistoricalOptions } from './historical.ts';
import { buildScenarioSet } from '../buildScenarioSet.ts';
import type { ScenarioDraft, ScenarioSet } from '../types.ts';
import { NO_VOL_SHIFT } from '../volShift.ts';
import { devolatilise, nextVariance } from './devolatilise.ts';
import { type PanelWithStress, asOfIndex, columnsOf, historicalLogMoves, mergePeriods, stressRows, uniqueTags, windowWeight } from './panelRows.ts';

/** Options of {@link filteredHistoricalScenarios}. */
export interface FilteredHistoricalOptions extends HistoricalOptions {
  /** Last return date used for fitting and scenarios; default the panel's last row. */
  readonly asOf?: string;
  /** Target (post-incident) daily vol per asset; default the vol model's forecast. */
  readonly targetVolatility?: Readonly<Record<string, number>>;
  /** Seed of the bootstrap (required for `mpor_scaling: 'bootstrap'`, recorded in the set). */
  readonly seed?: RngSeed;
  /** Set id; default `filtered-historical:<asOf date>[:<seed>]`. */
  readonly id?: string;
}

/** Filtered-historical scenario set; see the module comment. */
export function filteredHistoricalScenarios(
  panel: PanelWithStress,
  model: FilteredHistoricalModel,
  options: FilteredHistoricalOptions = {},
): ScenarioSet {
  const m = expectValid(validateFilteredHistoricalModel(model), 'scenarios/filtered-historical');
  const { names, idx } = columnsOf(panel, options.underlyings);
  const n = names.length;
  const end = asOfIndex(panel, options.asOf);
  const dev = devolatilise(panel, m.vol_model, { underlyings: names, endIndex: end });
  const target = new Float64Array(n);
  names.forEach((u, k) => {
    const given = options.targetVolatility?.[u];
    if (given !== undefined && !(Number.isFinite(given) && given > 0)) throw new ScenarioInputError(`targetVolatility.${u}`, given, 'expected a positive daily vol');
    target[k] = given ?? (dev.forecast[k] as number);
  });
  const h = m.mpor_days;
  const start = Math.max(0, end - m.lookback_days + 1);
  const periods = mergePeriods(m.stress_periods, panel.stressPeriods, options.stressPeriods);
  const { byRow, counts } = stressRows(panel, periods, end);
  const volShifts = names.map(() => NO_VOL_SHIFT);
  const drafts: ScenarioDraft[] = [];
  const skipped: Array<{ date: string; reason: string }> = [];
  const z = dev.residuals;

  const filteredRow = (t: number, extraTags: readonly string[]): void => {
    const moves = new Float64Array(n);
    if (m.mpor_scaling === 'overlapping' && t - h + 1 < 0) {
      skipped.push({ date: panel.dates[t] as string, reason: `fewer than ${h} rows before it` });
      return;
    }
    for (let k = 0; k < n; k++) {
      let s = 0;
      if (m.mpor_scaling === 'overlapping') for (let q = 0; q < h; q++) s += z[(t - q) * n + k] as number;
      else s = Math.sqrt(h) * (z[t * n + k] as number);
      moves[k] = Math.expm1((target[k] as number) * s);
    }
    const date = panel.dates[t] as string;
    drafts.push({
      id: `fhs:${date}`,
      label: `filtered historical ${h}-day move, innovations of ${date}`,
      spotReturns: moves,
      volShifts,
      timeStepDays: h,
      weight: m.mpor_scaling === 'overlapping' ? windowWeight(panel, t, h) : (panel.weights[t] as number),
      tags: uniqueTags(t >= start ? ['lookback'] : [], extraTags, panel.tags[t] ?? []),
    });
  };

  if (m.mpor_scaling === 'bootstrap') {
    if (options.seed === undefined) throw new ScenarioInputError('seed', options.seed, "mpor_scaling 'bootstrap' needs a seed");
    const rng = createRng(options.seed);
    const L = end - start + 1;
    const variance = new Float64Array(n);
    for (let p = 0; p < m.bootstrap_paths; p++) {
      const sum = new Float64Array(n);
      for (let k = 0; k < n; k++) variance[k] = (target[k] as number) ** 2;
      for (let d = 0; d < h; d++) {
        const t = start + rng.nextInt(L);
        for (let k = 0; k < n; k++) {
          const eps = Math.sqrt(variance[k] as number) * (z[t * n + k] as number);
          sum[k] = (sum[k] as number) + eps;
          variance[k] = nextVariance(dev.recursions[k] as (typeof dev.recursions)[number], variance[k] as number, eps);
        }
      }
      for (let k = 0; k < n; k++) sum[k] = Math.expm1(sum[k] as number);
      drafts.push({ id: `fhs:path:${p + 1}`, label: `filtered historical bootstrap path ${p + 1} (${h} days)`, spotReturns: sum, volShifts, timeStepDays: h, weight: 1, tags: ['bootstrap'] });
    }
  } else {
    for (let t = start; t <= end; t++) {
      const stress = m.stress_scaling === 'filtered' ? (byRow.get(t) ?? []).map((s) => `stress:${s}`) : [];
      filteredRow(t, stress);
    }
  }
  // stress periods, always included
  for (const [t, list] of [...byRow.entries()].sort((a, b) => a[0] - b[0])) {
    const tags = list.map((s) => `stress:${s}`);
    const date = panel.dates[t] as string;
    if (m.stress_scaling === 'filtered') {
      if (t < start || m.mpor_scaling === 'bootstrap') filteredRow(t, tags);
      continue;
    }
    const logMoves = historicalLogMoves(panel, idx, t, h, m.mpor_scaling === 'overlapping');
    if (!logMoves.every(Number.isFinite)) {
      skipped.push({ date, reason: `stress row without a full ${h}-day window` });
      continue;
    }
    drafts.push({
      id: `fhs:stress:${date}`,
      label: `stress period ${list.join(', ')}: historical ${h}-day move ending ${date} (not filtered)`,
      spotReturns: logMoves.map(Math.expm1),
      volShifts,
      timeStepDays: h,
      weight: panel.weights[t] as number,
      tags: uniqueTags(tags, ['unfiltered'], panel.tags[t] ?? []),
    });
  }

  // realised scale of the lookback innovations, for the record
  const rmsZ = names.map((_, k) => {
    let s = 0;
    for (let t = start; t <= end; t++) s += (z[t * n + k] as number) ** 2;
    return Math.sqrt(s / (end - start + 1));
  });
  return buildScenarioSet({
    id: options.id ?? `filtered-historical:${panel.dates[end]}${options.seed === undefined ? '' : `:${String(options.seed)}`}`,
    kind: 'filtered-historical',
    modelVersion: `scenarios/filtered-historical@${m.version}`,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    underlyings: names,
    weightMeaning: 'probability',
    scenarios: drafts,
    details: {
      asOf: panel.dates[end],
      lookback: { from: panel.dates[start], to: panel.dates[end], rows: end - start + 1 },
      volModel: { ...m.vol_model },
      assets: names.map((u, k) => ({
        asset: u,
        forecastVolatility: dev.forecast[k],
        targetVolatility: target[k],
        lookbackRmsInnovation: rmsZ[k],
        recursion: { ...dev.recursions[k] },
      })),
      stressPeriods: periods.map((p) => ({ ...p, rows: counts[p.name] ?? 0 })),
      mpor: { days: h, scaling: m.mpor_scaling, ...(m.mpor_scaling === 'bootstrap' ? { paths: m.bootstrap_paths } : {}) },
      stressScaling: m.stress_scaling,
      skipped,
    },
  });
}
