/**
 * What each role may do (DESIGN.md §8). A route names one permission in its config; the authentication hook checks
 * it after verifying the key. Desk keys are further scoped to their own desk's accounts by the account routes (a
 * foreign account answers 404, exactly like a missing one).
 *
 * - desk: its desk's account margins, what-if margins, and the market reads (surfaces, correlation, scenarios);
 * - analyst: every read, starting runs, stress tests, schedules, metrics;
 * - admin: everything, including promotion and rollback.
 */
import type { ApiKeyRole } from '../../store/index.ts';

/** Every permission a route can require; `public` routes need no key. */
export const PERMISSIONS = Object.freeze([
  'public',
  'accounts:read',
  'margin:what-if',
  'market:read',
  'runs:read',
  'runs:start',
  'calibration:promote',
  'stress:run',
  'schedules:read',
  'schedules:write',
  'metrics:read',
] as const);

/** A permission a route requires. */
export type Permission = (typeof PERMISSIONS)[number];

const DESK: readonly Permission[] = ['accounts:read', 'margin:what-if', 'market:read'];
const ANALYST: readonly Permission[] = [...DESK, 'runs:read', 'runs:start', 'stress:run', 'schedules:read', 'schedules:write', 'metrics:read'];
const ADMIN: readonly Permission[] = [...ANALYST, 'calibration:promote'];

const GRANTS: Readonly<Record<ApiKeyRole, ReadonlySet<Permission>>> = Object.freeze({
  desk: new Set(DESK),
  analyst: new Set(ANALYST),
  admin: new Set(ADMIN),
});

/** Whether `role` holds `permission` (`public` is held by everyone). */
export function roleMay(role: ApiKeyRole, permission: Permission): boolean {
  return permission === 'public' || GRANTS[role].has(permission);
}

/** The caller behind a verified key (never the key itself). */
export interface Principal {
  /** The key's public id (`ak_<id>.<secret>`), used for rate limits, audit actors and logs. */
  readonly keyId: string;
  readonly role: ApiKeyRole;
  /** The desk of a desk key, null for analyst and admin keys. */
  readonly desk: string | null;
}

/** Whether `principal` may see an account of `desk`: desk keys only their own desk, other roles every desk. */
export function maySeeDesk(principal: Principal, desk: string): boolean {
  return principal.role !== 'desk' || principal.desk === desk;
}

/** The audit actor of a principal: `key:<id>`. */
export function actorOf(principal: Principal): string {
  return `key:${principal.keyId}`;
}
