/**
 * The pre-incident and post-incident calibrations of an incident as backtest margin models (pure). The backtest
 * panel is aligned with the incident window kept and tagged `stress:<incident id>` (so every calibration sees the
 * same history and the same realised P&L); the calibrations differ in what they do with it:
 *
 * - pre-incident (the calibration in force before the incident): FHS-ES with `fhsEsModel` as given (e.g.
 *   margin/fhs-es@1.0.0: 99.5 %, 2-day MPOR, 25 % buffer APC), EWMA vol; historical VaR at `historical.confidence`
 *   over `historical.preLookbackRows` rows, overlapping MPOR windows; no stress observations, no add-on;
 * - post-incident (the candidate): the incident window treated per the incident policy ('keep-as-stress' and
 *   'downweight': stress observations; 'exclude': rows left out), plus the named `stressPeriods` as stress
 *   observations once they have happened; FHS-ES with APC 'stressed-weight' (`stressedWeight`, EMIR Art. 28(b))
 *   and the policy's residual-risk add-on; historical VaR over `historical.postLookbackRows` rows with the stress
 *   observations always included.
 *
 * The post-incident FHS-ES model is the given model with `apc` replaced; it is a backtest candidate, not a released
 * model file (its description says so).
 */
import type { FhsVolModel, Incident, IncidentPolicyModel, NamedPeriod } from '../../scenarios/index.ts';
import { policyFor } from '../../scenarios/index.ts';
import { BacktestInputError } from '../stats/index.ts';
import type { Calibration } from './compareCalibrations.ts';
import { createFhsEsMarginModel } from './fhsEsMarginModel.ts';
import { createHistoricalMarginModel } from './historicalMarginModel.ts';
import type { StressSelection } from './viewRows.ts';

/** Input of {@link incidentCalibrations}. */
export interface IncidentCalibrationsInput {
  readonly incident: Incident;
  readonly policy: IncidentPolicyModel;
  /** A `margin/fhs-es` model JSON (the pre-incident one). */
  readonly fhsEsModel: unknown;
  /** MPOR of the backtest, rows (must equal the FHS-ES model's `mpor_days`). */
  readonly mporDays: number;
  /** Per-asset vol model (default EWMA lambda 0.94 seeded on 100 rows). */
  readonly volModel?: FhsVolModel;
  /** FHS lookback and warm-up rows (default 500 and 100). */
  readonly lookbackRows?: number;
  readonly warmupRows?: number;
  /** Weight on the stressed margin after the incident (default 0.25). */
  readonly stressedWeight?: number;
  /** Named stress periods of the post-incident calibration (used once they have happened). */
  readonly stressPeriods?: readonly NamedPeriod[];
  /**
   * MPOR rule of both FHS-ES calibrations with a 'sqrt' model: 'pnl' (default: the ES of the 1-day P&L x sqrt(h), the
   * released rule) or 'moves' (log moves x sqrt(h), book revalued; keeps an option book's convexity at the MPOR).
   */
  readonly fhsMporScaling?: 'pnl' | 'moves';
  /** Historical VaR settings (defaults 0.99, 250 and 500 rows). */
  readonly historical?: { readonly confidence?: number; readonly preLookbackRows?: number; readonly postLookbackRows?: number };
}

/** Four calibrations: `fhs-es pre-incident`, `fhs-es post-incident`, `historical-var pre-incident`, `historical-var post-incident`. */
export function incidentCalibrations(input: IncidentCalibrationsInput): readonly Calibration[] {
  const { incident, policy, mporDays } = input;
  const base = input.fhsEsModel;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new BacktestInputError('fhsEsModel', base, 'expected a margin/fhs-es model object');
  const weight = input.stressedWeight ?? 0.25;
  const treatment = policyFor(incident, policy).window_treatment;
  const tag = `stress:${incident.id}`;
  const stress: StressSelection = treatment === 'exclude'
    ? { periods: input.stressPeriods ?? [] }
    : { tagged: true, periods: input.stressPeriods ?? [] };
  const excludeTags = treatment === 'exclude' ? [tag] : [];
  const volModel: FhsVolModel = input.volModel ?? { model: 'ewma', lambda: 0.94, init: 'sample', seed_rows: 100 };
  const L = input.lookbackRows ?? 500;
  const W = input.warmupRows ?? 100;
  const post = {
    ...(base as Record<string, unknown>),
    description: `Backtest candidate after ${incident.id} (not a released model): ${String((base as Record<string, unknown>)['description'] ?? '')} APC replaced by a ${weight} stressed weight.`,
    apc: { method: 'stressed-weight', weight },
  };
  const hs = input.historical ?? {};
  const scaling = input.fhsMporScaling === undefined ? {} : { mporScaling: input.fhsMporScaling };
  const confidence = hs.confidence ?? 0.99;
  return Object.freeze([
    { label: 'fhs-es pre-incident', model: createFhsEsMarginModel({ name: 'fhs-es', marginModel: base, volModel, lookbackRows: L, warmupRows: W, ...scaling }) },
    {
      label: 'fhs-es post-incident',
      model: createFhsEsMarginModel({
        name: 'fhs-es', marginModel: post, volModel, lookbackRows: L, warmupRows: W, stress, excludeTags, residualAddOn: { incident, policy }, ...scaling,
      }),
    },
    {
      label: 'historical-var pre-incident',
      model: createHistoricalMarginModel({ measure: 'var', confidence, lookbackRows: hs.preLookbackRows ?? 250, mporDays, mporScaling: 'overlapping' }),
    },
    {
      label: 'historical-var post-incident',
      model: createHistoricalMarginModel({
        measure: 'var', confidence, lookbackRows: hs.postLookbackRows ?? 500, mporDays, mporScaling: 'overlapping', stress, excludeTags,
      }),
    },
  ].map((c) => Object.freeze(c)));
}
