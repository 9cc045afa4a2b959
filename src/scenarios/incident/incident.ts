/**
 * The incident input (DESIGN.md §4, `fixtures/incidents/*.json`) and its pure validator. Times are ISO-8601 with
 * an explicit offset (`Z`), parsed to UTC epoch ms.
 */
import { parseIsoDateTimeUtc } from '../../market/index.ts';
import type { Validated } from '../errors.ts';
import { Checker, deepFreeze } from '../models/check.ts';

/** Incident kinds (DESIGN.md §4). */
export const INCIDENT_KINDS = Object.freeze([
  'exploit', 'oracle-manipulation', 'interoperability-failure', 'patch-deployment', 'outage', 'market-shock',
] as const);

/** One of {@link INCIDENT_KINDS}. */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** A validated incident. */
export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly kind: IncidentKind;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly patchedAt?: string;
  /** `startedAt` as UTC epoch ms. */
  readonly startedAtMs: number;
  /** `endedAt` as UTC epoch ms (>= startedAtMs). */
  readonly endedAtMs: number;
  readonly patchedAtMs?: number;
  readonly affected: { readonly underlyings: readonly string[]; readonly venues?: readonly string[] };
  /** 1 (minor) .. 5 (critical). */
  readonly severity: number;
  readonly notes: string;
}

function time(c: Checker, obj: Record<string, unknown>, key: string, optional: boolean): { text: string; ms: number } | undefined {
  if (optional && obj[key] === undefined) return undefined;
  const text = c.string(obj, key, '');
  if (text === '') return { text, ms: Number.NaN };
  const ms = parseIsoDateTimeUtc(text);
  if (ms === null) {
    c.fail(key, `expected an ISO-8601 date-time with offset, e.g. 2026-02-05T21:30:00Z, got '${text}'`);
    return { text, ms: Number.NaN };
  }
  return { text, ms };
}

/** Validates a parsed incident file; every issue with its path, or the typed frozen value. */
export function validateIncident(json: unknown): Validated<Incident> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['id', 'title', 'kind', 'startedAt', 'endedAt', 'patchedAt', 'affected', 'severity', 'notes', 'source'], '');
  const id = c.string(root, 'id', '');
  if (id !== '' && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) c.fail('id', `ids use letters, digits, '.', '_' and '-', got '${id}'`);
  const title = c.string(root, 'title', '');
  const kind = c.oneOf(root, 'kind', '', INCIDENT_KINDS);
  const started = time(c, root, 'startedAt', false) as { text: string; ms: number };
  const ended = time(c, root, 'endedAt', false) as { text: string; ms: number };
  const patched = time(c, root, 'patchedAt', true);
  if (ended.ms < started.ms) c.fail('endedAt', `ends (${ended.text}) before it starts (${started.text})`);
  if (patched !== undefined && patched.ms < started.ms) c.fail('patchedAt', `patched (${patched.text}) before the incident started (${started.text})`);
  const aff = c.object(root['affected'], 'affected');
  let underlyings: string[] = [];
  let venues: string[] | undefined;
  if (aff !== undefined) {
    c.noExtraKeys(aff, ['underlyings', 'venues'], 'affected');
    underlyings = c.array(aff, 'underlyings', 'affected').map((u, i) => {
      if (typeof u !== 'string' || !/^[A-Z0-9]+$/.test(u)) c.fail(`affected.underlyings[${i}]`, `expected an upper-case asset code, got ${JSON.stringify(u)}`);
      return String(u);
    });
    underlyings.forEach((u, i) => {
      if (underlyings.indexOf(u) !== i) c.fail(`affected.underlyings[${i}]`, `duplicate '${u}'`);
    });
    if (aff['venues'] !== undefined) {
      venues = c.array(aff, 'venues', 'affected', false).map((v, i) => {
        if (typeof v !== 'string' || v === '') c.fail(`affected.venues[${i}]`, 'expected a non-empty string');
        return String(v);
      });
    }
  }
  const severity = c.number(root, 'severity', '', { integer: true, min: 1, max: 5 });
  const notes = typeof root['notes'] === 'string' ? root['notes'] : c.string(root, 'notes', '');
  return c.result(() => deepFreeze({
    id, title, kind, startedAt: started.text, endedAt: ended.text,
    ...(patched === undefined ? {} : { patchedAt: patched.text, patchedAtMs: patched.ms }),
    startedAtMs: started.ms, endedAtMs: ended.ms,
    affected: venues === undefined ? { underlyings } : { underlyings, venues },
    severity, notes,
  }));
}
