/**
 * The recalibration job (I/O): load and hash the inputs, create the run (a `running` candidate with its provenance),
 * run the pipeline with progress recorded on the run and its lease renewed between stages, store every result in
 * ONE transaction-per-aggregate sequence while the run is `running` (a reader never serves a running run), write
 * the report files, and finish the run `candidate`, `partial` or `failed`. Nothing here touches the active
 * calibration: only promotion does. A job killed at any point leaves a `running` run whose lease expires; the next
 * store open marks it `interrupted` (markInterruptedRuns), and its partial payloads can never become active.
 *
 * The store's faults: transient ones (a database restarting, a SQLite lock held by another process) are retried by
 * the store within its budget (OpenStoreOptions.retry), and the job's own reads and progress updates go through
 * withStoreRetry; past the budget, or with the database full, the job stops with RecalibrationStoreError naming
 * the run, the stage and the database, after one attempt to mark the run `failed`.
 *
 * Run id: `<incident id>-<first 10 hex of the SHA-256 of the inputs' hashes, model versions, code version and seed>`,
 * suffixed `-2`, `-3`... when that id exists in the store: the same inputs on a fresh store give the same id, hence
 * byte-identical report JSON.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { renderReportHtml, writeReport, type WrittenReport } from '../../report/index.ts';
import {
  createRun, findRun, finishRun, getActiveRun, heartbeatRun, isStoreFault, listAccountMargins, putAccountMargins, putBacktest,
  putCollateralHoldings, putCorrelation, putIncident, putPnlMatrix, putRunMarginModel, putRunReport, putScenarioSet,
  StoreBusyError, StoreUnavailableError, updateRunProgress, withRetryPolicy, withStoreRetry, type FinishRunInput, type Store, type RunRecord,
} from '../../store/index.ts';
import type { ProgressListener } from '../progress.ts';
import { evaluateGates, shadowCompare, type GateResult, type ShadowComparison } from './gates.ts';
import { loadRecalibrationInputs, type RecalibrationRequest } from './inputs.ts';
import { runRecalibrationPipeline, type PipelineOutput } from './pipeline.ts';
import { storeSurfaces } from './persist.ts';

/** Lease of a running recalibration: its heartbeat is renewed at least this often... */
export const RECALIBRATION_HEARTBEAT_MS = 5_000;
/** ...and a run whose heartbeat is older than this is taken as dead (markInterruptedRuns). */
export const RECALIBRATION_LEASE_MS = 60_000;

/** Options of {@link runRecalibrationJob}. */
export interface RecalibrationJobOptions {
  readonly store: Store;
  readonly request: RecalibrationRequest;
  /** Directory for the report files (`<runId>.json`, `<runId>.html`); none: stored only. */
  readonly outDir?: string;
  readonly onProgress?: ProgressListener;
  /** Code version recorded in the provenance (e.g. `aftershock@0.1.0+<commit>`). */
  readonly codeVersion: string;
  /** Who runs it (default `<host>:<pid>`). */
  readonly owner?: string;
  /** Fault injection for the crash tests: awaited at each stage boundary, after the payloads (`store:report`) and before finishing (`finish`). */
  readonly beforeStage?: (stage: string) => Promise<void> | void;
  /** Clock of progress events (default Date.now). */
  readonly now?: () => number;
}

/**
 * The store failed under a recalibration: unreachable or locked beyond its retries, or full (`cause` is the
 * store's StoreUnavailableError, StoreBusyError or StoreFullError). The message names the run, the stage, the
 * database and the reason, and says whether the run could be marked `failed` (otherwise it stays `running` until
 * its lease expires and is then marked `interrupted`). Either way it can never be promoted, and nothing else
 * stored changed. The command line exits 1.
 */
export class RecalibrationStoreError extends Error {
  override readonly name = 'RecalibrationStoreError';
  constructor(
    /** The run, or null if the store failed before it was created. */
    readonly runId: string | null,
    /** The stage in progress: a pipeline stage, `create`, `store`, `store:report`, `report-files` or `finish`. */
    readonly stage: string,
    /** Whether the run was marked `failed` (false: it stays `running` until its lease expires). */
    readonly markedFailed: boolean,
    cause: Error,
  ) {
    super(
      runId === null
        ? `recalibration could not create its run: ${cause.message}`
        : `recalibration run ${runId} stopped at stage ${stage}: ${cause.message}; ${markedFailed
          ? 'the run is marked failed'
          : `the run could not be marked failed and stays running until its ${RECALIBRATION_LEASE_MS / 1000} s lease expires, then interrupted`}`,
      { cause },
    );
  }
}

/**
 * Finishes the run; when the connection is lost under the COMMIT (outcome unknown), reads the run back: already
 * finished as asked means the commit went through, still running means it did not and it is tried again.
 */
