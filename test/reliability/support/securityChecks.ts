/**
 * Assertions shared by the security suite: an error answer is application/problem+json with exactly the problem
 * fields, its status in the body, and nothing of the server in it (no stack, SQL, path, engine name or key), once
 * the caller's own input echoed back (e.g. an id in `instance` or `detail`) is taken out.
 */
import { expect } from 'vitest';
import { enc, LEAKS, PROBLEM_KEYS } from './securityRoutes.ts';

/** A response as light-my-request or the raw client gives it. */
export interface AnyResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
}

/** The body with each of `echoes` (and its JSON-escaped and URL-encoded forms) removed. */
export function withoutEchoes(body: string, echoes: readonly string[]): string {
  let out = body;
  for (const e of echoes) {
    if (e === '') continue;
    for (const form of [e, JSON.stringify(e).slice(1, -1), enc(e)]) out = out.split(form).join('');
  }
  return out;
}

/** Asserts `r` is a problem of status `status` (a number or a predicate) that leaks nothing (see the module comment). */
export function expectProblem(r: AnyResponse, status: number | ((s: number) => boolean), what: string, echoes: readonly string[] = []): Record<string, unknown> {
  if (typeof status === 'number') expect(r.statusCode, `${what}: ${r.body.slice(0, 300)}`).toBe(status);
  else expect(status(r.statusCode), `${what}: status ${r.statusCode}: ${r.body.slice(0, 300)}`).toBe(true);
  expect(String(r.headers['content-type']), what).toMatch(/^application\/problem\+json/);
  const p = JSON.parse(r.body) as Record<string, unknown>;
  expect(Object.keys(p).every((k) => PROBLEM_KEYS.includes(k)), `${what}: keys ${Object.keys(p).join(',')}`).toBe(true);
  expect(p['status'], what).toBe(r.statusCode);
  expect(withoutEchoes(r.body, echoes), what).not.toMatch(LEAKS);
  return p;
}

/** Asserts no response header carries a CR or LF, or a header the request tried to smuggle in. */
export function expectCleanHeaders(r: AnyResponse, what: string): void {
  for (const [name, value] of Object.entries(r.headers)) {
    for (const v of [value].flat()) expect(String(v), `${what}: header ${name}`).not.toMatch(/[\r\n\0]/);
  }
  expect(r.headers['set-cookie'], what).toBeUndefined();
  expect(r.headers['x-injected'], what).toBeUndefined();
}
