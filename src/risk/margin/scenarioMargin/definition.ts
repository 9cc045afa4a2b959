/**
 * The margin model of a run (stored with it: store `run_margin_models`): everything that turns an account's P&L
 * vector over the run's scenario set into its initial and maintenance margin, so that a later reader (the API's
 * what-if margin, a stress batch) computes exactly what the run computed, from the stored instrument x scenario
 * matrix alone.
 *
 * Conventions: USD; P&L positive for a gain to the holder; the instrument rows are those of the run's P&L matrix,
 * in its order; `deltaUsdPerUnit` is the USD delta exposure of one unit of the instrument (dV/dS x S, i.e. the P&L of
 * a +100 % linear move), used by the liquidity and concentration add-ons.
 */
import {
  Checker, expectValid, validateIncident, validateIncidentPolicy, type Incident, type IncidentPolicyModel,
} from '../../../scenarios/index.ts';
import { validateFhsEsModel, type FhsEsModel } from '../fhsEs/index.ts';

/** Format version of {@link ScenarioMarginDefinition}. */
export const SCENARIO_MARGIN_FORMAT = 1;

/** One row of the run's P&L matrix as the margin needs it. */
export interface ScenarioMarginInstrument {
  /** Instrument id, e.g. `BTC-27MAR26-90000-C` (the P&L matrix's row id). */
  readonly id: string;
  /** Underlying whose price drives the row (`BTC`), or null for a stablecoin row. */
  readonly underlying: string | null;
  /** USD delta exposure of one unit (dV/dS x S). */
  readonly deltaUsdPerUnit: number;
}

/** The stored, JSON form of a run's margin model. */
export interface ScenarioMarginDefinition {
  readonly format: typeof SCENARIO_MARGIN_FORMAT;
  /** `models/margin/fhs-es/<version>.json` as released. */
  readonly fhsEs: unknown;
  /** Maintenance margin = factor x initial margin, in (0, 1]. */
  readonly maintenanceFactor: number;
  /** The incident residual-risk add-on: the incident document, the policy model and the valuation instant. */
  readonly incidentAddOn: { readonly incident: unknown; readonly policy: unknown; readonly asOfMs: number } | null;
  /** Rows of the P&L matrix, in order. */
  readonly instruments: readonly ScenarioMarginInstrument[];
}

/** A validated, compiled margin model (immutable). */
export interface ScenarioMarginModel {
  readonly fhsEs: FhsEsModel;
  readonly maintenanceFactor: number;
  readonly incident: { readonly incident: Incident; readonly policy: IncidentPolicyModel; readonly asOfMs: number } | null;
  readonly instruments: readonly ScenarioMarginInstrument[];
  /** Row index by instrument id. */
  readonly rowOf: ReadonlyMap<string, number>;
  /** Underlying codes present in `instruments`, sorted; `underlyingIndex[i]` indexes it (-1 for null). */
  readonly underlyings: readonly string[];
  readonly underlyingIndex: Int32Array;
  readonly deltaUsdPerUnit: Float64Array;
}

/**
 * Validates a stored definition and compiles it. Throws ModelValidationError naming every bad path (`instruments[3].id:
 * duplicate`, `maintenanceFactor: must be in (0, 1]`, and the fhs-es / incident validators' own paths).
 */
export function compileScenarioMargin(json: unknown): ScenarioMarginModel {
  const c = new Checker();
  const d = c.object(json, '') as Partial<ScenarioMarginDefinition> | undefined;
  if (d === undefined) expectValid({ ok: false, errors: c.issues }, 'scenario-margin');
  const def = d as Partial<ScenarioMarginDefinition>;
  if (def.format !== SCENARIO_MARGIN_FORMAT) c.fail('format', `must be ${SCENARIO_MARGIN_FORMAT}`);
  const mf = def.maintenanceFactor;
  if (typeof mf !== 'number' || !(mf > 0 && mf <= 1)) c.fail('maintenanceFactor', 'must be a number in (0, 1]');
  const fhs = validateFhsEsModel(def.fhsEs);
  if (!fhs.ok) for (const e of fhs.errors) c.fail(`fhsEs.${e.path}`, e.reason);
  let incident: ScenarioMarginModel['incident'] = null;
  if (def.incidentAddOn !== null && def.incidentAddOn !== undefined) {
    const a = def.incidentAddOn;
    const inc = validateIncident(a.incident);
    const pol = validateIncidentPolicy(a.policy);
    if (!inc.ok) for (const e of inc.errors) c.fail(`incidentAddOn.incident.${e.path}`, e.reason);
    if (!pol.ok) for (const e of pol.errors) c.fail(`incidentAddOn.policy.${e.path}`, e.reason);
    if (typeof a.asOfMs !== 'number' || !Number.isFinite(a.asOfMs)) c.fail('incidentAddOn.asOfMs', 'must be epoch milliseconds');
    if (inc.ok && pol.ok) incident = Object.freeze({ incident: inc.value, policy: pol.value, asOfMs: a.asOfMs });
  } else if (def.incidentAddOn === undefined) c.fail('incidentAddOn', 'required (null for none)');
  const rows = Array.isArray(def.instruments) ? def.instruments : [];
  if (!Array.isArray(def.instruments)) c.fail('instruments', 'must be an array');
  const rowOf = new Map<string, number>();
  const unders = new Set<string>();
  rows.forEach((r, i) => {
    if (typeof r?.id !== 'string' || r.id === '') c.fail(`instruments[${i}].id`, 'must be a non-empty string');
    else if (rowOf.has(r.id)) c.fail(`instruments[${i}].id`, `duplicate ${r.id}`);
    else rowOf.set(r.id, i);
    if (r?.underlying !== null && (typeof r?.underlying !== 'string' || r.underlying === '')) c.fail(`instruments[${i}].underlying`, 'must be a code or null');
    else if (r.underlying !== null) unders.add(r.underlying);
    if (typeof r?.deltaUsdPerUnit !== 'number' || !Number.isFinite(r.deltaUsdPerUnit)) c.fail(`instruments[${i}].deltaUsdPerUnit`, 'must be a finite number');
  });
  if (c.issues.length > 0 || !fhs.ok) expectValid({ ok: false, errors: c.issues }, 'scenario-margin');
  const underlyings = [...unders].sort();
  const underlyingIndex = new Int32Array(rows.length);
  const deltaUsdPerUnit = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    underlyingIndex[i] = r.underlying === null ? -1 : underlyings.indexOf(r.underlying);
    deltaUsdPerUnit[i] = r.deltaUsdPerUnit;
  });
  return Object.freeze({
    fhsEs: (fhs as { ok: true; value: FhsEsModel }).value,
    maintenanceFactor: mf as number,
    incident,
    instruments: Object.freeze(rows.map((r) => Object.freeze({ ...r }))),
    rowOf,
    underlyings: Object.freeze(underlyings),
    underlyingIndex,
    deltaUsdPerUnit,
  });
}
