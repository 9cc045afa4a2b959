/**
 * The API as a fastify plugin (DESIGN.md §8): register it on any fastify 5 instance (buildApp does so on a fresh
 * one). It loads the active calibration before it completes (so the first request is served from it), starts
 * polling the store's active pointer, and stops polling when the instance closes; it never closes the store.
 *
 * Layout: public routes (/health, OpenAPI + Swagger UI at /docs) at its root; every /v1 route and /metrics in a child
 * context behind the authentication hook (with its per-address budget of failed authentications) and the per-key
 * rate limit. Errors of every route, unknown routes included, are application/problem+json. Request bodies are
 * validated by TypeBox schemas without coercion.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { authenticationHook } from './auth/authenticate.ts';
import { PERMISSIONS } from './auth/permissions.ts';
import { handleError, sendProblem } from './errorHandler.ts';
import { ApiProblem } from './problem.ts';
import { accountRoutes } from './routes/accounts.ts';
import { healthRoutes, metricsRoutes } from './routes/health.ts';
import { lifecycleRoutes } from './routes/lifecycle.ts';
import { marketRoutes } from './routes/market.ts';
import { runRoutes } from './routes/runs.ts';
import { scheduleRoutes } from './routes/schedules.ts';
import { stressBatchRoutes } from './routes/stressBatches.ts';
import { stressTestRoutes } from './routes/stressTests.ts';
import { whatIfRoutes } from './routes/whatIf.ts';
import { createApiRuntime, type ApiOptions, type ApiRuntime } from './runtime.ts';
import { RateLimitStore } from './rateLimitStore.ts';
import { ProblemSchema } from './schemas/common.ts';
import { typeBoxValidator } from './validation.ts';
import './fastifyTypes.ts';

/** Options of {@link aftershockApi}: the API options, or a runtime built from them (buildApp passes one). */
export type AftershockApiOptions = ApiOptions & { readonly runtime?: ApiRuntime };

/** The API's version as shown in the OpenAPI document. */
export const API_VERSION = '1.0.0';

function recordMetrics(runtime: ApiRuntime) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    runtime.metrics.requests.inc({ method, route, status: String(reply.statusCode) });
    runtime.metrics.duration.observe(reply.elapsedTime / 1000, { method, route });
    done();
  };
}

/** The API plugin (see the module comment). */
export const aftershockApi: FastifyPluginAsync<AftershockApiOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const runtime = options.runtime ?? createApiRuntime(options);
  runtime.log.error = (obj, msg) => app.log.error(obj, msg);
  runtime.log.info = (obj, msg) => app.log.info(obj, msg);

  app.setValidatorCompiler(typeBoxValidator);
  app.removeContentTypeParser('text/plain'); // request bodies are JSON only (415 otherwise)
  app.addSchema(ProblemSchema);
  app.decorateRequest('principal', null);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new ApiProblem('not-found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`)));
  app.addHook('onResponse', recordMetrics(runtime));

  if (runtime.docs) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Aftershock risk-desk API',
          version: API_VERSION,
          description:
            'Margins of the active calibration, what-if margins, market reads, runs, promotion and rollback. Money in USD ' +
            '(fields ending in Usd); P&L positive for a gain; margins non-negative. Errors are application/problem+json.',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `aftershock keys create`' } } },
        security: [{ bearer: [] }],
        tags: [
          { name: 'accounts' }, { name: 'margin' }, { name: 'market' }, { name: 'runs' }, { name: 'calibration' },
          { name: 'batches' }, { name: 'schedules' }, { name: 'operations' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  await runtime.holder.refresh();
  runtime.holder.startPolling();
  app.addHook('onClose', async () => {
    await runtime.holder.stopPolling();
    if (runtime.ownsBatches) await runtime.batches?.close();
  });

  await app.register(healthRoutes, { runtime });
  await app.register(async (v1) => {
    // fail closed: every route behind the key check names the permission it needs (auth/permissions.ts)
    v1.addHook('onRoute', (route) => {
      const permission = (route.config as { permission?: unknown } | undefined)?.permission;
      if (typeof permission !== 'string' || !(PERMISSIONS as readonly string[]).includes(permission)) {
        throw new Error(`route ${String(route.method)} ${route.url} declares no valid permission in its config`);
      }
    });
    v1.addHook('onRequest', authenticationHook(runtime));
    if (runtime.rateLimit !== false) {
      const limit = runtime.rateLimit;
      await v1.register(rateLimit, {
        global: true,
        // our store: the plugin's LocalStore miscounts same-tick bursts (see rateLimitStore.ts)
        store: RateLimitStore as unknown as FastifyRateLimitStoreCtor,
        max: limit.max,
        timeWindow: limit.timeWindowMs,
        // the key check runs first, so every request reaching the limiter has a principal; the ip branch is a
        // fallback only (failed authentications are budgeted per address by the key check: authFailureBudget.ts)
        keyGenerator: (request) => (request.principal === null ? `ip:${request.ip}` : `key:${request.principal.keyId}`),
        errorResponseBuilder: (_request, context) => {
          runtime.metrics.rateLimited.inc();
          return new ApiProblem('rate-limited', `at most ${context.max} requests per ${limit.timeWindowMs / 1000} s per key; retry in ${context.after}`);
        },
      });
    }
    for (const routes of [accountRoutes, whatIfRoutes, marketRoutes, runRoutes, lifecycleRoutes, stressTestRoutes, stressBatchRoutes, scheduleRoutes, metricsRoutes]) {
      await v1.register(routes, { runtime });
    }
  });
};
