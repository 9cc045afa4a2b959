/**
 * Applying the incident policy to one incident (pure): the window treatment handed to `alignLogReturns`, and the
 * residual-risk add-on rate at a given time.
 */
import type { WindowTreatment } from '../../market/returns/index.ts';
import { ScenarioInputError } from '../errors.ts';
import type { IncidentKindPolicy, IncidentPolicyModel } from '../models/incidentPolicy.ts';
import type { Incident } from './incident.ts';

/** Milliseconds per day. */
const DAY_MS = 86_400_000;

/** The policy entry of the incident's kind. */
export function policyFor(incident: Incident, policy: IncidentPolicyModel): IncidentKindPolicy {
  const entry = policy.kinds[incident.kind];
  if (entry === undefined) throw new ScenarioInputError('incident.kind', incident.kind, `no entry in incident-policy@${policy.version}`);
  return entry;
}

/**
 * The incident window `[startedAt, endedAt]` named by the incident id, with the treatment of its kind
 * (`downweight` carries the weight, and `stress` when the policy makes the window a stress period).
 */
export function incidentWindowTreatment(incident: Incident, policy: IncidentPolicyModel): WindowTreatment {
  const p = policyFor(incident, policy);
  const base = { name: incident.id, startMs: incident.startedAtMs, endMs: incident.endedAtMs };
  if (p.window_treatment === 'downweight') {
    return Object.freeze({ ...base, treatment: 'downweight', weight: p.downweight_weight as number, stress: p.stress_period });
  }
  return Object.freeze({ ...base, treatment: p.window_treatment });
}

/**
 * The residual-risk add-on rate at `asOfMs` (fraction of the scenario margin): the full `rate` until the decay
 * starts (`patchedAt`, else `endedAt`), then `rate * 2^(-days / half_life_days)`.
 */
export function residualAddOnRate(incident: Incident, policy: IncidentPolicyModel, asOfMs: number): number {
  if (!Number.isFinite(asOfMs)) throw new ScenarioInputError('asOfMs', asOfMs, 'expected epoch milliseconds');
  const { rate, half_life_days: halfLife } = policyFor(incident, policy).residual_add_on;
  const from = incident.patchedAtMs ?? incident.endedAtMs;
  const days = (asOfMs - from) / DAY_MS;
  return days <= 0 ? rate : rate * 2 ** (-days / halfLife);
}
