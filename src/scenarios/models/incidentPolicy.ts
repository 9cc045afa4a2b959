/**
 * The incident policy (`models/incident-policy/<version>.json`, DESIGN.md §4): per incident kind, how the
 * incident window's data is treated, whether the window becomes a replay scenario and a stress period, and the
 * residual-risk add-on (rate and decay half-life). Pure validator; every kind must be present.
 */
import type { Validated } from '../errors.ts';
import { INCIDENT_KINDS, type IncidentKind } from '../incident/incident.ts';
import { Checker, deepFreeze, join } from './check.ts';

/** The defaults for one incident kind. */
export interface IncidentKindPolicy {
  /** `exclude` (contaminated prices), `keep-as-stress` (genuine moves), `downweight` (kept with a weight). */
  readonly window_treatment: 'exclude' | 'keep-as-stress' | 'downweight';
  /** Observation weight of the window's rows under `downweight`, in [0, 1). */
  readonly downweight_weight?: number;
  /** Replay the incident's observed moves on today's book. */
  readonly replay_scenario: boolean;
  /** Make the window a named stress period (always included by historical generators). */
  readonly stress_period: boolean;
  /**
   * Residual-risk add-on: `rate` = fraction of the account's scenario margin added right after the incident,
   * decaying as `rate * 2^(-days / half_life_days)` from `patchedAt` (or `endedAt` when there is no patch).
   */
  readonly residual_add_on: { readonly rate: number; readonly half_life_days: number };
  readonly rationale: string;
}

/** A validated incident policy. */
export interface IncidentPolicyModel {
  readonly model: 'incident-policy';
  readonly version: string;
  readonly description: string;
  readonly kinds: Readonly<Record<IncidentKind, IncidentKindPolicy>>;
}

/**
 * Validates the policy: all six kinds, nothing else; `downweight` needs `downweight_weight`; an excluded window
 * cannot be a stress period and `keep-as-stress` implies one; rate in [0, 1], half-life > 0 days.
 */
export function validateIncidentPolicy(json: unknown): Validated<IncidentPolicyModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'kinds'], '');
  const version = c.header(root, 'incident-policy');
  const kindsJson = c.object(root['kinds'], 'kinds');
  const kinds: Partial<Record<IncidentKind, IncidentKindPolicy>> = {};
  if (kindsJson !== undefined) {
    c.noExtraKeys(kindsJson, INCIDENT_KINDS, 'kinds');
    for (const kind of INCIDENT_KINDS) {
      const p = join('kinds', kind);
      if (kindsJson[kind] === undefined) {
        c.fail(p, 'missing: every incident kind needs a policy');
        continue;
      }
      const o = c.object(kindsJson[kind], p);
      if (o === undefined) continue;
      c.noExtraKeys(o, ['window_treatment', 'downweight_weight', 'replay_scenario', 'stress_period', 'residual_add_on', 'rationale'], p);
      const treatment = c.oneOf(o, 'window_treatment', p, ['exclude', 'keep-as-stress', 'downweight'] as const);
      const known = o['window_treatment'] === treatment; // consistency checks only on a valid treatment
      let weight: number | undefined;
      if (treatment === 'downweight') weight = c.number(o, 'downweight_weight', p, { min: 0, exclusiveMax: 1 });
      else if (known && o['downweight_weight'] !== undefined) c.fail(join(p, 'downweight_weight'), `only meaningful with window_treatment 'downweight', not '${treatment}'`);
      const replay = c.boolean(o, 'replay_scenario', p);
      const stress = c.boolean(o, 'stress_period', p);
      if (known && stress && treatment === 'exclude') c.fail(join(p, 'stress_period'), 'an excluded window has no rows left to be a stress period');
      if (known && !stress && treatment === 'keep-as-stress') c.fail(join(p, 'stress_period'), "window_treatment 'keep-as-stress' makes the window a stress period: set true");
      const ap = join(p, 'residual_add_on');
      const add = c.object(o['residual_add_on'], ap);
      let rate = Number.NaN;
      let halfLife = Number.NaN;
      if (add !== undefined) {
        c.noExtraKeys(add, ['rate', 'half_life_days'], ap);
        rate = c.number(add, 'rate', ap, { min: 0, max: 1 });
        halfLife = c.number(add, 'half_life_days', ap, { exclusiveMin: 0 });
      }
      const rationale = c.string(o, 'rationale', p);
      kinds[kind] = {
        window_treatment: treatment,
        ...(weight === undefined ? {} : { downweight_weight: weight }),
        replay_scenario: replay,
        stress_period: stress,
        residual_add_on: { rate, half_life_days: halfLife },
        rationale,
      };
    }
  }
  return c.result(() => deepFreeze({
    model: 'incident-policy' as const, version, description: root['description'] as string,
    kinds: kinds as Record<IncidentKind, IncidentKindPolicy>,
  }));
}
