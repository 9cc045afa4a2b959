/**
 * The incident-replay model (`models/scenarios/incident-replay/<version>.json`): how observed prices are picked
 * around the incident window and how the ATM-vol change is expressed. Pure validator.
 */
import type { Validated } from '../errors.ts';
import { Checker, deepFreeze } from './check.ts';

/** A validated incident-replay model. */
export interface IncidentReplayModel {
  readonly model: 'scenarios/incident-replay';
  readonly version: string;
  readonly description: string;
  /**
   * `covering`: the last observation at or before the window start and the first at or after its end (the
   * observed move contains the whole window); `nearest`: the observations nearest in time to the start and end.
   */
  readonly pick: 'covering' | 'nearest';
  /** ATM-vol change as `after - before` (`absolute`) or `after / before` (`relative`), per tenor. */
  readonly vol_mode: 'absolute' | 'relative';
  /** Largest accepted distance (days) between an observation and the window edge it stands for. */
  readonly max_observation_gap_days: number;
}

/** Validates parsed JSON as an incident-replay model. */
export function validateIncidentReplayModel(json: unknown): Validated<IncidentReplayModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'pick', 'vol_mode', 'max_observation_gap_days'], '');
  const version = c.header(root, 'scenarios/incident-replay');
  const pick = c.oneOf(root, 'pick', '', ['covering', 'nearest'] as const);
  const volMode = c.oneOf(root, 'vol_mode', '', ['absolute', 'relative'] as const);
  const gap = c.number(root, 'max_observation_gap_days', '', { exclusiveMin: 0 });
  return c.result(() => deepFreeze({
    model: 'scenarios/incident-replay' as const, version, description: root['description'] as string,
    pick, vol_mode: volMode, max_observation_gap_days: gap,
  }));
}
