/** GET /v1/accounts/{id}/margin: an account's margin under the active calibration (desk keys: own desk only). */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { accountMarginJson, visibleAccount } from '../calibration/accountView.ts';
import type { ApiRuntime } from '../runtime.ts';
import { AccountMarginSchema, AccountParamsSchema } from '../schemas/accounts.ts';
import { problemResponses } from '../schemas/common.ts';
import '../fastifyTypes.ts';

/** The account-margin route. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.get('/v1/accounts/:id/margin', {
    config: { permission: 'accounts:read' },
    schema: {
      summary: "An account's margin under the active calibration",
      description:
        'Initial and maintenance margin, collateral after haircuts, excess/deficit, the pre-incident figures and the change ' +
        'with its attribution, all from one snapshot of the active calibration. Desk keys see only their desk\'s accounts; ' +
        'any other account answers 404 exactly like a missing one.',
      tags: ['accounts'],
      params: AccountParamsSchema,
      response: { 200: AccountMarginSchema, ...problemResponses(403, 404, 422, 503) },
    },
  }, async (request, reply) => {
    const snapshot = runtime.holder.current; // once, at the start: the whole answer comes from it
    const entry = visibleAccount(snapshot, request.principal!, request.params.id, request.log);
    // pre-serialised per snapshot (the schema above documents it; a string body bypasses the serializer)
    return (reply as FastifyReply).header('content-type', 'application/json; charset=utf-8').send(accountMarginJson(entry, snapshot));
  });
};
