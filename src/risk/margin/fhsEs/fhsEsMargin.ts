/**
 * FHS expected-shortfall margin of one account (pure, USD):
 *
 *   ES_h   = ES at `confidence` of the account's scenario P&L vector (FHS scenarios at `scenario_horizon_days`),
 *            conventions of src/risk/measures (k = ceil(n (1 - alpha)) exact; mean of the k worst losses by default)
 *   M      = max(0, ES at the MPOR)  (mporScaling.ts: sqrt, overlapping or none)
 *   M_apc  = APC of M                 (antiProcyclicality.ts: buffer, stressed weight or floor, EMIR Art. 28)
 *   margin = M_apc + liquidity add-on + concentration add-on   (liquidityAddOns.ts, add-ons on M)
 *
 * The stressed and floor margins of APC are computed from their own P&L vectors (`stressedPnl`: the book over the
 * stress-period scenarios; `floorPnl`: the book over a >= 10-year lookback) with the same confidence and MPOR
 * scaling, or given directly (`floorMarginUsd`).
 */
import { expectValid } from '../../../scenarios/index.ts';
import { MarginInputError, checkPnlVector, expectedShortfall, tailMass } from '../../measures/index.ts';
import { applyApc, type ApcResult } from './antiProcyclicality.ts';
import { validateFhsEsModel, type FhsEsModel } from './fhsEsModel.ts';
import { concentrationAddOn, liquidityAddOn, netExposures, type Exposure } from './liquidityAddOns.ts';
import { overlappingSums, sqrtTimeFactor } from './mporScaling.ts';

/** Input of {@link fhsEsMargin}. */
export interface FhsEsMarginInput {
  /** Account P&L per scenario, USD, positive = gain (date order when `mpor_scaling` is 'overlapping'). */
  readonly pnl: ArrayLike<number>;
  /** `models/margin/fhs-es/<version>.json` (validated here). */
  readonly model: unknown;
  /** Net delta exposures per underlying, USD (liquidity and concentration add-ons); none = no add-ons. */
  readonly exposures?: readonly Exposure[];
  /** P&L over the stressed observations (APC 'stressed-weight'). */
  readonly stressedPnl?: ArrayLike<number>;
  /** P&L over the long lookback (APC 'floor'); or `floorMarginUsd`. */
  readonly floorPnl?: ArrayLike<number>;
  readonly floorMarginUsd?: number;
  /** Previous margin after APC, USD (APC 'buffer'). */
  readonly previousMarginUsd?: number;
}

/** Result of {@link fhsEsMargin}, USD. */
export interface FhsEsMarginResult {
  readonly modelVersion: string;
  readonly confidence: number;
  /** Scenarios in the vector the ES is taken of (n - window + 1 for overlapping windows). */
  readonly scenarioCount: number;
  /** Tail size k of that vector. */
  readonly tailCount: number;
  /** ES of the input vector at its own horizon (not floored; positive = loss). */
  readonly esHorizonUsd: number;
  /** M = max(0, ES at the MPOR). */
  readonly esMporUsd: number;
  readonly apc: ApcResult;
  readonly liquidityAddOnUsd: number;
  readonly concentrationAddOnUsd: number;
  /** Effective liquidation period of the concentration add-on (days) and the underlying setting it. */
  readonly liquidationDays: number;
  readonly concentrationDriver: string | null;
  /** Total margin = apc.marginUsd + liquidity + concentration (>= 0, finite). */
  readonly marginUsd: number;
}

/** ES at the MPOR of a P&L vector under `model` (>= 0), with the vector size and tail used. */
export function mporExpectedShortfall(
  pnl: ArrayLike<number>, model: FhsEsModel, field = 'pnl',
): { readonly es: number; readonly esHorizon: number; readonly n: number; readonly k: number } {
  const n = checkPnlVector(pnl, field);
  const esHorizon = expectedShortfall(pnl, model.confidence, { method: model.es_method });
  if (model.mpor_scaling === 'overlapping') {
    const window = model.mpor_days / model.scenario_horizon_days;
    const sums = overlappingSums(pnl, window);
    const es = expectedShortfall(sums, model.confidence, { method: model.es_method });
    return { es: Math.max(0, es), esHorizon, n: sums.length, k: tailMass(sums.length, model.confidence).k };
  }
  const factor = model.mpor_scaling === 'sqrt' ? sqrtTimeFactor(model.mpor_days, model.scenario_horizon_days) : 1;
  return { es: Math.max(0, esHorizon * factor), esHorizon, n, k: tailMass(n, model.confidence).k };
}

/** The FHS-ES margin of one account; see the module comment. */
export function fhsEsMargin(input: FhsEsMarginInput): FhsEsMarginResult {
  return fhsEsMarginOfModel(input, expectValid(validateFhsEsModel(input.model), 'margin/fhs-es'));
}

/**
 * {@link fhsEsMargin} with the model already validated (`validateFhsEsModel`), for callers that margin many accounts
 * under one model (`input.model` is not read): the same result without validating the model JSON per account.
 */
export function fhsEsMarginOfModel(input: Omit<FhsEsMarginInput, 'model'>, model: FhsEsModel): FhsEsMarginResult {
  const core = mporExpectedShortfall(input.pnl, model);
  let stressedMarginUsd: number | undefined;
  let floorMarginUsd = input.floorMarginUsd;
  if (model.apc.method === 'stressed-weight' && input.stressedPnl !== undefined) {
    stressedMarginUsd = mporExpectedShortfall(input.stressedPnl, model, 'stressedPnl').es;
  }
  if (model.apc.method === 'floor' && input.floorPnl !== undefined) {
    if (floorMarginUsd !== undefined) throw new MarginInputError('floorMarginUsd', floorMarginUsd, 'give floorPnl or floorMarginUsd, not both');
    floorMarginUsd = mporExpectedShortfall(input.floorPnl, model, 'floorPnl').es;
  }
  const apc = applyApc(model.apc, core.es, {
    ...(input.previousMarginUsd === undefined ? {} : { previousMarginUsd: input.previousMarginUsd }),
    ...(stressedMarginUsd === undefined ? {} : { stressedMarginUsd }),
    ...(floorMarginUsd === undefined ? {} : { floorMarginUsd }),
  });
  const exposures = netExposures(input.exposures);
  const liquidity = liquidityAddOn(model, exposures);
  const conc = concentrationAddOn(model, exposures, core.es);
  return Object.freeze({
    modelVersion: `margin/fhs-es@${model.version}`,
    confidence: model.confidence,
    scenarioCount: core.n,
    tailCount: core.k,
    esHorizonUsd: core.esHorizon,
    esMporUsd: core.es,
    apc,
    liquidityAddOnUsd: liquidity,
    concentrationAddOnUsd: conc.addOnUsd,
    liquidationDays: conc.horizonDays,
    concentrationDriver: conc.driver,
    marginUsd: apc.marginUsd + liquidity + conc.addOnUsd,
  });
}
