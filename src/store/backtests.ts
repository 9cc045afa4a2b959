/** Backtests of a run: a JSON summary plus named Float64Array series (dates in ms, margins, realised P&L...). */
import { decodeFloat64, decodeJson, encodeFloat64, encodeJson, requireId } from './codec.ts';
import { StoreDataError } from './errors.ts';
import type { Store } from './open.ts';
import { requireRunning } from './runs.ts';
import { withTransaction } from './transaction.ts';

/** A backtest to store. */
export interface BacktestInput {
  readonly backtestId: string;
  /** JSON-able summary (coverage, exceptions, tests, traffic-light zone). */
  readonly summary: unknown;
  /** Named series (any lengths). */
  readonly series?: Readonly<Record<string, Float64Array>>;
}

/** A stored backtest (series omitted by listBacktests). */
export interface BacktestRecord {
  readonly runId: string;
  readonly backtestId: string;
  readonly summary: unknown;
  readonly series: Readonly<Record<string, Float64Array>>;
}

/** Stores a backtest of a running run with its series, in one transaction. */
export async function putBacktest(store: Store, runId: string, input: BacktestInput): Promise<void> {
  requireId(input.backtestId, 'backtestId');
  const summary = encodeJson(input.summary, 'summary');
  const series = Object.entries(input.series ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, data] of series) {
    requireId(name, 'series name');
    if (!(data instanceof Float64Array)) throw new StoreDataError(`series.${name}`, data, 'must be a Float64Array');
  }
  await withTransaction(store, async (tx) => {
    await requireRunning(tx, runId);
    await tx.insertInto('backtests').values({ run_id: runId, backtest_id: input.backtestId, summary }).execute();
    for (const [name, data] of series) {
      await tx
        .insertInto('backtest_series')
        .values({ run_id: runId, backtest_id: input.backtestId, name, length: data.length, data: encodeFloat64(data) })
        .execute();
    }
  });
}

/** The backtest `backtestId` of run `runId` with its series, or null. */
export async function getBacktest(store: Store, runId: string, backtestId: string): Promise<BacktestRecord | null> {
  const r = await store.db.selectFrom('backtests').selectAll().where('run_id', '=', runId).where('backtest_id', '=', backtestId).executeTakeFirst();
  if (r === undefined) return null;
  const rows = await store.db
    .selectFrom('backtest_series')
    .selectAll()
    .where('run_id', '=', runId)
    .where('backtest_id', '=', backtestId)
    .orderBy('name')
    .execute();
  const series: Record<string, Float64Array> = {};
  for (const s of rows) series[s.name] = decodeFloat64(s.data, `backtest_series.${s.name}`, s.length);
  return Object.freeze({ runId: r.run_id, backtestId: r.backtest_id, summary: decodeJson(r.summary), series: Object.freeze(series) });
}

/** The backtests of run `runId` by id, without series. */
export async function listBacktests(store: Store, runId: string): Promise<BacktestRecord[]> {
  const rows = await store.db.selectFrom('backtests').selectAll().where('run_id', '=', runId).orderBy('backtest_id').execute();
  return rows.map((r) => Object.freeze({ runId: r.run_id, backtestId: r.backtest_id, summary: decodeJson(r.summary), series: Object.freeze({}) }));
}
