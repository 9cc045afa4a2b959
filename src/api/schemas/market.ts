/** Schemas of the market reads: surfaces, correlation, scenario sets (of the active run, or of `?run=` for analysts). */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, Nullable } from './common.ts';

/** Query of the market reads: an optional run id (analyst and admin keys). */
export const RunQuerySchema = Type.Object(
  { run: Type.Optional(IdSchema) },
  { additionalProperties: false, description: 'run: read this run instead of the active one (analyst and admin keys)' },
);

const Source = {
  runId: Type.String(),
  generation: Nullable(Type.Integer({ description: 'Snapshot generation when the active run answered; null for ?run=' })),
};

/** Path parameters: the underlying code, e.g. BTC. */
export const SurfaceParamsSchema = Type.Object({ underlying: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' }) }, { additionalProperties: false });

/** A run's fitted volatility surface of one underlying (parameters as the run stored them). */
export const SurfaceSchema = Type.Object(
  {
    ...Source,
    underlying: Type.String(),
    model: Type.String({ description: "The surface model, e.g. 'svi' or 'essvi'" }),
    parameters: Type.Unknown({ description: 'Model parameters as stored by the run (per-expiry parameters, fit diagnostics)' }),
  },
  { title: 'Surface' },
);
/** The surface response body. */
export type Surface = Static<typeof SurfaceSchema>;

/** A run's correlation matrix as nested arrays (row i, column j), with the estimator details. */
export const CorrelationSchema = Type.Object(
  {
    ...Source,
    assets: Type.Array(Type.String()),
    matrix: Type.Array(Type.Array(Nullable(Type.Number())), { description: 'Row i, column j: correlation of assets[i] and assets[j]' }),
    details: Type.Unknown({ description: 'Estimator, shrinkage, repair distance, window' }),
  },
  { title: 'Correlation' },
);
/** The correlation response body. */
export type Correlation = Static<typeof CorrelationSchema>;

/** A run's scenario sets (definitions only). */
export const ScenarioSetsSchema = Type.Object(
  {
    ...Source,
    sets: Type.Array(
      Type.Object({ setId: Type.String(), kind: Type.String(), scenarioCount: Type.Integer(), definition: Type.Unknown() }),
    ),
  },
  { title: 'ScenarioSets' },
);
/** The scenario-sets response body. */
export type ScenarioSets = Static<typeof ScenarioSetsSchema>;
