/**
 * The margin engine of a stress batch: a run's stored instrument x scenario P&L matrix and margin model (the run's own
 * `scenarioMargin`, so an account's batch margin equals its what-if margin under that run), plus the run's collateral
 * valuation per asset (price x (1 - haircut), USD, from the run's stored holdings) when it has one.
 * Amounts USD; margins >= 0; P&L positive = gain.
 */
import { compileScenarioMargin, portfolioScenarioPnl, positionRows, scenarioMarginOfRows } from '../../risk/margin/scenarioMargin/index.ts';
import type { ScenarioMarginModel } from '../../risk/margin/scenarioMargin/index.ts';
import { RiskInputError } from '../../risk/portfolio/errors.ts';
import type { Account } from '../../risk/portfolio/types.ts';
import { getPnlMatrix, getRunMarginModel, listCollateralHoldings, type BatchResultInput, type Store } from '../../store/index.ts';
import { BatchInputError } from './errors.ts';

/** What a batch needs from its run, loaded once per process and run. */
export interface BatchEngine {
  readonly runId: string;
  readonly model: ScenarioMarginModel;
  /** Row-major instruments x scenarios, USD P&L per unit. */
  readonly matrix: Float64Array;
  readonly cols: number;
  readonly scenarioIds: readonly string[];
  /** USD value after haircut of one unit of each collateral asset the run valued (empty when it valued none). */
  readonly collateralUnitValue: ReadonlyMap<string, number>;
}

/** Loads the engine of run `runId`; throws BatchInputError('runId') when the run has no matrix or margin model. */
export async function loadBatchEngine(store: Store, runId: string): Promise<BatchEngine> {
  const [matrix, definition, holdings] = await Promise.all([
    getPnlMatrix(store, runId), getRunMarginModel(store, runId), listCollateralHoldings(store, runId),
  ]);
  if (matrix === null) throw new BatchInputError('runId', runId, 'the run has no stored P&L matrix');
  if (definition === null) throw new BatchInputError('runId', runId, 'the run has no stored margin model');
  const model = compileScenarioMargin(definition);
  const collateralUnitValue = new Map<string, number>();
  for (const h of holdings) {
    if (!collateralUnitValue.has(h.asset)) collateralUnitValue.set(h.asset, h.price * (1 - h.haircut));
  }
  return Object.freeze({
    runId, model, matrix: matrix.data, cols: matrix.scenarioIds.length, scenarioIds: matrix.scenarioIds, collateralUnitValue,
  });
}

/** Collateral after haircuts of `account` (USD), or null when an asset it holds has no value in the run. */
export function collateralValueOf(engine: BatchEngine, account: Account): number | null {
  let total = 0;
  for (const c of account.collateral) {
    const unit = engine.collateralUnitValue.get(c.asset);
    if (unit === undefined) return null;
    total += c.quantity * unit;
  }
  return total;
}

/**
 * The batch result of one account: IM and MM by the run's scenarioMargin, the worst scenario (lowest P&L, first on
 * ties) and the collateral value; an account the engine cannot margin (an instrument that is not a row of the
 * matrix, a non-finite quantity) is a failure result naming the field and value, not an exception.
 */
export function accountBatchResult(engine: BatchEngine, account: Account): BatchResultInput {
  try {
    const { rows, quantities } = positionRows(engine.model, account.positions);
    const pnl = portfolioScenarioPnl(engine.model, engine.matrix, engine.cols, rows, quantities);
    let worst = -1;
    for (let j = 0; j < pnl.length; j++) if (worst < 0 || (pnl[j] as number) < (pnl[worst] as number)) worst = j;
    const worstPnl = worst < 0 ? null : (pnl[worst] as number);
    const m = scenarioMarginOfRows(engine.model, engine.matrix, engine.cols, rows, quantities, pnl);
    return {
      accountId: account.id, desk: account.desk,
      initialMargin: m.initialMarginUsd, maintenanceMargin: m.maintenanceMarginUsd,
      collateralValue: collateralValueOf(engine, account),
      worstScenarioId: worst < 0 ? null : (engine.scenarioIds[worst] ?? null), worstPnl, failure: null,
    };
  } catch (error) {
    if (!(error instanceof RiskInputError)) throw error;
    return {
      accountId: account.id, desk: account.desk, initialMargin: null, maintenanceMargin: null, collateralValue: null,
      worstScenarioId: null, worstPnl: null, failure: error.message,
    };
  }
}
