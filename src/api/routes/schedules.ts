/**
 * Cron schedules of jobs: GET /v1/schedules, POST /v1/schedules (the expression is checked with croner, the
 * scheduler's own parser, in UTC; a `recalibrate` payload must be a run request of input names; a `stress-batch`
 * payload is `{ portfolios: NAME, shardSize? }`, stored with the file's absolute path), DELETE /v1/schedules/{id}.
 * The schedules are stored; the jobs layer fires them. On PostgreSQL, creating or deleting a schedule mirrors the
 * stress-batch schedules to pg-boss at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import { Cron } from 'croner';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, StoreDataError, StoreNotFoundError } from '../../store/index.ts';
import type { ScheduleRecord, Store } from '../../store/index.ts';
import { checkRecalibrationRequest, type RecalibrationRequest } from '../launcher.ts';
import { ApiProblem, invalidField } from '../problem.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import { StartRunBodySchema } from '../schemas/runs.ts';
import { StartBatchBodySchema } from '../schemas/stressBatches.ts';
import { batchInputProblem } from './stressBatches.ts';
import { ScheduleBodySchema, ScheduleListSchema, ScheduleParamsSchema, ScheduleSchema, type Schedule } from '../schemas/schedules.ts';
import '../fastifyTypes.ts';

/** The next firing of `cron` after `now` (ms UTC), or null; throws a 422 naming `cron` for an invalid expression. */
export function nextFiring(cron: string, now: number): Date | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) throw invalidField('cron', `must have 5 fields (or 6 with seconds first), has ${fields.length}`);
  let job: Cron;
  try {
    job = new Cron(fields.join(' '), { timezone: 'UTC', paused: true });
  } catch (e) {
    throw invalidField('cron', `not a valid cron expression (${(e as Error).message.replace(/[\r\n]+/g, ' ').slice(0, 200)})`);
  }
  try {
    return job.nextRun(new Date(now));
  } finally {
    job.stop();
  }
}

async function scheduleExists(store: Store, id: string): Promise<boolean> {
  try {
    await getSchedule(store, id);
    return true;
  } catch (e) {
    if (e instanceof StoreNotFoundError) return false;
    throw e;
  }
}

/** The job kind of a scheduled stress batch (the jobs layer's STRESS_BATCH_JOB). */
const STRESS_BATCH_JOB = 'stress-batch';

/**
 * The stored payload of a `stress-batch` schedule posted as `{ portfolios: NAME, shardSize? }`: the name resolved to
 * its file by the batch launcher (the workers read the absolute path); a 422 names `payload.<field>`.
 */
function stressBatchPayload(runtime: ApiRuntime, payload: unknown): { portfolios: string; shardSize?: number } {
  if (!Value.Check(StartBatchBodySchema, payload)) {
    const first = [...Value.Errors(StartBatchBodySchema, payload)][0];
    const field = first === undefined || first.path === '' ? 'payload' : `payload.${first.path.slice(1).replace(/\//g, '.')}`;
    throw invalidField(field, `a stress-batch schedule needs { portfolios: NAME, shardSize?: integer >= 1 } (${first?.message ?? 'invalid'})`);
  }
  const launcher = runtime.batches;
  if (launcher === null) throw new ApiProblem('unavailable', 'this server has no batch launcher configured: add stress-batch schedules with `aftershock schedule add`');
  try {
    const portfolios = launcher.resolvePortfolios(payload.portfolios);
    return payload.shardSize === undefined ? { portfolios } : { portfolios, shardSize: payload.shardSize };
  } catch (e) {
    throw batchInputProblem(e, 'payload.');
  }
}

/** Mirrors the stress-batch schedules to pg-boss (PostgreSQL); a failure is logged (the workers re-mirror every 30 s). */
async function mirror(runtime: ApiRuntime, log: { error(obj: unknown, msg: string): void }): Promise<void> {
  if (runtime.batches === null || runtime.batches.mode !== 'queue') return;
  try {
    await runtime.batches.mirror();
  } catch (e) {
    log.error({ err: e }, 'mirroring the schedules to pg-boss failed; the workers will retry');
  }
}

function scheduleBody(s: ScheduleRecord, now: number): Schedule {
  let next: Date | null = null;
  try {
    next = nextFiring(s.cron, now);
  } catch {
    next = null; // stored by another client with a cron croner rejects: shown, never fired
  }
  return {
    id: s.id,
    cron: s.cron,
    jobKind: s.jobKind,
    payload: s.payload,
    enabled: s.enabled,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    lastFiredAt: s.lastFiredAt === null ? null : new Date(s.lastFiredAt).toISOString(),
    nextRunAt: next === null ? null : next.toISOString(),
  };
}

/** The schedule routes. */
export const scheduleRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.get('/v1/schedules', {
    config: { permission: 'schedules:read' },
    schema: { summary: 'Cron schedules', tags: ['schedules'], response: { 200: ScheduleListSchema, ...problemResponses(403) } },
  }, async () => {
    const now = runtime.clock();
    return { schedules: (await listSchedules(runtime.store)).map((s) => scheduleBody(s, now)) };
  });

  app.post('/v1/schedules', {
    config: { permission: 'schedules:write' },
    schema: {
      summary: 'Create a cron schedule',
      tags: ['schedules'],
      body: ScheduleBodySchema,
      response: { 201: ScheduleSchema, ...problemResponses(400, 403, 409, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const body = request.body;
    const now = runtime.clock();
    nextFiring(body.cron, now);
    let payload: unknown = body.payload ?? {};
    if (body.jobKind === 'recalibrate') {
      if (!Value.Check(StartRunBodySchema, payload)) throw invalidField('payload', 'a recalibrate schedule needs { incident, market?, portfolios?, models? } (names)');
      payload = checkRecalibrationRequest(payload as RecalibrationRequest, 'payload.');
    }
    if (body.jobKind === STRESS_BATCH_JOB) payload = stressBatchPayload(runtime, payload);
    if (body.id !== undefined && (await scheduleExists(runtime.store, body.id))) {
      throw new ApiProblem('conflict', `schedule "${body.id}" already exists`);
    }
    let created: ScheduleRecord;
    try {
      created = await createSchedule(runtime.store, {
        cron: body.cron,
        jobKind: body.jobKind,
        payload,
        ...(body.id === undefined ? {} : { id: body.id }),
        ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      });
    } catch (e) {
      if (e instanceof StoreDataError) throw invalidField(e.field, 'rejected by the store (see the schema)');
      throw e;
    }
    request.log.info({ scheduleId: created.id }, 'schedule created');
    if (created.jobKind === STRESS_BATCH_JOB) await mirror(runtime, request.log);
    return reply.code(201).header('location', `/v1/schedules/${encodeURIComponent(created.id)}`).send(scheduleBody(created, now));
  });

  app.delete('/v1/schedules/:id', {
    config: { permission: 'schedules:write' },
    schema: {
      summary: 'Delete a cron schedule',
      tags: ['schedules'],
      params: ScheduleParamsSchema,
      response: { 204: { description: 'Deleted', type: 'null' }, ...problemResponses(403, 404, 422) },
    },
  }, async (request, reply) => {
    if (!(await deleteSchedule(runtime.store, request.params.id))) throw new StoreNotFoundError('schedule', request.params.id);
    request.log.info({ scheduleId: request.params.id }, 'schedule deleted');
    await mirror(runtime, request.log);
    return reply.code(204).send();
  });
};
