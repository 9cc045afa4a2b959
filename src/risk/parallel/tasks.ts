/**
 * The messages the revaluation pool posts to its workers, and the function that runs one (pure apart from writing
 * into the shared output arrays it is given). worker.ts is the thread entry that calls {@link runRevaluationTask};
 * the pool calls the same kernels as the single-thread path (priceRows, aggregateRows, worstCaseRows), so the
 * numbers are the same bit for bit.
 */
import type { CsrMatrix } from '../portfolio/csr.ts';
import { aggregateRows, worstCaseRows, type AccountWorstCase } from '../revaluation/aggregate.ts';
import { planSurfaces, type RevaluationPlan } from '../revaluation/plan.ts';
import { priceRows, priceRowsScratch, type InstrumentPnlBuffers } from '../revaluation/priceRows.ts';
import type { VolSurface } from '../../surface/index.ts';

/** Price rows [rowStart, rowEnd) of a plan into shared output matrices. */
export interface PriceTask {
  readonly op: 'price';
  /** Identifies the plan across tasks (the worker rebuilds its surfaces once per plan). */
  readonly planId: string;
  readonly plan: RevaluationPlan;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly out: InstrumentPnlBuffers;
}

/** Accounts [rowStart, rowEnd) of a CSR product into a shared accounts x scenarios matrix. */
export interface AggregateTask {
  readonly op: 'aggregate';
  readonly csr: CsrMatrix;
  readonly matrix: Float64Array;
  readonly scenarioCount: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly out: Float64Array;
}

/** Worst cases of accounts [rowStart, rowEnd) into shared per-account outputs. */
export interface WorstCaseTask {
  readonly op: 'worst-case';
  readonly positions: CsrMatrix;
  readonly collateral: CsrMatrix;
  readonly matrix: Float64Array;
  readonly scenarioCount: number;
  readonly weights: Float64Array | null;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly out: AccountWorstCase;
  /** k of the expected shortfall of each account's total P&L (0 = none). */
  readonly tailCount: number;
}

/** Any task. */
export type RevaluationTask = PriceTask | AggregateTask | WorstCaseTask;

let cachedPlanId: string | null = null;
let cachedSurfaces: (VolSurface | null)[] = [];

/** Runs one task; returns the number of rows done. */
export function runRevaluationTask(task: RevaluationTask): number {
  switch (task.op) {
    case 'price': {
      if (cachedPlanId !== task.planId) {
        cachedSurfaces = planSurfaces(task.plan);
        cachedPlanId = task.planId;
      }
      priceRows(task.plan, cachedSurfaces, task.rowStart, task.rowEnd, task.out, priceRowsScratch(task.plan));
      break;
    }
    case 'aggregate':
      aggregateRows(task.csr, task.matrix, task.scenarioCount, task.rowStart, task.rowEnd, task.out);
      break;
    case 'worst-case': {
      const S = task.scenarioCount;
      worstCaseRows(task.positions, task.collateral, task.matrix, S, task.weights, task.rowStart, task.rowEnd, task.out, {
        positions: new Float64Array(S), collateral: new Float64Array(S), tail: new Float64Array(Math.max(task.tailCount, 1)),
      }, task.tailCount);
      break;
    }
  }
  return task.rowEnd - task.rowStart;
}
