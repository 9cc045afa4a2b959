/**
 * Runs: POST /v1/runs (start a recalibration through the injected launcher: 202 with the run id; 503 when no
 * launcher is configured), GET /v1/runs (newest first), GET /v1/runs/{id} (status, stage, progress, provenance) and
 * GET /v1/runs/{id}/report (the stored JSON or HTML, by `?format=` or the Accept header, with an ETag).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { findRun, getRunReport, listRuns } from '../../store/index.ts';
import { actorOf } from '../auth/permissions.ts';
import { checkRecalibrationRequest, launcherFieldError, type RecalibrationRequest } from '../launcher.ts';
import { ApiProblem, invalidField } from '../problem.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import {
  ReportQuerySchema, RunListSchema, RunParamsSchema, RunSchema, RunsQuerySchema, StartRunBodySchema, StartRunResponseSchema,
  runDetail, runListItem,
} from '../schemas/runs.ts';
import '../fastifyTypes.ts';

type ReportFormat = 'json' | 'html';

/** q of the most specific range in `accept` matching `type/subtype` (-1 when none matches). */
function qualityOf(ranges: readonly { type: string; q: number }[], mime: string): { q: number; explicit: boolean } {
  const [major] = mime.split('/');
  let best = { q: -1, rank: -1 };
  for (const r of ranges) {
    const rank = r.type === mime ? 2 : r.type === `${major}/*` ? 1 : r.type === '*/*' ? 0 : -1;
    if (rank > best.rank) best = { q: r.q, rank };
  }
  return { q: best.q, explicit: best.rank === 2 };
}

/** The report format asked for: `format` wins; else content negotiation over json and html (json on a tie). */
export function reportFormat(format: ReportFormat | undefined, accept: string | undefined): ReportFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const qp = params.find((p) => p.startsWith('q='));
    const q = qp === undefined ? 1 : Number(qp.slice(2));
    return { type, q: Number.isFinite(q) ? q : 0 };
  });
  const json = qualityOf(ranges, 'application/json');
  const html = qualityOf(ranges, 'text/html');
  if (json.q <= 0 && html.q <= 0) throw new ApiProblem('not-acceptable', 'reports are available as application/json or text/html');
  if (html.q > json.q || (html.q === json.q && html.explicit && !json.explicit)) return 'html';
  return 'json';
}

/** The run routes. */
export const runRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.post('/v1/runs', {
    config: { permission: 'runs:start' },
    schema: {
      summary: 'Start a recalibration in the background',
      description: 'Inputs are NAMES resolved by the server inside its configured input roots; anything that looks like a path is refused (422).',
      tags: ['runs'],
      body: StartRunBodySchema,
      response: { 202: StartRunResponseSchema, ...problemResponses(400, 403, 413, 415, 422, 503) },
    },
  }, async (request, reply) => {
    const req: RecalibrationRequest = checkRecalibrationRequest(request.body);
    const launcher = runtime.launcher;
    if (launcher === null) throw new ApiProblem('unavailable', 'this server has no run launcher configured: start runs with `aftershock recalibrate`');
    let runId: string;
    try {
      ({ runId } = await launcher.start(req, actorOf(request.principal!)));
    } catch (e) {
      const fieldError = launcherFieldError(e);
      if (fieldError !== null) throw invalidField(fieldError.field, fieldError.message);
      throw e;
    }
    const location = `/v1/runs/${encodeURIComponent(runId)}`;
    request.log.info({ runId }, 'recalibration started');
    return reply.code(202).header('location', location).send({ runId, status: 'running' as const, location });
  });

  app.get('/v1/runs', {
    config: { permission: 'runs:read' },
    schema: {
      summary: 'Runs, newest first',
      tags: ['runs'],
      querystring: RunsQuerySchema,
      response: { 200: RunListSchema, ...problemResponses(403, 422) },
    },
  }, async (request) => {
    const { status, limit = 50 } = request.query;
    const runs = await listRuns(runtime.store, { ...(status === undefined ? {} : { status }), limit });
    return { runs: runs.map(runListItem) };
  });

  app.get('/v1/runs/:id', {
    config: { permission: 'runs:read' },
    schema: {
      summary: 'A run: status, stage, progress and provenance',
      tags: ['runs'],
      params: RunParamsSchema,
      response: { 200: RunSchema, ...problemResponses(403, 404, 422) },
    },
  }, async (request) => {
    const run = await findRun(runtime.store, request.params.id);
    if (run === null) throw new ApiProblem('not-found', `run "${request.params.id}" not found`);
    return runDetail(run);
  });

  app.get('/v1/runs/:id/report', {
    config: { permission: 'runs:read' },
    schema: {
      summary: "A run's report, JSON or HTML",
      description: 'format=json|html, else the Accept header (JSON on a tie). ETag is the SHA-256 of the stored JSON.',
      tags: ['runs'],
      params: RunParamsSchema,
      querystring: ReportQuerySchema,
      produces: ['application/json', 'text/html'],
      response: {
        200: {
          description: 'The report',
          content: { 'application/json': { schema: Type.Unknown() }, 'text/html': { schema: Type.String() } },
        },
        304: { description: 'Not modified (If-None-Match)', type: 'null' },
        ...problemResponses(403, 404, 406, 422),
      },
    },
  }, async (request, reply) => {
    const format = reportFormat(request.query.format, request.headers.accept);
    const report = await getRunReport(runtime.store, request.params.id);
    if (report === null) {
      const run = await findRun(runtime.store, request.params.id);
      throw new ApiProblem('not-found', run === null ? `run "${request.params.id}" not found` : `run "${request.params.id}" has no report (yet)`);
    }
    const etag = `"${report.sha256}${format === 'html' ? '-html' : ''}"`;
    reply.header('etag', etag).header('vary', 'Accept').header('x-content-type-options', 'nosniff');
    const inm = request.headers['if-none-match'];
    if (inm !== undefined && inm.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();
    return reply
      .header('content-type', format === 'html' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8')
      .send(format === 'html' ? report.html : report.json);
  });
};
