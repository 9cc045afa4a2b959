/**
 * The recalibration pipeline of DESIGN.md §1 as stages over loaded inputs (no I/O, no store): surfaces, history
 * and correlation, scenarios, revaluation, margin, collateral and attribution, backtest, report. Each stage emits
 * progress events; per-object failures are collected (the run is then `partial`). The output is a pure function of
 * the inputs, the seed and the code version: the report JSON is byte-identical for identical inputs.
 */
import {
  combineScenarioSets, expectValid, filteredHistoricalScenarios, futuresMarkObservations, incidentReplayScenarios, policyFor,
  validateFilteredHistoricalModel, validateIncidentPolicy, validateIncidentReplayModel, type AtmTermStructure, type ScenarioSet,
} from '../../scenarios/index.ts';
import { postIncidentDailyVolatility, STABLECOINS, validateHaircutSchedule, type ScenarioMarginDefinition } from '../../risk/index.ts';
import { buildReportModel, renderReportJson, type ReportModel, type BacktestInput as ReportBacktestInput } from '../../report/index.ts';
import { RECALIBRATION_STAGES, type ProgressListener } from '../progress.ts';
import { StageFailures, type StageFailure } from './failures.ts';
import type { RecalibrationInputs } from './inputs.ts';
import { buildBacktests, type BacktestOutcome } from './stages/backtest.ts';
import { openBook, revalueBook, rowDeltasUsd, type OpenBook } from './stages/book.ts';
import { buildHistory, type HistoryStage } from './stages/history.ts';
import { calibrationMatrix, computeMargins, type AccountResult, type CalibrationMatrix } from './stages/margins.ts';
import { accountInputs, correlationInput, scenarioPnlInputs, surfaceInputs } from './stages/reportInput.ts';
import { fitSideMarket, type SideMarket } from './stages/surfaces.ts';

/** Options of {@link runRecalibrationPipeline}. */
export interface PipelineOptions {
  /** Identifier written into the report's provenance. */
  readonly runId: string;
  readonly codeVersion: string;
  readonly onProgress?: ProgressListener;
  /** Clock for progress events only (results never depend on it). */
  readonly now?: () => number;
  /**
   * Awaited before each stage with the stage name and the fraction of stages done: the job records progress and
   * renews its lease there (and the crash tests inject their faults there).
   */
  readonly checkpoint?: (stage: string, progress: number) => Promise<void>;
}

/** Everything the job stores and writes. */
export interface PipelineOutput {
  readonly before: SideMarket;
  readonly after: SideMarket;
  readonly history: HistoryStage;
  readonly book: OpenBook;
  readonly scenariosBefore: ScenarioSet;
  readonly scenariosAfter: ScenarioSet;
  readonly matrix: CalibrationMatrix;
  readonly instrumentIds: readonly string[];
  readonly marginDefinition: ScenarioMarginDefinition;
  readonly accounts: readonly AccountResult[];
  readonly backtests: readonly BacktestOutcome[];
  readonly report: ReportModel;
  readonly reportJson: string;
  readonly failures: readonly StageFailure[];
  /** Headline figures (USD) for the run's summary. */
  readonly summary: Readonly<Record<string, number | string>>;
}

/** ATM vol term structure per underlying of a side's fitted surfaces (tenor = years x 365 days). */
function atmTermStructures(side: SideMarket): Record<string, AtmTermStructure> {
  const out: Record<string, AtmTermStructure> = {};
  for (const [u, fit] of Object.entries(side.fits)) {
    const slices = fit.slices.filter((s) => s.expiry > 0 && Number.isFinite(s.atmVol) && s.atmVol > 0);
    if (slices.length > 0) out[u] = { tenorDays: slices.map((s) => s.expiry * 365), vols: slices.map((s) => s.atmVol) };
  }
  return out;
}

