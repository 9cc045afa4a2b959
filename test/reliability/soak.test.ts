/**
 * A short run of the API soak (scripts/soak/soak.ts, the code behind `npx tsx scripts/soak/api.ts`): the real server
 * in a child process on 127.0.0.1 under a steady mixed load for 15 s after a 3 s warm-up, while the operator promotes
 * or rolls back through the API every 2 s. Asserts what must hold whatever the machine's speed (no latency or memory
 * thresholds here; those figures belong to the script): no unexpected error, no answer whose figures differ from the
 * run it names, every promotion and rollback acknowledged and then served (the answers switch run id and generation),
 * and the expected errors are exactly 401 for bad keys (or 429 once the address has spent its budget of failed
 * authentications), 404 for another desk's account and 403 for a desk key on an analyst route. A second block feeds the verifier forged answers to show each check can fail.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak/soak.ts';
import type { SoakSummary } from '../../scripts/soak/support/summary.ts';
import { RequestPlanner } from '../../scripts/soak/support/requests.ts';
import { Verifier, type Answer } from '../../scripts/soak/support/verify.ts';
import type { SoakWorld } from '../../scripts/soak/support/world.ts';

describe('API soak (short)', () => {
  let s: SoakSummary;

  it('holds a mixed load across promotions and rollbacks with every answer checked', async () => {
    s = await runSoak({
      measuredSeconds: 15, warmUpSeconds: 3, rate: 150, connections: 16, lifecycleEverySeconds: 2, sampleEverySeconds: 1,
      accounts: 300, scenarios: 300, seed: 20261126, heapBoundMbPerMinute: Number.POSITIVE_INFINITY,
    });
    const v = s.verification;
    console.info(`soak (short): ${s.totals.allRequests} answers, ${s.totals.answersChecked} checked against their run, ${s.totals.expectedErrors} expected errors, ` +
      `${s.lifecycle.promotions} promotions + ${s.lifecycle.rollbacks} rollbacks, ${s.load.shed} shed; unexpected ${s.totals.unexpectedErrors}, mismatches ${s.totals.mismatches}`);
    const detail = JSON.stringify({ unexpected: v.unexpected, mismatches: v.mismatches, log: s.server.logSamples, metrics: s.server.metricsFailures, verdict: s.verdict });
    expect(s.totals.unexpectedErrors, detail).toBe(0);
    expect(s.totals.mismatches, detail).toBe(0);
    expect(s.server.exitCode).toBe(0);
    expect(s.server.logLines, detail).toBe(0);
    // every calibrated kind was answered and checked against the run it named
    for (const kind of ['account', 'account-desk', 'what-if', 'stress', 'runs-list', 'surface']) expect(v.checkedByKind[kind] ?? 0, kind).toBeGreaterThan(0);
    expect(v.health.ok ?? 0).toBeGreaterThan(0);
    expect(s.totals.answersChecked).toBeGreaterThan(500);
  }, 180_000);

  it('served every promotion and rollback: the answers switched run id at each acknowledged generation', () => {
    const events = s.lifecycle.events;
    expect(s.lifecycle.refused, JSON.stringify(events.filter((e) => !e.ok))).toBe(0);
    expect(s.lifecycle.promotions).toBeGreaterThanOrEqual(3);
    expect(s.lifecycle.rollbacks).toBeGreaterThanOrEqual(2);
    expect(s.verification.unobservedGenerations).toEqual([]);
    const served = s.verification.generationsServed;
    for (const e of events) {
      expect(Object.keys(served[String(e.generation)] ?? {}), `generation ${e.generation}`).toEqual([e.runId]);
    }
    // consecutive generations were answered by different runs: each action switched what the answers say
    const generations = Object.keys(served).map(Number).sort((a, b) => a - b);
    for (let i = 1; i < generations.length; i++) {
      expect(Object.keys(served[String(generations[i])]!)[0]).not.toBe(Object.keys(served[String(generations[i - 1])]!)[0]);
    }
    expect(new Set(Object.values(served).flatMap((r) => Object.keys(r))).size).toBe(s.lifecycle.promotions + 1);
  });

  it('answered the expected errors with exactly their codes', () => {
    const codes = Object.keys(s.verification.expectedErrors).sort();
    // 429: the address's budget of failed authentications is spent (only ever for bad keys; see support/requests.ts)
    expect(codes.filter((c) => c !== 'unauthorised 429')).toEqual(['unauthorised 401', 'wrong-desk 404', 'wrong-role 403']);
    for (const n of Object.values(s.verification.expectedErrors)) expect(n).toBeGreaterThan(0);
    const k = Object.fromEntries(s.kinds.map((x) => [x.kind, x]));
    for (const kind of ['unauthorised', 'wrong-desk', 'wrong-role']) expect(k[kind]!.expectedErrors).toBe(k[kind]!.requests);
    expect(s.server.requestsByStatusClass['5xx'] ?? 0).toBe(0);
  });
});

describe('the soak verifier can fail', () => {
  const world: SoakWorld = {
    db: '', baseRunId: 'r0', candidates: ['r1'], baseGeneration: 1, accountIds: ['A1', 'B1'], instruments: 1, scenarios: 1,
    keys: { admin: 'a', analyst: 'n', desks: { alpha: 'da', beta: 'db' }, revoked: 'rv', wrongSecret: 'ws' },
    byDesk: new Map([['alpha', ['A1']], ['beta', ['B1']]]),
    portfolio: [{ instrument: 'BTC-PERPETUAL', quantity: 1 }],
    runs: new Map([
      ['r0', { runId: 'r0', scale: 1, whatIf: { initialMarginUsd: 10, maintenanceMarginUsd: 7.5 }, accounts: new Map([['A1', { desk: 'alpha', initialMarginUsd: 100, maintenanceMarginUsd: 75, collateralValueUsd: 150 }], ['B1', { desk: 'beta', initialMarginUsd: 1, maintenanceMarginUsd: 0.75, collateralValueUsd: 0 }]]) }],
      ['r1', { runId: 'r1', scale: 1.08, whatIf: { initialMarginUsd: 11, maintenanceMarginUsd: 8.25 }, accounts: new Map([['A1', { desk: 'alpha', initialMarginUsd: 120, maintenanceMarginUsd: 90, collateralValueUsd: 148 }], ['B1', { desk: 'beta', initialMarginUsd: 2, maintenanceMarginUsd: 1.5, collateralValueUsd: 0 }]]) }],
    ]),
  };
  const planner = new RequestPlanner(world, 1);
  const read = planner.build('account', 0); // analyst read of A1
  const json = (body: unknown, status = 200, contentType = 'application/json'): Answer => ({ status, contentType, wwwAuthenticate: undefined, retryAfter: undefined, body: JSON.stringify(body) });
  const a1 = (runId: string, generation: number, im: number, mm: number, coll: number) =>
    json({ accountId: 'A1', desk: 'alpha', runId, generation, initialMarginUsd: im, maintenanceMarginUsd: mm, collateralValueUsd: coll, excessUsd: coll - im });

  it('accepts a right answer and flags a torn one (figures of r1 under run id r0)', () => {
    const v = new Verifier(world);
    expect(v.check(read, a1('r0', 1, 100, 75, 150), 1)).toBe('ok');
    expect(v.check(read, a1('r0', 1, 120, 90, 148), 1)).toBe('mismatch');
    expect(v.mismatches.byType.get('account figures')).toBe(1);
  });

  it('flags a stale read after an acknowledged promotion, and a generation served by the wrong run', () => {
    const v = new Verifier(world);
    v.acknowledged(2, 'r1');
    expect(v.check(read, a1('r0', 1, 100, 75, 150), v.floor)).toBe('mismatch');
    expect(v.mismatches.byType.get('account stale')).toBe(1);
    expect(v.check(read, a1('r0', 3, 100, 75, 150), v.floor)).toBe('ok'); // figures right, but generation 3 was never made active
    expect(v.finish().unobserved).toEqual([2]); // the stale answer still counts as generation 1 served
    expect(v.mismatches.byType.get('generation')).toBe(1);
  });

  it('counts a wrong status as unexpected, and an expected 404 only when it reads like a missing account', () => {
    const v = new Verifier(world);
    expect(v.check(read, json({ status: 500 }, 500, 'application/problem+json'), 1)).toBe('unexpected');
    const foreign = planner.build('wrong-desk', 0);
    const missing = { type: 'about:blank', title: 'Not Found', status: 404, detail: `account "${foreign.accountIds[0]}" is not in the active calibration` };
    expect(v.check(foreign, json(missing, 404, 'application/problem+json'), 1)).toBe('expected-error');
    expect(v.check(foreign, json({ ...missing, detail: 'account belongs to another desk' }, 404, 'application/problem+json'), 1)).toBe('unexpected');
    const unauth = planner.build('unauthorised', 0);
    expect(v.check(unauth, json({ title: 'Unauthorized', status: 401 }, 401, 'application/problem+json'), 1)).toBe('unexpected'); // no WWW-Authenticate
    expect(v.check(unauth, { ...json({ title: 'Too Many Requests', status: 429 }, 429, 'application/problem+json') }, 1)).toBe('unexpected'); // no Retry-After
    expect(v.check(unauth, { ...json({ title: 'Too Many Requests', status: 429 }, 429, 'application/problem+json'), retryAfter: '12' }, 1)).toBe('expected-error');
    expect(v.check(read, { ...json({ title: 'Too Many Requests', status: 429 }, 429, 'application/problem+json'), retryAfter: '12' }, 1)).toBe('unexpected'); // never for a valid key
    expect(v.unexpected.total).toBe(5);
    expect(v.expectedErrors.get('wrong-desk 404')).toBe(1);
  });
});
