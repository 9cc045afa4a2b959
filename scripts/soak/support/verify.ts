/**
 * Checks every answer of the soak. A calibrated answer (account margin, what-if, stress test, surface) names the run
 * and the generation of the snapshot that served it; its figures must equal exactly what that run stores (margins,
 * maintenance, collateral and excess of the account; the run's scenarioMargin of the posted portfolio; the run's
 * surface scale), or the answer is a mismatch (a torn or wrong read). Also mismatches:
 * - a generation answered by two different runs, or by a run other than the one the operator made active at it;
 * - a stale read: a request sent after the operator's promotion or rollback was acknowledged (the API refreshes its
 *   snapshot before acknowledging) that is answered from an older generation;
 * - a run list with other than exactly one active run.
 * Any status other than the planned ones, a body that is not the documented JSON, or an expected error (401/403/404,
 * 429 for bad keys) that is not an application/problem+json naming its status (401 with a Bearer challenge, 429 with
 * Retry-After), is an unexpected error.
 */
import type { PlannedRequest, RouteKind } from './requests.ts';
import type { SoakWorld } from './world.ts';

/** What the driver hands over for each answer. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly wwwAuthenticate: string | undefined;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/** The outcome of one answer. */
export type Outcome = 'ok' | 'expected-error' | 'unexpected' | 'mismatch';

/** A bounded list of examples with a total count per type. */
export class Tally {
  readonly byType = new Map<string, number>();
  readonly samples: string[] = [];
  total = 0;
  add(type: string, detail: string): void {
    this.total++;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    if (this.samples.length < 20) this.samples.push(`${type}: ${detail.slice(0, 400)}`);
  }
  toJSON(): { total: number; byType: Record<string, number>; samples: string[] } {
    return { total: this.total, byType: Object.fromEntries(this.byType), samples: [...this.samples] };
  }
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/** See the module comment. */
export class Verifier {
  readonly #world: SoakWorld;
  /** The run made active at each generation (the base run's and every acknowledged lifecycle event's). */
  readonly #activeAt = new Map<number, string>();
  /** Run ids seen answering each generation, with counts. */
  readonly observed = new Map<number, Map<string, number>>();
  readonly unexpected = new Tally();
  readonly mismatches = new Tally();
  /** Expected errors by `kind status`. */
  readonly expectedErrors = new Map<string, number>();
  /** Answers whose figures were compared with the run they name, by kind. */
  readonly checked = new Map<RouteKind, number>();
  /** /health statuses seen. */
  readonly health = new Map<string, number>();
  /** Generation of the last acknowledged lifecycle event: every request sent from now on must see it or later. */
  floor: number;

  constructor(world: SoakWorld) {
    this.#world = world;
    this.floor = world.baseGeneration;
    this.#activeAt.set(world.baseGeneration, world.baseRunId);
  }

  /** The operator made `runId` active at `generation` and the API acknowledged it. */
  acknowledged(generation: number, runId: string): void {
    this.#activeAt.set(generation, runId);
    this.floor = Math.max(this.floor, generation);
  }

  /** A transport failure (connection error, timeout): unexpected. */
  failed(req: PlannedRequest, reason: string): void {
    this.unexpected.add(`${req.kind} transport`, `${req.method} ${req.path}: ${reason}`);
  }

  /** Checks one answer; `floor` is {@link floor} when the request was sent. */
  check(req: PlannedRequest, answer: Answer, floor: number): Outcome {
    const where = `${req.method} ${req.path} (${req.variant})`;
    if (answer.status !== req.expectStatus && !req.alsoAllowed.includes(answer.status)) {
      this.unexpected.add(`${req.kind} status ${answer.status}`, `${where}: expected ${req.expectStatus}: ${answer.body}`);
      return 'unexpected';
    }
    let body: Json;
    try {
      body = JSON.parse(answer.body) as Json;
    } catch {
      this.unexpected.add(`${req.kind} body`, `${where}: not JSON: ${answer.body}`);
      return 'unexpected';
    }
    if (req.expectStatus !== 200) return this.#expectedError(req, answer, body, where);
    const problem = this.#calibrated(req, body, floor);
    if (problem === null) return 'ok';
    this.mismatches.add(`${req.kind} ${problem.type}`, `${where}: ${problem.detail}`);
    return 'mismatch';
  }

  #expectedError(req: PlannedRequest, answer: Answer, body: Json, where: string): Outcome {
    const problem = answer.contentType.startsWith('application/problem+json') && body.status === answer.status && typeof body.title === 'string';
    const challenge = (answer.status !== 401 || (answer.wwwAuthenticate ?? '').startsWith('Bearer'))
      && (answer.status !== 429 || /^\d+$/.test(answer.retryAfter ?? ''));
    // a foreign account must read exactly like a missing one
    const sameAsMissing = answer.status !== 404 || body.detail === `account "${req.accountIds[0]}" is not in the active calibration`;
    if (!problem || !challenge || !sameAsMissing) {
      this.unexpected.add(`${req.kind} problem`, `${where}: ${answer.contentType} ${answer.body}`);
      return 'unexpected';
    }
    const key = `${req.kind} ${answer.status}`;
    this.expectedErrors.set(key, (this.expectedErrors.get(key) ?? 0) + 1);
    return 'expected-error';
  }

