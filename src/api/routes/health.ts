/**
 * GET /health (public: no key): whether this server has a calibration loaded and whether it is current with the
 * store's active pointer. 200 when a snapshot is loaded (status `ok`, or `degraded` when the last refresh failed and
 * the pointer moved on), 503 before the first successful load. No run ids or account data.
 * GET /metrics (analyst and admin keys): the Prometheus text exposition.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/registry.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import '../fastifyTypes.ts';

const HealthSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('starting')]),
    calibration: Type.Object({
      active: Type.Boolean({ description: 'Whether a calibration is active (and loaded)' }),
      generation: Type.Integer(),
      stale: Type.Boolean({ description: "The store's active pointer is ahead of the served snapshot" }),
      ageSeconds: Type.Number({ description: 'Since the snapshot was loaded' }),
    }),
    uptimeSeconds: Type.Number(),
  },
  { title: 'Health' },
);

/** The public health route. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.get('/health', {
    config: { permission: 'public' },
    schema: { summary: 'Liveness and calibration freshness (no key needed)', tags: ['operations'], security: [], response: { 200: HealthSchema, 503: HealthSchema } },
  }, async (_request, reply) => {
    const s = runtime.holder.current;
    const now = runtime.clock();
    const loaded = s.generation >= 0;
    const stale = runtime.holder.stale;
    return reply.code(loaded ? 200 : 503).send({
      status: !loaded ? 'starting' as const : stale ? 'degraded' as const : 'ok' as const,
      calibration: { active: s.run !== null, generation: s.generation, stale, ageSeconds: Math.max(0, (now - s.loadedAt) / 1000) },
      uptimeSeconds: Math.max(0, (now - runtime.startedAt) / 1000),
    });
  });
};

/** The metrics route (behind the key check). */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.get('/metrics', {
    config: { permission: 'metrics:read' },
    schema: {
      summary: 'Prometheus metrics (text exposition 0.0.4)',
      tags: ['operations'],
      produces: ['text/plain'],
      response: { 200: { description: 'Metrics', content: { 'text/plain': { schema: Type.String() } } }, ...problemResponses(403) },
    },
  }, async (_request, reply) => reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(runtime.metrics.registry.expose()));
};
