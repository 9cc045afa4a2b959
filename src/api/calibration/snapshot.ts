/**
 * One immutable snapshot of the active calibration: everything a read needs, loaded once per promotion. It holds
 * the active pointer's generation, the active run, every account's margin (with its attribution checked; its response
 * body is serialised once, on first read: calibration/accountView.ts), and the margin engine (the compiled margin model and the instrument x scenario P&L matrix)
 * for what-if and stress tests. Requests take the snapshot reference once at their start, so a response is computed
 * wholly from one calibration.
 *
 * A run's stored results are immutable once it has finished, so the heavy part ({@link RunCalibration}) is loaded per
 * run id and may be reused by a later snapshot of the same run (a rollback back to it).
 */
import { compileScenarioMargin, type ScenarioMarginModel } from '../../risk/index.ts';
import { getPnlMatrix, getRunMarginModel, listAccountMargins } from '../../store/index.ts';
import type { AccountMarginRecord, RunRecord, Store } from '../../store/index.ts';
import { readAttribution, type Attribution } from './attribution.ts';

/** What the what-if and stress-test margins are computed from (USD per unit, row-major, rows = model instruments). */
export interface MarginEngine {
  readonly model: ScenarioMarginModel;
  readonly matrix: Float64Array;
  /** Number of scenarios (matrix columns). */
  readonly cols: number;
  readonly scenarioIds: readonly string[];
}

/** One account of the calibration. */
export interface AccountEntry {
  readonly record: AccountMarginRecord;
  /** The checked attribution, null when none was stored (or an older format). */
  readonly attribution: Attribution | null;
  /** Why the stored attribution (or currency) is unusable; logged, never sent. Null when fine. */
  readonly malformed: string | null;
}

/** The per-run part of a snapshot (reusable across snapshots of the same run). */
export interface RunCalibration {
  readonly runId: string;
  readonly accounts: ReadonlyMap<string, AccountEntry>;
  readonly malformedAccounts: number;
  readonly engine: MarginEngine | null;
  /** Why there is no engine (no matrix, no model, a model that does not compile, mismatched rows). */
  readonly engineProblem: string | null;
}

/** The active calibration as served. */
export interface CalibrationSnapshot {
  /** The active pointer's generation this snapshot was loaded for (-1 before the first load). */
  readonly generation: number;
  /** When the pointer last changed, ms UTC (0 when never). */
  readonly changedAt: number;
  /** When this snapshot was built, ms UTC. */
  readonly loadedAt: number;
  /** The active run, null when nothing is active. */
  readonly run: RunRecord | null;
  /** The per-run data, null when nothing is active. */
  readonly calibration: RunCalibration | null;
}

const EMPTY: ReadonlyMap<string, AccountEntry> = new Map();

/** The snapshot before anything was loaded. */
export function emptySnapshot(loadedAt: number): CalibrationSnapshot {
  return Object.freeze({ generation: -1, changedAt: 0, loadedAt, run: null, calibration: null });
}

/** The accounts of a snapshot (empty when nothing is active). */
export function accountsOf(snapshot: CalibrationSnapshot): ReadonlyMap<string, AccountEntry> {
  return snapshot.calibration?.accounts ?? EMPTY;
}

function accountEntry(record: AccountMarginRecord): AccountEntry {
  const reading = readAttribution(record.attribution);
  let malformed = reading.kind === 'malformed' ? reading.reason : null;
  if (record.currency !== 'USD') malformed = `currency ${record.currency} is not USD`;
  return Object.freeze({ record, attribution: reading.kind === 'ok' ? reading.value : null, malformed });
}

async function loadEngine(store: Store, runId: string): Promise<{ engine: MarginEngine | null; engineProblem: string | null }> {
  const [definition, matrix] = await Promise.all([getRunMarginModel(store, runId), getPnlMatrix(store, runId)]);
  if (definition === null) return { engine: null, engineProblem: 'the run has no stored margin model' };
  if (matrix === null) return { engine: null, engineProblem: 'the run has no stored P&L matrix' };
  if (matrix.currency !== 'USD') return { engine: null, engineProblem: `the P&L matrix is in ${matrix.currency}, not USD` };
  let model: ScenarioMarginModel;
  try {
    model = compileScenarioMargin(definition);
  } catch (e) {
    return { engine: null, engineProblem: `the stored margin model does not compile: ${(e as Error).message}` };
  }
  const ids = model.instruments.map((i) => i.id);
  if (ids.length !== matrix.instrumentIds.length || ids.some((id, i) => matrix.instrumentIds[i] !== id)) {
    return { engine: null, engineProblem: 'the margin model rows are not the P&L matrix rows' };
  }
  const engine: MarginEngine = Object.freeze({ model, matrix: matrix.data, cols: matrix.scenarioIds.length, scenarioIds: matrix.scenarioIds });
  return { engine, engineProblem: null };
}

/** Loads the per-run part of a snapshot. Store errors propagate; unusable data becomes `malformed`/`engineProblem`. */
export async function loadRunCalibration(store: Store, runId: string): Promise<RunCalibration> {
  const [records, engine] = await Promise.all([listAccountMargins(store, runId), loadEngine(store, runId)]);
  const accounts = new Map<string, AccountEntry>();
  let malformedAccounts = 0;
  for (const r of records) {
    const entry = accountEntry(r);
    if (entry.malformed !== null) malformedAccounts++;
    accounts.set(r.accountId, entry);
  }
  return Object.freeze({ runId, accounts, malformedAccounts, engine: engine.engine, engineProblem: engine.engineProblem });
}
