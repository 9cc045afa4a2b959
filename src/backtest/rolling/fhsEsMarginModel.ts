/**
 * The FHS expected-shortfall margin as a backtest margin model (pure, USD). At date t, from the view only:
 *
 * 1. rows carrying an `excludeTags` tag are dropped (e.g. an incident window excluded by the policy);
 * 2. the last `lookbackRows + warmupRows` kept rows are devolatilised per asset by `volModel` (src/scenarios
 *    `devolatilise` over the src/correlation EWMA/GARCH recursions; EWMA seeded on its `seed_rows`);
 * 3. one 1-day FHS scenario per lookback row s: r*_u = sigma_u(t+1|t) z_u(s) (same date for every asset), book
 *    P&L_s = sum_u P_u(r*_u) over the book's underlyings (./bookPnl.ts: E_u expm1(r*_u) for a linear book,
 *    R_u(expm1(r*_u)) for a response book); the add-ons get the book's delta-equivalent exposures;
 * 4. stress observations seen so far (`stress`: tagged rows, named periods), as raw 1-day moves: with APC
 *    'stressed-weight' they are the stressed P&L vector (no stress row yet: the current vector, so the APC has no
 *    effect); otherwise they are appended to the scenario vector ("always included");
 * 5. `fhsEsMargin` (src/risk/margin/fhsEs) turns the vector into ES at the MPOR, APC (the buffer is released
 *    against the previous date's APC margin), liquidity and concentration add-ons;
 * 6. with `residualAddOn`, the incident residual-risk add-on (src/risk/margin/addOns) from the close of t on
 *    (rate 0 before the incident starts, decaying after): base per affected underlying = the ES at the MPOR of
 *    that underlying's sub-book over the same scenarios.
 *
 * Forecasts for the ES test: ES = the ES at the MPOR of step 5 (before APC and add-ons), VaR = the VaR of the same
 * vector at the same confidence with the same MPOR scaling. The close of date t is the next midnight UTC.
 *
 * MPOR with `mpor_scaling: 'sqrt'` (`mporScaling` option): 'pnl' (default, the released model's rule) scales the ES
 * of the 1-day P&L vector by sqrt(h); 'moves' scales every scenario's log moves (stress rows included) by sqrt(h),
 * revalues the book there and takes the ES of that MPOR vector unscaled (the model with `mpor_scaling: 'none'`).
 * They agree to first order for a linear book; for an option book only 'moves' keeps the convexity at the MPOR
 * (sqrt(h) x a 1-day short-gamma loss understates the loss of a sqrt(h) larger move).
 */
import { MS_PER_DAY, parseDateOnlyUtc } from '../../market/index.ts';
import {
  fhsEsMarginOfModel, historicalVaR, incidentResidualAddOn, mporExpectedShortfall, overlappingSums, sqrtTimeFactor,
  validateFhsEsModel, type Exposure, type FhsEsModel,
} from '../../risk/index.ts';
import {
  devolatilise, expectValid, type FhsVolModel, type Incident, type IncidentPolicyModel,
} from '../../scenarios/index.ts';
import { BacktestInputError } from '../stats/index.ts';
import { linearBookPnl } from './bookPnl.ts';
import type { HistoryView, MarginContext, MarginForecast, MarginModel } from './types.ts';
import { gatherRows, keptRows, stressRowFlags, type StressSelection } from './viewRows.ts';

/** Configuration of {@link createFhsEsMarginModel}. */
export interface FhsEsMarginModelConfig {
  /** Name for reports (default `fhs-es`). */
  readonly name?: string;
  /** A `margin/fhs-es` model (validated here); `scenario_horizon_days` must be 1, `mpor_days` the backtest MPOR. */
  readonly marginModel: unknown;
  /** Per-asset conditional vol model (`garch-fit` refits every date: slow over long histories). */
  readonly volModel: FhsVolModel;
  /** Scenario rows (the FHS lookback). */
  readonly lookbackRows: number;
  /** Rows before the lookback that burn in the vol recursion (>= the EWMA `seed_rows`). */
  readonly warmupRows: number;
  readonly stress?: StressSelection;
  /** Rows with any of these tags are left out of every estimate. */
  readonly excludeTags?: readonly string[];
  /** The incident residual-risk add-on. */
  readonly residualAddOn?: { readonly incident: Incident; readonly policy: IncidentPolicyModel };
  /** Pass the book's exposures to the liquidity and concentration add-ons (default true). */
  readonly liquidityAddOns?: boolean;
  /** With the model's `mpor_scaling: 'sqrt'`: scale the ES of the 1-day P&L ('pnl', default) or the moves ('moves'); see the module comment. */
  readonly mporScaling?: 'pnl' | 'moves';
}

