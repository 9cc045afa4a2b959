/**
 * Stress batches (issue 9): POST /v1/stress-batches (a portfolio file NAME and a shard size: creates the batch under
 * the active calibration and starts it through the runtime's batch launcher, in the server's process on SQLite or
 * enqueued for `aftershock worker` on PostgreSQL; 202 with the batch id), GET /v1/stress-batches (newest first, with
 * shard progress), GET /v1/stress-batches/{id} (status, progress done/total, totals so far) and
 * GET /v1/stress-batches/{id}/report (worst accounts, shortfalls, failures, change from the schedule's previous
 * batch). Amounts USD; margins >= 0; times ISO 8601 UTC.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BatchInputError } from '../../jobs/batch/errors.ts';
import { batchReport } from '../../jobs/batch/report.ts';
import {
  batchTotals, getBatch, listBatches, listBatchShards, StoreNotFoundError, type BatchRecord, type BatchTotals, type Store,
} from '../../store/index.ts';
import { ApiProblem, invalidField } from '../problem.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import {
  BatchListQuerySchema, BatchListSchema, BatchParamsSchema, BatchReportQuerySchema, BatchSchema, StartBatchBodySchema,
  StartBatchResponseSchema, type Batch,
} from '../schemas/stressBatches.ts';
import '../fastifyTypes.ts';

/** The API body of `batch` with its shard progress (and its totals when `totals` is given). */
export async function batchBody(store: Store, batch: BatchRecord, totals?: BatchTotals): Promise<Batch> {
  const done = (await listBatchShards(store, batch.id)).filter((s) => s.status === 'done').length;
  return {
    id: batch.id,
    scheduleId: batch.scheduleId,
    runId: batch.runId,
    status: batch.status,
    accountCount: batch.accountCount,
    shardSize: batch.shardSize,
    progress: { done, total: batch.shardCount },
    createdAt: new Date(batch.createdAt).toISOString(),
    finishedAt: batch.finishedAt === null ? null : new Date(batch.finishedAt).toISOString(),
    error: batch.error,
    ...(totals === undefined ? {} : {
      totals: {
        accounts: totals.accounts, margined: totals.margined, failed: totals.failed,
        initialMarginUsd: totals.initialMargin, maintenanceMarginUsd: totals.maintenanceMargin,
        accountsWithCollateral: totals.accountsWithCollateral, shortfallUsd: totals.shortfall, accountsShort: totals.accountsShort,
      },
    }),
  };
}

/** A BatchInputError as a 422 naming its field (`prefix` prefixes it, e.g. `payload.`); other errors unchanged. */
export function batchInputProblem(error: unknown, prefix = ''): unknown {
  if (!(error instanceof BatchInputError)) return error;
  if (error.field === 'db') return new ApiProblem('unavailable', 'this server cannot start batches on its store: start them with `aftershock schedule run`');
  if (error.field === 'runId') return new ApiProblem('unavailable', 'there is no active calibration: promote a run first');
  const reason = error.field === 'shardSize' ? 'must be an integer >= 1'
    : error.message.includes('not a path') ? 'must be a portfolio file name, not a path'
      : error.message.includes('no portfolio file of that name') ? 'no portfolio file of that name'
        : 'not a usable portfolio file'; // the error's own message names server paths: not shown
  return invalidField(`${prefix}${error.field}`, reason);
}

/** The stress-batch routes. */
export const stressBatchRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.post('/v1/stress-batches', {
    config: { permission: 'stress:run' },
    schema: {
      summary: 'Start a stress batch over a portfolio file under the active calibration',
      description: 'portfolios is a NAME (`<name>.json` under the server\'s portfolio directory); anything that looks like a path is refused (422).',
      tags: ['batches'],
      body: StartBatchBodySchema,
      response: { 202: StartBatchResponseSchema, ...problemResponses(400, 403, 413, 415, 422, 503) },
    },
  }, async (request, reply) => {
    const launcher = runtime.batches;
    if (launcher === null) throw new ApiProblem('unavailable', 'this server has no batch launcher configured: start batches with `aftershock schedule run`');
    let batch: BatchRecord;
    try {
      batch = await launcher.start({ portfolios: request.body.portfolios, ...(request.body.shardSize === undefined ? {} : { shardSize: request.body.shardSize }) });
    } catch (e) {
      throw batchInputProblem(e);
    }
    const location = `/v1/stress-batches/${encodeURIComponent(batch.id)}`;
    request.log.info({ batchId: batch.id, shards: batch.shardCount, mode: launcher.mode }, 'stress batch started');
    return reply.code(202).header('location', location).send({ batchId: batch.id, status: batch.status, mode: launcher.mode, location });
  });

  app.get('/v1/stress-batches', {
    config: { permission: 'runs:read' },
    schema: {
      summary: 'Stress batches, newest first, with their shard progress',
      tags: ['batches'],
      querystring: BatchListQuerySchema,
      response: { 200: BatchListSchema, ...problemResponses(403, 422) },
    },
  }, async (request) => {
    const { schedule, limit = 50 } = request.query;
    const batches = await listBatches(runtime.store, { ...(schedule === undefined ? {} : { scheduleId: schedule }), limit });
    return { batches: await Promise.all(batches.map((b) => batchBody(runtime.store, b))) };
  });

  app.get('/v1/stress-batches/:id', {
    config: { permission: 'runs:read' },
    schema: {
      summary: 'A stress batch: status, shard progress and totals so far',
      tags: ['batches'],
      params: BatchParamsSchema,
      response: { 200: BatchSchema, ...problemResponses(403, 404, 422) },
    },
  }, async (request) => {
    const batch = await getBatch(runtime.store, request.params.id);
    return batchBody(runtime.store, batch, await batchTotals(runtime.store, batch.id));
  });

  app.get('/v1/stress-batches/:id/report', {
    config: { permission: 'runs:read' },
    schema: {
      summary: "A stress batch's report (JSON): totals, worst accounts, shortfalls, failures, change from the schedule's previous batch",
      tags: ['batches'],
      params: BatchParamsSchema,
      querystring: BatchReportQuerySchema,
      response: { 200: { description: 'The batch report', content: { 'application/json': { schema: Type.Unknown() } } }, ...problemResponses(403, 404, 422) },
    },
  }, async (request, reply) => {
    try {
      const report = await batchReport(runtime.store, request.params.id, { ...(request.query.top === undefined ? {} : { top: request.query.top }) });
      return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(report));
    } catch (e) {
      if (e instanceof StoreNotFoundError) throw new ApiProblem('not-found', `batch "${request.params.id}" not found`);
      throw e;
    }
  });
};
