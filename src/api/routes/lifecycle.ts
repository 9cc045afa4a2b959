/**
 * POST /v1/runs/{id}/promote and POST /v1/rollback (admin keys): the store's single-transaction promotion and
 * rollback (with their gates and audit entries), then a refresh of this server's snapshot before answering, so the
 * caller's next read already sees the new calibration (other servers notice within their poll period).
 *
 * Promotion gates: the API passes the gates the pipeline recorded in the run summary (`summary.gates`, an array of
 * `{ name, passed, detail? }`); a failed gate or a partial run needs a `reason`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getRun, promoteRun, rollbackCalibration } from '../../store/index.ts';
import type { LifecycleResult, PromotionGate, RunRecord } from '../../store/index.ts';
import { actorOf } from '../auth/permissions.ts';
import type { CalibrationSnapshot } from '../calibration/snapshot.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import { LifecycleResponseSchema, PromoteBodySchema, RollbackBodySchema, RunParamsSchema } from '../schemas/runs.ts';
import type { FastifyBaseLogger } from 'fastify';
import '../fastifyTypes.ts';

/** The promotion gates recorded in a run's summary (`summary.gates`), or none. */
export function recordedGates(run: RunRecord): PromotionGate[] {
  const gates = (run.summary as { gates?: unknown } | null)?.gates;
  if (!Array.isArray(gates)) return [];
  return gates
    .filter((g): g is { name: string; passed: boolean; detail?: unknown } =>
      g !== null && typeof g === 'object' && typeof (g as { name?: unknown }).name === 'string' && typeof (g as { passed?: unknown }).passed === 'boolean')
    .map((g) => ({ name: g.name, passed: g.passed, ...(typeof g.detail === 'string' ? { detail: g.detail } : {}) }));
}

async function answer(runtime: ApiRuntime, result: LifecycleResult, log: FastifyBaseLogger) {
  let served: CalibrationSnapshot;
  try {
    served = await runtime.holder.refresh();
  } catch (e) {
    // the change is committed; this server keeps the old snapshot until a poll succeeds
    log.error({ err: e }, 'the calibration changed but this server could not load it yet');
    served = runtime.holder.current;
  }
  return {
    activeRunId: result.active.id,
    previousActiveRunId: result.previousActiveRunId,
    generation: result.generation,
    auditSeq: result.auditSeq,
    served: { runId: served.run?.id ?? null, generation: served.generation },
  };
}

/** The promote and rollback routes. */
export const lifecycleRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.post('/v1/runs/:id/promote', {
    config: { permission: 'calibration:promote' },
    schema: {
      summary: 'Make a finished run the active calibration',
      description: 'Refused with 409 when the run is not a finished candidate/partial run or the active run is not the expected one (default: the run\'s baseline); 422 when a gate failed and no reason is given.',
      tags: ['calibration'],
      params: RunParamsSchema,
      body: PromoteBodySchema,
      response: { 200: LifecycleResponseSchema, ...problemResponses(400, 403, 404, 409, 415, 422) },
    },
  }, async (request) => {
    const body = request.body ?? {};
    const run = await getRun(runtime.store, request.params.id);
    const result = await promoteRun(runtime.store, run.id, {
      actor: actorOf(request.principal!),
      gates: recordedGates(run),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
      ...(body.expectedActiveRunId === undefined ? {} : { expectedActiveRunId: body.expectedActiveRunId }),
    });
    request.log.info({ runId: run.id, generation: result.generation }, 'run promoted');
    return answer(runtime, result, request.log);
  });

  app.post('/v1/rollback', {
    config: { permission: 'calibration:promote' },
    schema: {
      summary: 'Re-activate the calibration the active run superseded',
      tags: ['calibration'],
      body: RollbackBodySchema,
      response: { 200: LifecycleResponseSchema, ...problemResponses(400, 403, 409, 415, 422) },
    },
  }, async (request) => {
    const body = request.body ?? {};
    const result = await rollbackCalibration(runtime.store, {
      actor: actorOf(request.principal!),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
      ...(body.expectedActiveRunId === undefined ? {} : { expectedActiveRunId: body.expectedActiveRunId }),
    });
    request.log.info({ activeRunId: result.active.id, generation: result.generation }, 'calibration rolled back');
    return answer(runtime, result, request.log);
  });
};