/** Runs every stage (see the module comment). Throws only for a failure that leaves nothing to compute. */
export async function runRecalibrationPipeline(inputs: RecalibrationInputs, options: PipelineOptions): Promise<PipelineOutput> {
  const now = options.now ?? (() => 0);
  const emit = options.onProgress ?? (() => undefined);
  const safeEmit: ProgressListener = (e) => {
    try {
      emit(e);
    } catch {
      // a listener must not break the run
    }
  };
  const failures = new StageFailures(safeEmit, now);
  const stages = RECALIBRATION_STAGES.length;
  const stage = async <T>(name: (typeof RECALIBRATION_STAGES)[number], total: number, fn: (tick: (done: number) => void) => T): Promise<T> => {
    const index = RECALIBRATION_STAGES.indexOf(name);
    await options.checkpoint?.(name, index / stages);
    const t0 = now();
    const before = failures.list.length;
    safeEmit({ type: 'stage-start', stage: name, index, stages, total, at: t0 });
    let last = -1;
    const tick = (done: number) => {
      const t = now();
      if (t - last < 250 && done < total) return;
      last = t;
      safeEmit({ type: 'stage-progress', stage: name, done, total, at: t });
    };
    const out = fn(tick);
    safeEmit({ type: 'stage-end', stage: name, done: total, total, failures: failures.list.slice(before).filter((f) => f.fatal).length, elapsedMs: now() - t0, at: now() });
    return out;
  };
  const m = inputs.methodology;
  const policyJson = inputs.models['incident_policy'];
  const policy = expectValid(validateIncidentPolicy(policyJson), m.models.incident_policy);
  const fhsScenarioModel = expectValid(validateFilteredHistoricalModel(inputs.models['scenarios']), m.models.scenarios);
  const replayModel = expectValid(validateIncidentReplayModel(inputs.models['replay']), m.models.replay);
  const haircuts = expectValid(validateHaircutSchedule(inputs.models['haircuts']), m.models.haircuts);

  // load + clean: parsing happened in the loader; its per-row failures are reported here
  await stage('load', 1, () => {
    const parseFailures = [...inputs.before.failures, ...inputs.after.failures];
    const parseBad = parseFailures.length + inputs.before.omittedFailures + inputs.after.omittedFailures;
    if (parseBad > 0) failures.note('load', 'market files', `${parseBad} bad rows skipped (first: ${parseFailures[0]?.file} line ${parseFailures[0]?.line} ${parseFailures[0]?.column}: ${parseFailures[0]?.reason})`);
    const priceBad = inputs.priceFailures.length + inputs.priceFailuresOmitted;
    if (priceBad > 0) failures.note('load', 'daily prices', `${priceBad} bad rows skipped`);
    for (const f of inputs.portfolioFailures) failures.add('load', f.accountId ?? `account #${f.accountIndex}`, `${f.file} ${f.field}: ${f.detail ?? f.reason}`);
    // bad accounts past the kept ones are one failure with their count (each is still left out of the run)
    if (inputs.portfolioFailuresOmitted > 0) failures.add('load', `${inputs.portfolioFailuresOmitted} more accounts`, `${inputs.portfolioFile}: ${inputs.portfolioFailuresOmitted} more bad accounts not listed (only the first ${inputs.portfolioFailures.length} are kept)`);
  });
  const book = await stage('clean', 1, () => openBook(inputs.accounts, inputs.before.takenAtMs, inputs.after.takenAtMs, inputs.portfolioFile, failures));
  if (book.accounts.length === 0) throw new Error('no account of the portfolio file can be margined');
  const [before, after] = await stage('surfaces', 2 * m.underlyings.length, (tick) => {
    const b = fitSideMarket(inputs.before, 'before', m.underlyings, failures);
    tick(m.underlyings.length);
    const a = fitSideMarket(inputs.after, 'after', m.underlyings, failures);
    return [b, a] as const;
  });
  const history = await stage('correlation', 1, () => buildHistory(inputs.series, inputs.incident, policy, m.underlyings, inputs.after.takenAtMs, m.correlation.lambda));
  const [scenariosBefore, scenariosAfter] = await stage('scenarios', 2, () => {
    const pre = filteredHistoricalScenarios(history.underlyingPanel, fhsScenarioModel, { asOf: history.preAsOf, seed: inputs.seed });
    const fhsPost = filteredHistoricalScenarios(history.underlyingPanel, fhsScenarioModel, { asOf: history.postAsOf, seed: inputs.seed });
    if (!policyFor(inputs.incident, policy).replay_scenario) return [pre, fhsPost] as const;
    const replay = incidentReplayScenarios(inputs.incident, replayModel, {
      underlyings: m.underlyings, observations: futuresMarkObservations(inputs.perpetualMarks),
      atmBefore: atmTermStructures(before), atmAfter: atmTermStructures(after),
    });
    for (const u of (replay.details['unobserved'] ?? []) as { asset: string; reason: string }[]) failures.note('scenarios', `replay ${u.asset}`, `no observed move: ${u.reason}`);
    for (const u of (replay.details['volUnchanged'] ?? []) as string[]) failures.note('scenarios', `replay ${u}`, 'no ATM term structure on both sides: vols unchanged');
    return [pre, combineScenarioSets(`${fhsPost.id}+${replay.id}`, `scenarios/composite@${m.version}`, [fhsPost, replay])] as const;
  });
  const matrices = await stage('revaluation', 3, (tick) => {
    const pre = calibrationMatrix(revalueBook(book.bookBefore, before.market, scenariosBefore, 'pre-incident', failures));
    tick(1);
    const mid = calibrationMatrix(revalueBook(book.bookAfter, after.market, scenariosBefore, 'post-incident market, pre-incident scenarios', failures));
    tick(2);
    const post = calibrationMatrix(revalueBook(book.bookAfter, after.market, scenariosAfter, 'post-incident', failures));
    return { pre, mid, post };
  });
  const volatilityDaily: Record<string, number> = {};
  const panel = history.underlyingPanel;
  const postRow = panel.dates.indexOf(history.postAsOf);
  panel.assets.forEach((asset, j) => {
    const r = Array.from({ length: postRow + 1 }, (_, t) => panel.returns[t * panel.assets.length + j] as number);
    volatilityDaily[asset] = postIncidentDailyVolatility(r, { lambda: m.haircut_vol_lambda });
  });
  // stablecoins at par (as revaluation holds them), the coins at the after snapshot's index
  const pricesUsd: Record<string, number> = { USD: 1, ...Object.fromEntries([...STABLECOINS].map((c) => [c, 1])), ...after.index };
  const margins = await stage('margin', book.accounts.length, (tick) => computeMargins({
    accounts: book.accounts, book: book.bookAfter, matrices,
    deltasBefore: rowDeltasUsd(book.bookBefore, before.market, m.underlyings),
    deltasAfter: rowDeltasUsd(book.bookAfter, after.market, m.underlyings),
    fhsEsModel: inputs.models['margin'], maintenanceFactor: m.maintenance_factor,
    incident: { json: inputs.incidentJson, value: inputs.incident, policy: policyJson, asOfMs: inputs.after.takenAtMs },
    haircuts, pricesUsd, volatilityDaily, attributionOrder: m.attribution_order, maxDrivers: m.max_drivers,
  }, failures, tick));
  const backtests = await stage('backtest', 2, (tick) => buildBacktests({
    panel: history.underlyingPanel, incident: inputs.incident, policy, fhsEsModel: inputs.models['backtest_margin'],
    fhsMporScaling: m.backtest.fhs_mpor_scaling, book: book.bookAfter, market: after.market, accounts: margins.results, underlyings: m.underlyings,
  }, failures, tick));
  const report = await stage('report', 1, () => {
    const { accounts, attributions } = accountInputs(margins.results);
    const modelsList = Object.values(inputs.modelVersions).map((v) => {
      const [path, version] = v.split('@') as [string, string];
      const cut = path.indexOf('/');
      return cut < 0 ? { family: path, name: path, version } : { family: path.slice(0, cut), name: path.slice(cut + 1), version };
    });
    const model = buildReportModel({
      provenance: {
        runId: options.runId,
        incident: { id: inputs.incident.id, title: inputs.incident.title, kind: inputs.incident.kind, startedAt: new Date(inputs.incident.startedAtMs).toISOString(), endedAt: new Date(inputs.incident.endedAtMs).toISOString() },
        asOf: new Date(inputs.after.takenAtMs).toISOString(), inputs: inputs.files, models: modelsList, codeVersion: options.codeVersion, seed: inputs.seed,
      },
      surfaces: surfaceInputs(before, after, m.underlyings),
      correlations: [correlationInput(history.correlationBefore, history.correlationAfter, `EWMA correlation of daily log returns (lambda ${m.correlation.lambda}), ${history.correlationBefore.asOf} vs ${history.correlationAfter.asOf}`)],
      scenarioPnl: scenarioPnlInputs(margins.results, scenariosAfter.id, matrices.post.cols),
      accounts, attributions,
      backtests: backtests.map((b) => b.report as ReportBacktestInput),
    }, { topAccounts: m.top_accounts });
    return model;
  });
  const totals = margins.results.reduce((t, r) => ({
    imBefore: t.imBefore + r.before.initialMarginUsd, imAfter: t.imAfter + r.after.initialMarginUsd,
    mmAfter: t.mmAfter + r.after.maintenanceMarginUsd, calls: t.calls + (r.call.callRequired ? 1 : 0), callUsd: t.callUsd + r.call.callAmountUsd,
  }), { imBefore: 0, imAfter: 0, mmAfter: 0, calls: 0, callUsd: 0 });
  return Object.freeze({
    before, after, history, book, scenariosBefore, scenariosAfter, matrix: matrices.post, instrumentIds: book.bookAfter.table.names,
    marginDefinition: margins.postDefinition, accounts: margins.results, backtests, report, reportJson: renderReportJson(report),
    failures: Object.freeze([...failures.list]),
    summary: Object.freeze({
      accounts: margins.results.length, accountsFailed: book.accounts.length - margins.results.length,
      initialMarginBeforeUsd: totals.imBefore, initialMarginAfterUsd: totals.imAfter, maintenanceMarginAfterUsd: totals.mmAfter,
      marginCalls: totals.calls, marginCallUsd: totals.callUsd, scenarios: matrices.post.cols, instruments: book.bookAfter.table.length,
      settledPositions: book.settledPositions, failures: failures.fatalCount,
    }),
  });
}