async function finishOnce(store: Store, runId: string, input: FinishRunInput): Promise<RunRecord> {
  for (;;) {
    try {
      return await finishRun(store, runId, input);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError && error.outcomeUnknown)) throw error;
      const now = await withStoreRetry(store, () => findRun(store, runId));
      if (now?.status === input.status) return now;
      if (now?.status !== 'running') throw error;
    }
  }
}

/** What the job did. */
export interface RecalibrationJobResult {
  readonly run: RunRecord;
  readonly output: PipelineOutput;
  readonly gates: readonly GateResult[];
  readonly shadow: ShadowComparison | null;
  readonly report: WrittenReport | null;
}

async function chooseRunId(store: Store, base: string): Promise<string> {
  const free = async (id: string): Promise<boolean> => (await withStoreRetry(store, () => findRun(store, id))) === null;
  if (await free(base)) return base;
  for (let n = 2; ; n++) if (await free(`${base}-${n}`)) return `${base}-${n}`;
}

/** Runs one recalibration end to end (see the module comment). */
export async function runRecalibrationJob(o: RecalibrationJobOptions): Promise<RecalibrationJobResult> {
  const now = o.now ?? Date.now;
  const emit = (text: string, stage: string | null = null) => o.onProgress?.({ type: 'message', stage, text, at: now() });
  const inputs = await loadRecalibrationInputs(o.request);
  const inputHashes = Object.fromEntries(inputs.files.map((f) => [f.name, f.sha256]));
  const fingerprint = createHash('sha256').update(JSON.stringify({ inputHashes, models: inputs.modelVersions, code: o.codeVersion, seed: inputs.seed })).digest('hex');
  const doc = inputs.incidentJson as { severity?: number };
  // the stage in progress, for the message when the store fails under it
  let stage = 'create';
  let runId: string | null = null;
  let run: RunRecord;
  try {
    await withStoreRetry(o.store, () => putIncident(o.store, {
      id: inputs.incident.id, title: inputs.incident.title, kind: inputs.incident.kind, severity: doc.severity ?? inputs.incident.severity,
      startedAt: inputs.incident.startedAtMs, endedAt: inputs.incident.endedAtMs, patchedAt: inputs.incident.patchedAtMs ?? null, document: inputs.incidentJson,
    }));
    const base = `${inputs.incident.id}-${fingerprint.slice(0, 10)}`;
    let id = await chooseRunId(o.store, base);
    const createInput = (runIdToCreate: string) => ({
      id: runIdToCreate, kind: 'recalibration', incidentId: inputs.incident.id, inputHashes, modelVersions: inputs.modelVersions,
      codeVersion: o.codeVersion, seed: inputs.seed, owner: o.owner ?? `${hostname()}:${process.pid}`,
      options: { ...o.request, before: inputs.before.file, after: inputs.after.file },
    });
    for (let attempt = 0; ; attempt++) {
      try {
        run = await createRun(o.store, createInput(id));
        break;
      } catch (e) {
        // another job with the same inputs took this id between the lookup and the insert: take the next free one
        if (attempt >= 5 || isStoreFault(e) || (await withStoreRetry(o.store, () => findRun(o.store, id))) === null) throw e;
        id = await chooseRunId(o.store, base);
      }
    }
    runId = id;
  } catch (e) {
    throw isStoreFault(e) ? new RecalibrationStoreError(null, stage, false, e) : e;
  }
  const createdId: string = runId;
  emit(`run ${createdId} created (baseline ${run.baselineRunId ?? 'none'})`);
  let lastBeat = now();
  const checkpoint = async (next: string, progress: number): Promise<void> => {
    stage = next;
    await o.beforeStage?.(next);
    await withStoreRetry(o.store, () => updateRunProgress(o.store, createdId, { stage: next, progress }));
    lastBeat = now();
  };
  const step = async (next: string): Promise<void> => {
    stage = next;
    await o.beforeStage?.(next);
  };
  const beat = setInterval(() => {
    if (now() - lastBeat >= RECALIBRATION_HEARTBEAT_MS) void heartbeatRun(o.store, createdId).catch(() => undefined);
  }, RECALIBRATION_HEARTBEAT_MS);
  beat.unref();
  try {
    const output = await runRecalibrationPipeline(inputs, { runId: createdId, codeVersion: o.codeVersion, now, checkpoint, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    await checkpoint('store', 0.95);
    const gates = evaluateGates(output);
    const active = await withStoreRetry(o.store, () => getActiveRun(o.store));
    let shadow: ShadowComparison | null = null;
    if (active !== null) {
      const activeMargins = new Map((await withStoreRetry(o.store, () => listAccountMargins(o.store, active.id))).map((m) => [m.accountId, m.initialMargin]));
      shadow = shadowCompare(active.id, activeMargins, new Map(output.accounts.map((a) => [a.accountId, a.after.initialMarginUsd])));
    }
    await persist(o.store, createdId, output);
    await step('store:report');
    const html = await renderReportHtml(output.report);
    await putRunReport(o.store, createdId, { json: output.reportJson, html });
    stage = 'report-files';
    const report = o.outDir === undefined ? null : await writeReport(output.report, o.outDir, { baseName: createdId });
    await step('finish');
    const fatal = output.failures.filter((f) => f.fatal);
    const summary = { ...output.summary, gates, shadow, notes: output.failures.filter((f) => !f.fatal), reportSha256: createHash('sha256').update(output.reportJson).digest('hex') };
    const finished = await finishOnce(o.store, createdId, fatal.length > 0
      ? { status: 'partial', summary, objectFailures: fatal.map((f) => ({ stage: f.stage, object: f.object, reason: f.reason })) }
      : { status: 'candidate', summary });
    return { run: finished, output, gates, shadow, report };
  } catch (e) {
    const fault = isStoreFault(e);
    const message = e instanceof Error ? e.message : String(e);
    const error = fault ? `stopped at stage ${stage}: ${message}` : message;
    // one attempt when the store just failed past its retries: the budget has been spent waiting already
    const markStore = e instanceof StoreUnavailableError || e instanceof StoreBusyError ? withRetryPolicy(o.store, { budgetMs: 0 }) : o.store;
    const marked = await finishRun(markStore, createdId, { status: 'failed', error }).then(() => true, () => false);
    throw fault ? new RecalibrationStoreError(createdId, stage, marked, e) : e;
  } finally {
    clearInterval(beat);
  }
}

async function persist(store: Store, runId: string, out: PipelineOutput): Promise<void> {
  await storeSurfaces(store, runId, out);
  const c = out.history.correlationAfter;
  await putCorrelation(store, runId, { assets: c.assets, matrix: c.matrix, details: { estimator: 'ewma', asOf: c.asOf, rows: c.rows, repairDistance: c.repairDistance, before: { asOf: out.history.correlationBefore.asOf, matrix: Array.from(out.history.correlationBefore.matrix) } } });
  for (const set of [out.scenariosAfter]) {
    await putScenarioSet(store, runId, {
      setId: set.id, kind: set.kind, scenarioCount: set.scenarios.length,
      definition: { modelVersion: set.modelVersion, underlyings: set.underlyings, scenarios: set.scenarios.map((s) => ({ id: s.id, label: s.label, tags: s.tags })), details: set.details },
      arrays: { spotReturns: { rows: set.scenarios.length, cols: set.underlyings.length, data: set.spotReturnMatrix } },
    });
  }
  await putPnlMatrix(store, runId, { instrumentIds: out.instrumentIds, scenarioIds: out.matrix.scenarioIds, currency: 'USD', data: out.matrix.data });
  await putRunMarginModel(store, runId, out.marginDefinition);
  await putAccountMargins(store, runId, out.accounts.map((a) => ({
    accountId: a.accountId, desk: a.desk, currency: 'USD', initialMargin: a.after.initialMarginUsd, maintenanceMargin: a.after.maintenanceMarginUsd,
    collateralValue: a.collateral.valueAfterHaircutUsd,
    attribution: {
      format: 1, positions: a.positions,
      preIncident: { initialMarginUsd: a.before.initialMarginUsd, maintenanceMarginUsd: a.before.maintenanceMarginUsd },
      change: { totalUsd: a.change.totalUsd, effects: a.change.effects, order: a.change.order },
      worstScenario: a.worstScenario, drivers: a.drivers, marginCallUsd: a.call.callAmountUsd,
      components: {
        esMporUsd: a.after.fhsEs.esMporUsd, apcMarginUsd: a.after.fhsEs.apc.marginUsd, liquidityAddOnUsd: a.after.fhsEs.liquidityAddOnUsd,
        concentrationAddOnUsd: a.after.fhsEs.concentrationAddOnUsd, incidentAddOnUsd: a.after.incidentAddOnUsd,
      },
    },
  })));
  await putCollateralHoldings(store, runId, out.accounts.flatMap((a) => a.collateral.holdings.map((h) => ({
    accountId: a.accountId, asset: h.asset, quantity: h.quantity, price: h.priceUsd, haircut: h.haircut,
  }))));
  for (const b of out.backtests) {
    await putBacktest(store, runId, {
      backtestId: b.id, summary: { ...b.summary, book: b.book, calibration: b.calibration, tests: b.report.tests, dates: b.report.dates },
      series: { margin: Float64Array.from(b.report.margin), pnl: Float64Array.from(b.report.pnl), exceptions: Float64Array.from(b.report.exceptions, (x) => (x ? 1 : 0)) },
    });
  }
}
