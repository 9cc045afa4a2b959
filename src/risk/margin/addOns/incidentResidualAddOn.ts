/**
 * The incident residual-risk add-on (DESIGN.md §4, models/incident-policy), pure, USD:
 *
 *   add-on = rate(asOf) x sum over the incident's affected underlyings u of |base_u|
 *   rate(asOf) = 0 before `startedAt`; the policy's `rate` until the decay starts (`patchedAt`, else `endedAt`);
 *                then rate x 2^(-days / half_life_days)  (`residualAddOnRate` of the scenario layer)
 *
 * so the add-on halves every half-life. `base_u` is what the rate applies to: the policy defines the rate as a
 * fraction of the scenario margin, so the natural base is the margin of the account's positions on u alone
 * (e.g. the FHS-ES or grid margin of that sub-book); an exposure (|delta| x price, USD) is accepted as a simpler
 * base. Underlyings the incident does not affect add nothing.
 */
import {
  policyFor, residualAddOnRate, type Incident, type IncidentPolicyModel,
} from '../../../scenarios/index.ts';
import { MarginInputError } from '../../measures/index.ts';

/** Base amount of one underlying, USD (its sign is ignored). */
export interface AddOnBase {
  readonly underlying: string;
  readonly amountUsd: number;
}

/** Input of {@link incidentResidualAddOn}. */
export interface IncidentAddOnInput {
  readonly incident: Incident;
  readonly policy: IncidentPolicyModel;
  /** Valuation instant, epoch ms. */
  readonly asOfMs: number;
  readonly bases: readonly AddOnBase[];
}

/** Result of {@link incidentResidualAddOn}. */
export interface IncidentAddOnResult {
  readonly incidentId: string;
  /** Rate applied at asOf (fraction). */
  readonly rate: number;
  /** The policy's initial rate and half-life. */
  readonly initialRate: number;
  readonly halfLifeDays: number;
  /** Epoch ms where the decay starts (patchedAt, else endedAt). */
  readonly decayStartMs: number;
  /** Add-on per affected underlying present in the bases, USD. */
  readonly byUnderlying: Readonly<Record<string, number>>;
  /** Total add-on, USD (>= 0). */
  readonly addOnUsd: number;
}

/** The residual-risk add-on; see the module comment. */
export function incidentResidualAddOn(input: IncidentAddOnInput): IncidentAddOnResult {
  const { incident, policy, asOfMs } = input;
  if (typeof asOfMs !== 'number' || !Number.isFinite(asOfMs)) throw new MarginInputError('asOfMs', asOfMs, 'expected epoch milliseconds');
  const { rate: initialRate, half_life_days: halfLifeDays } = policyFor(incident, policy).residual_add_on;
  const rate = asOfMs < incident.startedAtMs ? 0 : residualAddOnRate(incident, policy, asOfMs);
  const affected = new Set(incident.affected.underlyings);
  const byUnderlying: Record<string, number> = {};
  let total = 0;
  if (!Array.isArray(input.bases)) throw new MarginInputError('bases', input.bases, 'expected an array of { underlying, amountUsd }');
  input.bases.forEach((b, i) => {
    if (typeof b?.amountUsd !== 'number' || !Number.isFinite(b.amountUsd)) throw new MarginInputError(`bases[${i}].amountUsd`, b?.amountUsd, 'expected a finite USD amount');
    if (!affected.has(b.underlying)) return;
    const a = rate * Math.abs(b.amountUsd);
    byUnderlying[b.underlying] = (byUnderlying[b.underlying] ?? 0) + a;
    total += a;
  });
  return Object.freeze({
    incidentId: incident.id, rate, initialRate, halfLifeDays, decayStartMs: incident.patchedAtMs ?? incident.endedAtMs,
    byUnderlying: Object.freeze(byUnderlying), addOnUsd: total,
  });
}
