/**
 * Finding an account in a snapshot for a caller, and its response body. Desk keys see only their desk's accounts:
 * another desk's account is answered exactly like a missing one (same status, same detail), so account ids do not
 * leak across desks. An account whose stored attribution is malformed answers a 500 with a generic detail (the reason
 * goes to the log).
 */
import type { FastifyBaseLogger } from 'fastify';
import { maySeeDesk, type Principal } from '../auth/permissions.ts';
import { ApiProblem } from '../problem.ts';
import type { AccountMargin } from '../schemas/accounts.ts';
import type { AccountEntry, CalibrationSnapshot, RunCalibration } from './snapshot.ts';

/** The snapshot's per-run data, or a 503 problem when nothing is active. */
export function requireCalibration(snapshot: CalibrationSnapshot): { run: NonNullable<CalibrationSnapshot['run']>; calibration: RunCalibration } {
  if (snapshot.run === null || snapshot.calibration === null) {
    throw new ApiProblem('unavailable', 'there is no active calibration: promote a run first', [], { 'retry-after': '5' });
  }
  return { run: snapshot.run, calibration: snapshot.calibration };
}

/** The 404 of an account the caller cannot see (missing or another desk's). */
export function accountNotFound(accountId: string): ApiProblem {
  return new ApiProblem('not-found', `account "${accountId}" is not in the active calibration`);
}

/** The account `accountId` as `principal` may see it, or the 404/500 problem (see the module comment). */
export function visibleAccount(snapshot: CalibrationSnapshot, principal: Principal, accountId: string, log: FastifyBaseLogger): AccountEntry {
  const { calibration } = requireCalibration(snapshot);
  const entry = calibration.accounts.get(accountId);
  if (entry === undefined || !maySeeDesk(principal, entry.record.desk)) throw accountNotFound(accountId);
  if (entry.malformed !== null) {
    log.error({ accountId, runId: calibration.runId, reason: entry.malformed }, 'stored account margin is malformed');
    throw new ApiProblem('internal', 'the stored margin of this account cannot be served; quote the requestId when reporting it');
  }
  return entry;
}

const serialized = new WeakMap<CalibrationSnapshot, Map<string, string>>();

/**
 * The response body of an account as JSON text, built once per snapshot and account (the body depends on nothing
 * else: the snapshot is immutable), so a read costs a map lookup instead of a serialisation.
 */
export function accountMarginJson(entry: AccountEntry, snapshot: CalibrationSnapshot): string {
  let bodies = serialized.get(snapshot);
  if (bodies === undefined) {
    bodies = new Map();
    serialized.set(snapshot, bodies);
  }
  let text = bodies.get(entry.record.accountId);
  if (text === undefined) {
    text = JSON.stringify(accountMarginBody(entry, snapshot));
    bodies.set(entry.record.accountId, text);
  }
  return text;
}

/** The response body of an account (see schemas/accounts.ts). */
export function accountMarginBody(entry: AccountEntry, snapshot: CalibrationSnapshot): AccountMargin {
  const r = entry.record;
  const a = entry.attribution;
  return {
    accountId: r.accountId,
    desk: r.desk,
    runId: r.runId,
    generation: snapshot.generation,
    currency: 'USD',
    initialMarginUsd: r.initialMargin,
    maintenanceMarginUsd: r.maintenanceMargin,
    collateralValueUsd: r.collateralValue,
    excessUsd: r.excess,
    deficitUsd: Math.max(0, -r.excess),
    marginCallUsd: a === null ? null : a.marginCallUsd,
    attributionFormat: a === null ? null : a.format,
    preIncident: a?.preIncident ?? null,
    change: a === null || a.change === null ? null : { totalUsd: a.change.totalUsd, effects: [...a.change.effects], order: [...a.change.order] },
    worstScenario: a?.worstScenario ?? null,
    drivers: a === null ? [] : [...a.drivers],
    components: a?.components ?? null,
    positions: a === null ? [] : [...a.positions],
  };
}
