/**
 * The market reads: GET /v1/surfaces/{underlying}, GET /v1/correlation, GET /v1/scenarios. They read the store for
 * the run of the snapshot taken at the request's start (so the answer is wholly that run's), or for `?run=<id>`
 * when the key may read runs (analyst, admin; a desk key asking for another run gets 403).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findRun, getCorrelation, getSurface, listScenarioSets } from '../../store/index.ts';
import { roleMay, type Principal } from '../auth/permissions.ts';
import { requireCalibration } from '../calibration/accountView.ts';
import type { CalibrationSnapshot } from '../calibration/snapshot.ts';
import { ApiProblem } from '../problem.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import { CorrelationSchema, RunQuerySchema, ScenarioSetsSchema, SurfaceParamsSchema, SurfaceSchema } from '../schemas/market.ts';
import '../fastifyTypes.ts';

/** The run a market read is for, and the generation to report (null for an explicit run). */
async function sourceRun(runtime: ApiRuntime, snapshot: CalibrationSnapshot, principal: Principal, run: string | undefined): Promise<{ runId: string; generation: number | null }> {
  if (run === undefined) return { runId: requireCalibration(snapshot).run.id, generation: snapshot.generation };
  if (!roleMay(principal.role, 'runs:read')) throw new ApiProblem('forbidden', `a ${principal.role} key reads the active run only (no ?run=)`);
  if ((await findRun(runtime.store, run)) === null) throw new ApiProblem('not-found', `run "${run}" not found`);
  return { runId: run, generation: null };
}

/** The market-read routes. */
export const marketRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.get('/v1/surfaces/:underlying', {
    config: { permission: 'market:read' },
    schema: {
      summary: 'The fitted volatility surface of an underlying',
      tags: ['market'],
      params: SurfaceParamsSchema,
      querystring: RunQuerySchema,
      response: { 200: SurfaceSchema, ...problemResponses(403, 404, 422, 503) },
    },
  }, async (request) => {
    const snapshot = runtime.holder.current;
    const src = await sourceRun(runtime, snapshot, request.principal!, request.query.run);
    const s = await getSurface(runtime.store, src.runId, request.params.underlying);
    if (s === null) throw new ApiProblem('not-found', `run ${src.runId} has no surface for "${request.params.underlying}"`);
    return { ...src, underlying: s.underlying, model: s.model, parameters: s.parameters };
  });

  app.get('/v1/correlation', {
    config: { permission: 'market:read' },
    schema: {
      summary: 'The correlation matrix of the calibration',
      tags: ['market'],
      querystring: RunQuerySchema,
      response: { 200: CorrelationSchema, ...problemResponses(403, 404, 422, 503) },
    },
  }, async (request) => {
    const snapshot = runtime.holder.current;
    const src = await sourceRun(runtime, snapshot, request.principal!, request.query.run);
    const c = await getCorrelation(runtime.store, src.runId);
    if (c === null) throw new ApiProblem('not-found', `run ${src.runId} has no correlation matrix`);
    const n = c.assets.length;
    const matrix = Array.from({ length: n }, (_, i) => Array.from(c.matrix.subarray(i * n, (i + 1) * n), (v) => (Number.isFinite(v) ? v : null)));
    return { ...src, assets: [...c.assets], matrix, details: c.details };
  });

  app.get('/v1/scenarios', {
    config: { permission: 'market:read' },
    schema: {
      summary: 'The scenario sets of the calibration (definitions, without their numeric arrays)',
      tags: ['market'],
      querystring: RunQuerySchema,
      response: { 200: ScenarioSetsSchema, ...problemResponses(403, 404, 422, 503) },
    },
  }, async (request) => {
    const snapshot = runtime.holder.current;
    const src = await sourceRun(runtime, snapshot, request.principal!, request.query.run);
    const sets = await listScenarioSets(runtime.store, src.runId);
    return { ...src, sets: sets.map((s) => ({ setId: s.setId, kind: s.kind, scenarioCount: s.scenarioCount, definition: s.definition })) };
  });
};
