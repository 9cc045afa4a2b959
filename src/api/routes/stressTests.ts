/**
 * POST /v1/stress-tests: posted portfolios and/or stored accounts under the active calibration's scenarios: per
 * portfolio the margin and its worst scenarios, all from one snapshot. A portfolio that cannot be margined (an
 * instrument outside the calibration) or an account the caller cannot see is a failed result naming the reason,
 * not a failed request.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RiskInputError } from '../../risk/index.ts';
import { maySeeDesk } from '../auth/permissions.ts';
import { portfolioMargin } from '../margin/portfolioMargin.ts';
import type { MarginEngine } from '../calibration/snapshot.ts';
import { requireEngine } from '../margin/requireEngine.ts';
import { invalidField } from '../problem.ts';
import type { ApiRuntime } from '../runtime.ts';
import { problemResponses } from '../schemas/common.ts';
import { StressBodySchema, StressResponseSchema, type StressResponse, type StressResult } from '../schemas/margin.ts';
import type { ScenarioPosition } from '../../risk/index.ts';
import '../fastifyTypes.ts';

function stressOne(engine: MarginEngine, id: string, source: StressResult['source'], positions: readonly ScenarioPosition[], worst: number, fieldPrefix: string): StressResult {
  try {
    const m = portfolioMargin(engine, positions, worst);
    return {
      id, source, status: 'ok',
      initialMarginUsd: m.initialMarginUsd,
      maintenanceMarginUsd: m.maintenanceMarginUsd,
      components: m.components,
      worstScenarios: [...m.worstScenarios],
    };
  } catch (e) {
    if (!(e instanceof RiskInputError)) throw e;
    return { id, source, status: 'failed', error: { field: `${fieldPrefix}${e.field}`, reason: e.message.slice(e.field.length + 2) || e.message } };
  }
}

/** The stress-test route. */
export const stressTestRoutes: FastifyPluginAsyncTypebox<{ runtime: ApiRuntime }> = async (app, { runtime }) => {
  app.post('/v1/stress-tests', {
    config: { permission: 'stress:run' },
    schema: {
      summary: 'Margin and worst scenarios of posted portfolios or stored accounts under the active calibration',
      tags: ['margin'],
      body: StressBodySchema,
      response: { 200: StressResponseSchema, ...problemResponses(400, 403, 413, 415, 422, 503) },
    },
  }, async (request): Promise<StressResponse> => {
    const snapshot = runtime.holder.current;
    const { engine, calibration } = requireEngine(snapshot, request.log);
    const { portfolios = [], accountIds = [], worst = 5 } = request.body;
    if (portfolios.length === 0 && accountIds.length === 0) throw invalidField('portfolios', 'give at least one portfolio or account id');
    const principal = request.principal!;
    const results: StressResult[] = portfolios.map((p, i) => stressOne(engine, p.id, 'posted', p.positions, worst, `portfolios[${i}].`));
    for (const id of accountIds) {
      const entry = calibration.accounts.get(id);
      if (entry === undefined || !maySeeDesk(principal, entry.record.desk)) {
        results.push({ id, source: 'account', status: 'failed', error: { field: 'accountIds', reason: 'not in the active calibration' } });
      } else if (entry.malformed !== null || entry.attribution === null) {
        if (entry.malformed !== null) request.log.error({ accountId: id, reason: entry.malformed }, 'stored account margin is malformed');
        results.push({ id, source: 'account', status: 'failed', error: { field: 'accountIds', reason: 'no usable stored book in the active calibration' } });
      } else {
        const r = stressOne(engine, id, 'account', entry.attribution.positions, worst, 'stored.');
        if (r.status === 'failed') request.log.error({ accountId: id, error: r.error }, "the account's stored book does not match the P&L matrix");
        results.push(r.status === 'failed' ? { id, source: 'account', status: 'failed', error: { field: 'accountIds', reason: 'the stored book cannot be margined' } } : r);
      }
    }
    return {
      runId: calibration.runId,
      generation: snapshot.generation,
      scenarioCount: engine.cols,
      results,
      failed: results.filter((r) => r.status === 'failed').length,
    };
  });
};
