/** Schemas of the stress-batch routes. Amounts USD; margins >= 0; times ISO 8601 UTC. */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, Nullable } from './common.ts';

/** A portfolio file NAME (resolved by the server under its portfolio directory), never a path. */
export const PortfolioNameSchema = Type.String({ minLength: 1, maxLength: 128, description: 'Portfolio file name (`<name>.json` under the server\'s fixtures/portfolios), not a path' });

/** Accounts per shard. */
export const ShardSizeSchema = Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Accounts per shard (default 5000)' });

/** Request body of POST /v1/stress-batches (also the payload of a `stress-batch` schedule). */
export const StartBatchBodySchema = Type.Object(
  { portfolios: PortfolioNameSchema, shardSize: Type.Optional(ShardSizeSchema) },
  { additionalProperties: false },
);
/** The batch request body. */
export type StartBatchBody = Static<typeof StartBatchBodySchema>;

/** 202 answer of POST /v1/stress-batches. */
export const StartBatchResponseSchema = Type.Object({
  batchId: Type.String(),
  status: Type.String(),
  mode: Type.Union([Type.Literal('in-process'), Type.Literal('queue')], { description: 'in-process: shards run in the server (SQLite); queue: enqueued for `aftershock worker` (PostgreSQL)' }),
  location: Type.String(),
}, { title: 'StartedBatch' });

/** Totals of a batch's results so far (USD). */
export const BatchTotalsSchema = Type.Object({
  accounts: Type.Integer(),
  margined: Type.Integer(),
  failed: Type.Integer(),
  initialMarginUsd: Type.Number(),
  maintenanceMarginUsd: Type.Number(),
  accountsWithCollateral: Type.Integer(),
  shortfallUsd: Type.Number({ description: 'Sum of max(0, IM - collateral after haircuts) over accounts with known collateral' }),
  accountsShort: Type.Integer(),
});

/** One batch with its progress. */
export const BatchSchema = Type.Object({
  id: Type.String(),
  scheduleId: Nullable(Type.String()),
  runId: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  accountCount: Type.Integer(),
  shardSize: Type.Integer(),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }, { description: 'Shards done / shards' }),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  error: Nullable(Type.String()),
  totals: Type.Optional(BatchTotalsSchema),
}, { title: 'StressBatch' });
/** The batch response body. */
export type Batch = Static<typeof BatchSchema>;

/** Batches, newest first. */
export const BatchListSchema = Type.Object({ batches: Type.Array(BatchSchema) }, { title: 'StressBatchList' });

/** Query of GET /v1/stress-batches. */
export const BatchListQuerySchema = Type.Object({
  schedule: Type.Optional(IdSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Default 50' })),
}, { additionalProperties: false });

/** Query of GET /v1/stress-batches/{id}/report. */
export const BatchReportQuerySchema = Type.Object({
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Accounts per list (default 20)' })),
}, { additionalProperties: false });

/** Path parameters: the batch id. */
export const BatchParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
