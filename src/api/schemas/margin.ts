/** Schemas of POST /v1/margin/what-if and POST /v1/stress-tests. USD; P&L positive for a gain; margins >= 0. */
import { Type, type Static } from '@sinclair/typebox';
import { CalibrationRefSchema, ComponentsSchema, ExposureSchema, IdSchema, Nullable, PositionSchema, ScenarioPnlSchema } from './common.ts';

/** Most positions in one posted portfolio. */
export const MAX_POSITIONS = 1000;

/** Request body of the what-if margin: 1-1000 positions, optionally added to a stored account. */
export const WhatIfBodySchema = Type.Object(
  {
    positions: Type.Array(PositionSchema, { minItems: 1, maxItems: MAX_POSITIONS }),
    accountId: Type.Optional(IdSchema),
    worst: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, description: 'How many worst scenarios to list (default 5)' })),
  },
  { additionalProperties: false, description: 'With accountId, the positions are added to that account\'s stored book (a hedge what-if).' },
);
/** The what-if request body. */
export type WhatIfBody = Static<typeof WhatIfBodySchema>;

const MarginFigures = {
  initialMarginUsd: Type.Number({ minimum: 0 }),
  maintenanceMarginUsd: Type.Number({ minimum: 0 }),
  components: ComponentsSchema,
  exposures: Type.Array(ExposureSchema),
  worstScenarios: Type.Array(ScenarioPnlSchema, { description: 'Lowest-P&L scenarios of the portfolio, worst first' }),
};

/** The what-if margin (USD), with the account comparison when accountId was given. */
export const WhatIfResponseSchema = Type.Object(
  {
    ...CalibrationRefSchema,
    scenarioCount: Type.Integer(),
    ...MarginFigures,
    account: Nullable(
      Type.Object({
        accountId: Type.String(),
        desk: Type.String(),
        storedPositions: Type.Integer({ description: 'Positions of the stored book the posted ones were added to' }),
        current: Type.Object({
          initialMarginUsd: Type.Number(),
          maintenanceMarginUsd: Type.Number(),
          collateralValueUsd: Type.Number(),
          excessUsd: Type.Number(),
        }),
        difference: Type.Object({ initialMarginUsd: Type.Number(), maintenanceMarginUsd: Type.Number() }, { description: 'What-if minus current' }),
        excessAfterUsd: Type.Number({ description: 'Collateral - what-if initial margin' }),
      }),
    ),
  },
  { title: 'WhatIfMargin' },
);
/** The what-if response body. */
export type WhatIfResponse = Static<typeof WhatIfResponseSchema>;

/** Most posted portfolios in one stress test. */
export const MAX_STRESS_PORTFOLIOS = 100;
/** Most stored accounts in one stress test. */
export const MAX_STRESS_ACCOUNTS = 1000;

/** Request body of a stress test: posted portfolios and/or stored account ids. */
export const StressBodySchema = Type.Object(
  {
    portfolios: Type.Optional(
      Type.Array(
        Type.Object({ id: IdSchema, positions: Type.Array(PositionSchema, { minItems: 1, maxItems: MAX_POSITIONS }) }, { additionalProperties: false }),
        { maxItems: MAX_STRESS_PORTFOLIOS },
      ),
    ),
    accountIds: Type.Optional(Type.Array(IdSchema, { maxItems: MAX_STRESS_ACCOUNTS, uniqueItems: true })),
    worst: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Worst scenarios per portfolio (default 5)' })),
  },
  { additionalProperties: false, description: 'At least one posted portfolio or stored account id.' },
);
/** The stress-test request body. */
export type StressBody = Static<typeof StressBodySchema>;

/** One portfolio of a stress test: its margin and worst scenarios (USD), or why it failed. */
export const StressResultSchema = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('posted'), Type.Literal('account')]),
  status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
  initialMarginUsd: Type.Optional(Type.Number()),
  maintenanceMarginUsd: Type.Optional(Type.Number()),
  components: Type.Optional(ComponentsSchema),
  worstScenarios: Type.Optional(Type.Array(ScenarioPnlSchema)),
  error: Type.Optional(Type.Object({ field: Type.String(), reason: Type.String() })),
});
/** One stress-test result. */
export type StressResult = Static<typeof StressResultSchema>;

/** The stress-test response: one result per portfolio, in request order. */
export const StressResponseSchema = Type.Object(
  {
    ...CalibrationRefSchema,
    scenarioCount: Type.Integer(),
    results: Type.Array(StressResultSchema, { description: 'Posted portfolios first, then stored accounts, in request order' }),
    failed: Type.Integer({ description: 'Results with status failed' }),
  },
  { title: 'StressTest' },
);
/** The stress-test response body. */
export type StressResponse = Static<typeof StressResponseSchema>;
