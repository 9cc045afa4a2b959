/**
 * The report of a stress batch (JSON): totals by SQL over its results, by desk, the worst accounts (largest IM), the
 * margin shortfalls (IM above collateral after haircuts, for accounts whose collateral the run could value), the
 * failures, and the comparison with the previous batch of the same schedule (totals and per-account IM changes).
 * Amounts USD; margins >= 0; P&L positive = gain; a change is this batch minus the previous one.
 */
import {
  batchTotals, getBatch, listBatchResults, listBatches, type BatchRecord, type BatchResultRecord, type BatchTotals, type Store,
} from '../../store/index.ts';

/** One account line of the report. */
export interface BatchReportAccount {
  readonly accountId: string;
  readonly desk: string;
  readonly initialMarginUsd: number | null;
  readonly maintenanceMarginUsd: number | null;
  readonly collateralUsd: number | null;
  /** max(0, IM - collateral) when collateral is known, else null. */
  readonly shortfallUsd: number | null;
  readonly worstScenario: { readonly id: string; readonly pnlUsd: number } | null;
}

/** The batch report. */
export interface BatchReport {
  readonly batch: BatchRecord;
  readonly totals: BatchTotals;
  readonly worstAccounts: readonly BatchReportAccount[];
  readonly shortfalls: readonly BatchReportAccount[];
  readonly failures: readonly { readonly accountId: string; readonly desk: string; readonly reason: string }[];
  /** The previous done batch of the same schedule, or null (no schedule, or the first of it). */
  readonly previous: null | {
    readonly batchId: string;
    readonly runId: string;
    readonly totals: BatchTotals;
    readonly initialMarginChangeUsd: number;
    readonly maintenanceMarginChangeUsd: number;
    /** Accounts in both, largest absolute IM change first. */
    readonly largestChanges: readonly { readonly accountId: string; readonly beforeUsd: number; readonly afterUsd: number; readonly changeUsd: number }[];
  };
}

function line(r: BatchResultRecord): BatchReportAccount {
  const short = r.collateralValue === null || r.initialMargin === null ? null : Math.max(0, r.initialMargin - r.collateralValue);
  return Object.freeze({
    accountId: r.accountId, desk: r.desk, initialMarginUsd: r.initialMargin, maintenanceMarginUsd: r.maintenanceMargin,
    collateralUsd: r.collateralValue, shortfallUsd: short,
    worstScenario: r.worstScenarioId === null || r.worstPnl === null ? null : { id: r.worstScenarioId, pnlUsd: r.worstPnl },
  });
}

/** The report of batch `batchId` with the `top` (default 20) worst accounts, shortfalls and changes. */
export async function batchReport(store: Store, batchId: string, options: { readonly top?: number } = {}): Promise<BatchReport> {
  const top = options.top ?? 20;
  const batch = await getBatch(store, batchId);
  const totals = await batchTotals(store, batchId);
  const all = await listBatchResults(store, batchId);
  const margined = all.filter((r) => r.initialMargin !== null);
  const worstAccounts = [...margined].sort((a, b) => (b.initialMargin as number) - (a.initialMargin as number) || cmp(a.accountId, b.accountId)).slice(0, top).map(line);
  const shortfalls = margined.map(line).filter((l) => (l.shortfallUsd ?? 0) > 0)
    .sort((a, b) => (b.shortfallUsd as number) - (a.shortfallUsd as number) || cmp(a.accountId, b.accountId)).slice(0, top);
  const failures = all.filter((r) => r.failure !== null).map((r) => Object.freeze({ accountId: r.accountId, desk: r.desk, reason: r.failure as string }));
  let previous: BatchReport['previous'] = null;
  if (batch.scheduleId !== null) {
    const prior = (await listBatches(store, { scheduleId: batch.scheduleId, limit: 1000 }))
      .find((b) => b.status === 'done' && b.id !== batch.id && (b.createdAt < batch.createdAt || (b.createdAt === batch.createdAt && b.id < batch.id)));
    if (prior !== undefined) {
      const before = new Map((await listBatchResults(store, prior.id)).map((r) => [r.accountId, r.initialMargin]));
      const changes = margined.flatMap((r) => {
        const b = before.get(r.accountId);
        return b === undefined || b === null ? [] : [{ accountId: r.accountId, beforeUsd: b, afterUsd: r.initialMargin as number, changeUsd: (r.initialMargin as number) - b }];
      }).sort((a, b) => Math.abs(b.changeUsd) - Math.abs(a.changeUsd) || cmp(a.accountId, b.accountId)).slice(0, top);
      const pt = await batchTotals(store, prior.id);
      previous = Object.freeze({
        batchId: prior.id, runId: prior.runId, totals: pt,
        initialMarginChangeUsd: totals.initialMargin - pt.initialMargin,
        maintenanceMarginChangeUsd: totals.maintenanceMargin - pt.maintenanceMargin,
        largestChanges: Object.freeze(changes),
      });
    }
  }
  return Object.freeze({ batch, totals, worstAccounts, shortfalls, failures, previous });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
