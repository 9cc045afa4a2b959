/** Schemas of GET /v1/accounts/{id}/margin. USD; P&L positive for a gain; margins >= 0. */
import { Type, type Static } from '@sinclair/typebox';
import { CalibrationRefSchema, ComponentsSchema, IdSchema, Nullable, ScenarioPnlSchema } from './common.ts';

/** Path parameters: the account id. */
export const AccountParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });

/** An account's margin under the active calibration, with its attribution. */
export const AccountMarginSchema = Type.Object(
  {
    accountId: Type.String(),
    desk: Type.String(),
    ...CalibrationRefSchema,
    currency: Type.Literal('USD'),
    initialMarginUsd: Type.Number({ minimum: 0 }),
    maintenanceMarginUsd: Type.Number({ minimum: 0 }),
    collateralValueUsd: Type.Number({ description: 'Collateral after haircuts' }),
    excessUsd: Type.Number({ description: 'Collateral - initial margin (negative: deficit)' }),
    deficitUsd: Type.Number({ minimum: 0, description: 'max(0, initial margin - collateral)' }),
    marginCallUsd: Nullable(Type.Number({ minimum: 0 })),
    attributionFormat: Nullable(Type.Integer({ description: 'Format of the stored attribution; null when none was stored' })),
    preIncident: Nullable(Type.Object({ initialMarginUsd: Type.Number(), maintenanceMarginUsd: Type.Number() })),
    change: Nullable(
      Type.Object({
        totalUsd: Type.Number({ description: 'Initial margin now - pre-incident' }),
        effects: Type.Array(Type.Object({ name: Type.String(), amountUsd: Type.Number() }), { description: 'Sum to totalUsd' }),
        order: Type.Array(Type.String(), { description: 'Order in which the effects were switched on' }),
      }),
    ),
    worstScenario: Nullable(ScenarioPnlSchema),
    drivers: Type.Array(Type.Object({ instrument: Type.String(), quantity: Type.Number(), pnlUsd: Type.Number() }), {
      description: 'Positions driving the worst scenario',
    }),
    components: Nullable(ComponentsSchema),
    positions: Type.Array(Type.Object({ instrument: Type.String(), quantity: Type.Number() }), { description: "The account's book" }),
  },
  { title: 'AccountMargin' },
);
/** The account-margin response body (USD). */
export type AccountMargin = Static<typeof AccountMarginSchema>;