  /** null when the answer is right, else the mismatch. */
  #calibrated(req: PlannedRequest, body: Json, floor: number): { type: string; detail: string } | null {
    if (req.kind === 'health') {
      const status = String(body.status);
      this.health.set(status, (this.health.get(status) ?? 0) + 1);
      const active = (body.calibration as Json | undefined)?.active === true;
      return status === 'starting' || !active ? { type: 'health', detail: JSON.stringify(body) } : null;
    }
    if (req.kind === 'runs-list') {
      const runs = Array.isArray(body.runs) ? (body.runs as Json[]) : [];
      const active = runs.filter((r) => r.status === 'active').map((r) => String(r.id));
      this.#count(req.kind);
      return active.length === 1 && this.#world.runs.has(active[0] as string) ? null : { type: 'active-runs', detail: `active runs ${JSON.stringify(active)}` };
    }
    const runId = String(body.runId);
    const generation = num(body.generation);
    const run = this.#world.runs.get(runId);
    if (run === undefined) return { type: 'unknown-run', detail: `run ${runId}` };
    let seen = this.observed.get(generation);
    if (seen === undefined) this.observed.set(generation, (seen = new Map()));
    seen.set(runId, (seen.get(runId) ?? 0) + 1);
    if (!(generation >= floor)) return { type: 'stale', detail: `generation ${generation} (run ${runId}) answered a request sent after generation ${floor} was acknowledged` };
    this.#count(req.kind);
    const wrong = (field: string, got: unknown, want: number): { type: string; detail: string } =>
      ({ type: 'figures', detail: `run ${runId} generation ${generation}: ${field} ${String(got)}, the run stores ${want}` });
    switch (req.kind) {
      case 'account':
      case 'account-desk': {
        const id = req.accountIds[0] as string;
        const a = run.accounts.get(id);
        if (a === undefined || body.accountId !== id || body.desk !== a.desk) return { type: 'figures', detail: `account ${String(body.accountId)} of ${String(body.desk)}` };
        if (body.initialMarginUsd !== a.initialMarginUsd) return wrong(`${id} initialMarginUsd`, body.initialMarginUsd, a.initialMarginUsd);
        if (body.maintenanceMarginUsd !== a.maintenanceMarginUsd) return wrong(`${id} maintenanceMarginUsd`, body.maintenanceMarginUsd, a.maintenanceMarginUsd);
        if (body.collateralValueUsd !== a.collateralValueUsd) return wrong(`${id} collateralValueUsd`, body.collateralValueUsd, a.collateralValueUsd);
        const excess = a.collateralValueUsd - a.initialMarginUsd;
        return body.excessUsd === excess ? null : wrong(`${id} excessUsd`, body.excessUsd, excess);
      }
      case 'what-if':
        if (body.initialMarginUsd !== run.whatIf.initialMarginUsd) return wrong('initialMarginUsd', body.initialMarginUsd, run.whatIf.initialMarginUsd);
        return body.maintenanceMarginUsd === run.whatIf.maintenanceMarginUsd ? null : wrong('maintenanceMarginUsd', body.maintenanceMarginUsd, run.whatIf.maintenanceMarginUsd);
      case 'stress': {
        const results = Array.isArray(body.results) ? (body.results as Json[]) : [];
        if (results.length !== 1 + req.accountIds.length || body.failed !== 0) return { type: 'figures', detail: `${results.length} results, ${String(body.failed)} failed` };
        const [posted, ...stored] = results as [Json, ...Json[]];
        if (posted.initialMarginUsd !== run.whatIf.initialMarginUsd) return wrong('posted initialMarginUsd', posted.initialMarginUsd, run.whatIf.initialMarginUsd);
        for (const [i, r] of stored.entries()) {
          const id = req.accountIds[i] as string;
          const a = run.accounts.get(id);
          if (a === undefined || r.id !== id) return { type: 'figures', detail: `result ${i + 1} is ${String(r.id)}, asked ${id}` };
          if (r.initialMarginUsd !== a.initialMarginUsd) return wrong(`${id} initialMarginUsd`, r.initialMarginUsd, a.initialMarginUsd);
          if (r.maintenanceMarginUsd !== a.maintenanceMarginUsd) return wrong(`${id} maintenanceMarginUsd`, r.maintenanceMarginUsd, a.maintenanceMarginUsd);
        }
        return null;
      }
      case 'surface': {
        const scale = (body.parameters as Json | undefined)?.scale;
        return scale === run.scale ? null : wrong('surface scale', scale, run.scale);
      }
      default:
        return { type: 'unplanned', detail: `no check for ${req.kind}` };
    }
  }

  #count(kind: RouteKind): void {
    this.checked.set(kind, (this.checked.get(kind) ?? 0) + 1);
  }

  /**
   * After the soak: every generation answered must have been answered by one run only, the one made active at it;
   * returns the acknowledged generations no answer came from (a promotion the server never served).
   */
  finish(): { unobserved: number[] } {
    for (const [generation, runs] of this.observed) {
      const want = this.#activeAt.get(generation);
      const got = [...runs.keys()];
      if (got.length !== 1 || got[0] !== want) {
        this.mismatches.add('generation', `generation ${generation} answered by ${JSON.stringify(Object.fromEntries(runs))}, made active: ${want ?? 'none'}`);
      }
    }
    return { unobserved: [...this.#activeAt.keys()].filter((g) => !this.observed.has(g)).sort((a, b) => a - b) };
  }
}
