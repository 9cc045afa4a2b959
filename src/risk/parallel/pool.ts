/**
 * A piscina pool of worker threads for large books: instrument x scenario pricing split by instrument rows, account
 * aggregation and worst-case reduction split by accounts, all over SharedArrayBuffer-backed Float64Arrays. Every task
 * runs the same kernels as the single-thread path (tasks.ts), so results are the same bit for bit; only the wall
 * clock changes.
 *
 * Threads load worker.ts, a TypeScript file: by default each thread starts with `--import tsx` (the project runs on
 * tsx); pass `execArgv` to change that (e.g. [] for a build that ships JavaScript with a .js worker). Call
 * `destroy()` when done, or the threads keep the process alive.
 */
import { Piscina } from 'piscina';
import type { ScenarioSet } from '../../scenarios/index.ts';
import type { PortfolioBook } from '../portfolio/book.ts';
import type { CsrMatrix } from '../portfolio/csr.ts';
import { RiskInputError } from '../portfolio/errors.ts';
import type { InstrumentTable } from '../portfolio/instrumentTable.ts';
import { allocateWorstCase, checkProductShapes, type AccountWorstCase } from '../revaluation/aggregate.ts';
import { buildRevaluationPlan, sharedArrays } from '../revaluation/plan.ts';
import { allocateInstrumentPnl, instrumentPnlResult, type InstrumentPnl } from '../revaluation/revalueInstruments.ts';
import { accountFailuresOf, type PortfolioPnl } from '../revaluation/revaluePortfolio.ts';
import type { BaseMarket, RevaluationOptions } from '../revaluation/types.ts';
import { sharedFloat64, toSharedCsr, toSharedFloat64 } from './shared.ts';
import type { RevaluationTask } from './tasks.ts';

/** Options of {@link createRevaluationPool}. */
export interface RevaluationPoolOptions {
  /** Worker threads (default 2, the project machine's cores). */
  readonly threads?: number;
  /** Node options of each thread; default `['--import', 'tsx']`. */
  readonly execArgv?: readonly string[];
  /** Tasks per thread a job is split into (load balance; default 8). */
  readonly tasksPerThread?: number;
}

/** The pool's operations (each mirrors a single-thread function of src/risk/revaluation). */
export interface RevaluationPool {
  readonly threads: number;
  /** As `revalueInstruments`, priced on the workers; the matrices are shared arrays. */
  revalueInstruments(table: InstrumentTable, market: BaseMarket, scenarios: ScenarioSet, options?: RevaluationOptions): Promise<InstrumentPnl>;
  /** As `aggregateAccounts`, split by accounts. */
  aggregateAccounts(csr: CsrMatrix, matrix: Float64Array, scenarioCount: number): Promise<Float64Array>;
  /**
   * As `worstCaseRows` over every account of the book, split by accounts; `tailCount` k >= 1 adds each account's
   * expected shortfall (mean of the k largest total losses).
   */
  worstCase(book: PortfolioBook, matrix: Float64Array, scenarioCount: number, weights?: Float64Array | null, tailCount?: number): Promise<AccountWorstCase>;
  /** As `revaluePortfolio`. */
  revaluePortfolio(book: PortfolioBook, market: BaseMarket, scenarios: ScenarioSet, options?: RevaluationOptions): Promise<PortfolioPnl>;
  /** Stops the threads. */
  destroy(): Promise<void>;
}

let planCounter = 0;

function ranges(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  const size = Math.max(1, Math.ceil(n / Math.max(1, parts)));
  for (let start = 0; start < n; start += size) out.push([start, Math.min(n, start + size)]);
  return out;
}

/** Starts a pool (see the module comment). Throws RiskInputError for a bad thread count. */
export function createRevaluationPool(options: RevaluationPoolOptions = {}): RevaluationPool {
  const threads = options.threads ?? 2;
  if (!Number.isSafeInteger(threads) || threads < 1) throw new RiskInputError('threads', threads, 'expected an integer >= 1');
  const perThread = options.tasksPerThread ?? 8;
  if (!Number.isSafeInteger(perThread) || perThread < 1) throw new RiskInputError('tasksPerThread', perThread, 'expected an integer >= 1');
  const piscina = new Piscina({
    filename: new URL('./worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    execArgv: [...(options.execArgv ?? ['--import', 'tsx'])],
    idleTimeout: 60_000,
  });
  const run = (tasks: readonly RevaluationTask[]): Promise<unknown> => Promise.all(tasks.map((t) => piscina.run(t)));

  const pool: RevaluationPool = {
    threads,
    async revalueInstruments(table, market, scenarios, revaluationOptions = {}) {
      const plan = buildRevaluationPlan(table, market, scenarios, revaluationOptions, sharedArrays);
      const out = allocateInstrumentPnl(plan, sharedArrays);
      const planId = `plan-${++planCounter}`;
      await run(ranges(plan.instrumentCount, threads * perThread).map(([rowStart, rowEnd]) => ({ op: 'price' as const, planId, plan, rowStart, rowEnd, out })));
      return instrumentPnlResult(plan, table, scenarios, out);
    },
    async aggregateAccounts(csr, matrix, scenarioCount) {
      checkProductShapes(csr, matrix, scenarioCount);
      const shared = toSharedCsr(csr);
      const m = toSharedFloat64(matrix);
      const out = sharedFloat64(csr.rows * scenarioCount);
      await run(ranges(csr.rows, threads * perThread).map(([rowStart, rowEnd]) => ({ op: 'aggregate' as const, csr: shared, matrix: m, scenarioCount, rowStart, rowEnd, out })));
      return out;
    },
    async worstCase(book, matrix, scenarioCount, weights = null, tailCount = 0) {
      if (!Number.isSafeInteger(tailCount) || tailCount < 0 || tailCount > scenarioCount) throw new RiskInputError('tailCount', tailCount, `expected an integer in [0, ${scenarioCount}]`);
      checkProductShapes(book.positions, matrix, scenarioCount);
      checkProductShapes(book.collateral, matrix, scenarioCount, 'collateral');
      if (weights !== null && weights.length !== scenarioCount) throw new RiskInputError('weights.length', weights.length, `expected ${scenarioCount}`);
      const positions = toSharedCsr(book.positions);
      const collateral = toSharedCsr(book.collateral);
      const m = toSharedFloat64(matrix);
      const w = weights === null ? null : toSharedFloat64(weights);
      const out = allocateWorstCase(book.positions.rows, sharedArrays);
      await run(ranges(book.positions.rows, threads * perThread).map(([rowStart, rowEnd]) => ({
        op: 'worst-case' as const, positions, collateral, matrix: m, scenarioCount, weights: w, rowStart, rowEnd, out, tailCount,
      })));
      return out;
    },
    async revaluePortfolio(book, market, scenarios, revaluationOptions = {}) {
      const instruments = await pool.revalueInstruments(book.table, market, scenarios, revaluationOptions);
      const S = instruments.scenarioCount;
      const positionPnlUsd = await pool.aggregateAccounts(book.positions, instruments.pnlUsd, S);
      const collateralPnlUsd = await pool.aggregateAccounts(book.collateral, instruments.pnlUsd, S);
      const { flags, failures } = accountFailuresOf(book, instruments.rowFailed);
      return Object.freeze({
        instruments, accountCount: book.accountIds.length, scenarioCount: S, positionPnlUsd, collateralPnlUsd, accountFailed: flags, failures,
      });
    },
    async destroy() {
      await piscina.destroy();
    },
  };
  return Object.freeze(pool);
}