function vaRAtMpor(pnl: Float64Array, model: FhsEsModel): number {
  if (model.mpor_scaling === 'overlapping') return historicalVaR(overlappingSums(pnl, model.mpor_days), model.confidence);
  const f = model.mpor_scaling === 'sqrt' ? sqrtTimeFactor(model.mpor_days, 1) : 1;
  return historicalVaR(pnl, model.confidence) * f;
}

/** A rolling-backtest margin model computing the FHS-ES margin at each date; see the module comment. */
export function createFhsEsMarginModel(config: FhsEsMarginModelConfig): MarginModel {
  const released = expectValid(validateFhsEsModel(config.marginModel), 'margin/fhs-es');
  const scaleMoves = (config.mporScaling ?? 'pnl') === 'moves';
  if (config.mporScaling !== undefined && config.mporScaling !== 'pnl' && config.mporScaling !== 'moves') {
    throw new BacktestInputError('mporScaling', config.mporScaling, "must be 'pnl' or 'moves'");
  }
  if (scaleMoves && released.mpor_scaling !== 'sqrt') throw new BacktestInputError('mporScaling', config.mporScaling, `'moves' needs the model's mpor_scaling 'sqrt' (got '${released.mpor_scaling}')`);
  // with 'moves' the scenario vector already is at the MPOR: the model's own scaling becomes 'none'
  const model: FhsEsModel = scaleMoves ? Object.freeze({ ...released, mpor_scaling: 'none' }) : released;
  const moveFactor = scaleMoves ? Math.sqrt(model.mpor_days) : 1;
  if (model.scenario_horizon_days !== 1) throw new BacktestInputError('marginModel.scenario_horizon_days', model.scenario_horizon_days, 'the backtest feeds 1-day FHS scenarios');
  const { lookbackRows: L, warmupRows: W } = config;
  if (!Number.isSafeInteger(L) || L < 2) throw new BacktestInputError('lookbackRows', L, 'must be an integer >= 2');
  if (!Number.isSafeInteger(W) || W < 0) throw new BacktestInputError('warmupRows', W, 'must be an integer >= 0');
  const stressed = model.apc.method === 'stressed-weight';
  if (config.stress !== undefined && !stressed && model.mpor_scaling === 'overlapping') {
    throw new BacktestInputError('stress', config.stress, "appending stress rows breaks the date order 'overlapping' MPOR scaling needs; use APC 'stressed-weight'");
  }
  const name = config.name ?? 'fhs-es';
  const fullHistory = config.stress !== undefined || (config.excludeTags ?? []).length > 0;
  const addOns = config.liquidityAddOns ?? true;

  const margin = (view: HistoryView, ctx: MarginContext): MarginForecast => {
    if (ctx.mporDays !== model.mpor_days) throw new BacktestInputError('mporDays', ctx.mporDays, `the margin model's mpor_days is ${model.mpor_days}`);
    const e = ctx.exposuresUsd;
    const book = ctx.pnl ?? linearBookPnl(e, view.assets);
    const active = book.columns;
    if (active.length === 0) return Object.freeze({ marginUsd: 0, valueAtRiskUsd: 0, expectedShortfallUsd: 0 });
    const kept = keptRows(view, config.excludeTags);
    const window = kept.subarray(Math.max(0, kept.length - L - W));
    const underlyings = Array.from(active, (j) => view.assets[j] as string);
    const dev = devolatilise(
      { dates: Array.from(window, (i) => view.dates[i] as string), assets: view.assets, returns: gatherRows(view, window), weights: new Float64Array(window.length).fill(1), tags: [] },
      config.volModel,
      { underlyings },
    );
    const n = active.length;
    const first = Math.max(0, window.length - L);
    const m = window.length - first;
    const moves = new Float64Array(m * n);
    const exp = Float64Array.from(active, (j) => e[j] as number);
    const pnl = new Float64Array(m);
    for (let s = 0; s < m; s++) {
      let p = 0;
      for (let k = 0; k < n; k++) {
        const r = moveFactor * (dev.forecast[k] as number) * (dev.residuals[(first + s) * n + k] as number);
        moves[s * n + k] = r;
        p += book.columnPnl(active[k] as number, r);
      }
      pnl[s] = p;
    }
    const stressPnl: number[] = [];
    if (config.stress !== undefined) {
      const cols = view.assets.length;
      const flags = stressRowFlags(view, config.stress);
      for (const i of kept) {
        if (flags[i] !== 1) continue;
        let p = 0;
        for (let k = 0; k < n; k++) {
          const j = active[k] as number;
          p += book.columnPnl(j, moveFactor * (view.returns[i * cols + j] as number));
        }
        stressPnl.push(p);
      }
    }
    const vector = stressed || stressPnl.length === 0 ? pnl : Float64Array.from([...pnl, ...stressPnl]);
    const prev = ctx.previous?.components?.['apcMarginUsd'] ?? ctx.previous?.marginUsd;
    const result = fhsEsMarginOfModel({
      pnl: vector,
      ...(addOns ? { exposures: underlyings.map((u, k): Exposure => ({ underlying: u, exposureUsd: exp[k] as number })) } : {}),
      ...(stressed ? { stressedPnl: stressPnl.length > 0 ? stressPnl : vector } : {}),
      ...(prev === undefined ? {} : { previousMarginUsd: prev }),
    }, model); // validated once above
    let residual = 0;
    if (config.residualAddOn !== undefined) {
      const asOfMs = (parseDateOnlyUtc(view.asOf) as number) + MS_PER_DAY;
      const { incident, policy } = config.residualAddOn;
      if (asOfMs >= incident.startedAtMs) {
        const bases = underlyings.filter((u) => incident.affected.underlyings.includes(u)).map((u) => {
          const k = underlyings.indexOf(u);
          const j = active[k] as number;
          const sub = new Float64Array(m);
          for (let s = 0; s < m; s++) sub[s] = book.columnPnl(j, moves[s * n + k] as number);
          return { underlying: u, amountUsd: mporExpectedShortfall(sub, model).es };
        });
        residual = incidentResidualAddOn({ incident, policy, asOfMs, bases }).addOnUsd;
      }
    }
    return Object.freeze({
      marginUsd: result.marginUsd + residual,
      valueAtRiskUsd: vaRAtMpor(vector, model),
      expectedShortfallUsd: result.esMporUsd,
      components: Object.freeze({
        esMporUsd: result.esMporUsd,
        apcMarginUsd: result.apc.marginUsd,
        liquidityAddOnUsd: result.liquidityAddOnUsd,
        concentrationAddOnUsd: result.concentrationAddOnUsd,
        residualAddOnUsd: residual,
        stressRows: stressPnl.length,
      }),
    });
  };

  return Object.freeze({
    name,
    description: `FHS-ES ${model.confidence} (${config.volModel.model}), ${L} scenario rows + ${W} warm-up, MPOR ${model.mpor_days} (${released.mpor_scaling}${scaleMoves ? ' of the moves' : ''}), APC ${model.apc.method}` +
      `${config.stress === undefined ? '' : ', stress observations'}${config.excludeTags?.length ? `, excluding ${config.excludeTags.join(', ')}` : ''}${config.residualAddOn === undefined ? '' : `, residual add-on ${config.residualAddOn.incident.id}`}`,
    coverage: model.confidence,
    ...(fullHistory ? {} : { lookbackRows: L + W }),
    minRows: L + W,
    margin,
  });
}
