/**
 * POST /v1/margin/what-if: the margin of a posted portfolio under the active calibration, from its stored
 * instrument x scenario matrix (milliseconds: the model is compiled and the matrix held once per snapshot). With
 * `accountId` the positions are added to that account's stored book and the answer includes the account's current
 * margin and the difference (desk keys: own desk only, any other account is a 404).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RiskInputError } from '../../risk/index.ts';
import type { ScenarioPosition } from '../../risk/index.ts';
import { visibleAccount } from '../calibration/accountView.ts';
import { portfolioMargin, type PortfolioMargin } from '../margin/portfolioMargin.ts';
import { requireEngine } from '../margin/requireEngine.ts';
import { ApiProblem, invalidField } from '../problem.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import { WhatIfBodySchema, WhatIfResponseSchema, type WhatIfResponse } from '../schemas/margin.ts';
import '../fastifyTypes.ts';

/** The what-if route. */
export const whatIfRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.post('/v1/margin/what-if', {
    config: { permission: 'margin:what-if' },
    schema: {
      summary: 'Margin of a posted portfolio (optionally added to an account) under the active calibration',
      tags: ['margin'],
      body: WhatIfBodySchema,
      response: { 200: WhatIfResponseSchema, ...problemResponses(400, 403, 404, 413, 415, 422, 503) },
    },
  }, async (request): Promise<WhatIfResponse> => {
    const snapshot = runtime.holder.current;
    const { engine, calibration } = requireEngine(snapshot, request.log);
    const body = request.body;
    const posted: readonly ScenarioPosition[] = body.positions;
    let positions = posted;
    let account: WhatIfResponse['account'] = null;
    const entry = body.accountId === undefined ? null : visibleAccount(snapshot, request.principal!, body.accountId, request.log);
    if (entry !== null) {
      if (entry.attribution === null) throw invalidField('accountId', 'the account has no stored positions in the active calibration');
      positions = [...posted, ...entry.attribution.positions];
    }
    let m: PortfolioMargin;
    try {
      m = portfolioMargin(engine, positions, body.worst ?? 5);
    } catch (e) {
      const index = e instanceof RiskInputError ? /^positions\[(\d+)\]/.exec(e.field) : null;
      if (index !== null && Number(index[1]) >= posted.length) {
        request.log.error({ accountId: body.accountId, runId: calibration.runId, err: e }, "the account's stored book does not match the P&L matrix");
        throw new ApiProblem('internal', "the account's stored book cannot be margined; quote the requestId when reporting it");
      }
      throw e;
    }
    if (entry !== null) {
      const r = entry.record;
      account = {
        accountId: r.accountId,
        desk: r.desk,
        storedPositions: entry.attribution?.positions.length ?? 0,
        current: { initialMarginUsd: r.initialMargin, maintenanceMarginUsd: r.maintenanceMargin, collateralValueUsd: r.collateralValue, excessUsd: r.excess },
        difference: { initialMarginUsd: m.initialMarginUsd - r.initialMargin, maintenanceMarginUsd: m.maintenanceMarginUsd - r.maintenanceMargin },
        excessAfterUsd: r.collateralValue - m.initialMarginUsd,
      };
    }
    return {
      runId: calibration.runId,
      generation: snapshot.generation,
      scenarioCount: engine.cols,
      initialMarginUsd: m.initialMarginUsd,
      maintenanceMarginUsd: m.maintenanceMarginUsd,
      components: m.components,
      exposures: [...m.exposures],
      worstScenarios: [...m.worstScenarios],
      account,
    };
  });
};
