/**
 * Shared TypeBox schemas: the problem body, positions, scenario P&L, margin components, ids. Money in USD (field
 * names end in `Usd`); P&L positive for a gain; margins >= 0; times ISO 8601 UTC.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { PROBLEM_KINDS } from '../problem.ts';

/** RFC 9457 problem details as the API sends them (media type application/problem+json). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URN of the problem kind, urn:aftershock:problem:<kind>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong, for the caller; names the offending field where there is one' }),
    instance: Type.String({ description: 'The request path' }),
    requestId: Type.String({ description: 'Quote it when reporting a problem: it finds the server log line' }),
    errors: Type.Optional(Type.Array(Type.Object({ in: Type.String(), field: Type.String(), reason: Type.String() }))),
  },
  { $id: 'Problem', title: 'Problem' },
);

const DESCRIPTIONS: Readonly<Record<number, string>> = Object.fromEntries(
  Object.values(PROBLEM_KINDS).map((k) => [k.status, k.title]),
);

/** A response documented per media type (fastify 5's `content` form). */
export interface ContentResponse {
  readonly description: string;
  readonly content: Readonly<Record<string, { readonly schema: TSchema }>>;
}

/**
 * Response entries for the given error statuses plus 401, 429 and 500 (for the OpenAPI document; problem bodies are
 * sent pre-serialised as application/problem+json).
 */
export function problemResponses(...statuses: number[]): Record<number, ContentResponse> {
  const out: Record<number, ContentResponse> = {};
  for (const s of [401, 429, 500, ...statuses]) {
    out[s] = { description: DESCRIPTIONS[s] ?? 'Problem', content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } } };
  }
  return out;
}

/** Largest absolute position size accepted (units of the instrument). */
export const MAX_QUANTITY = 1e12;

/** An identifier in a path or body: 1-128 characters without whitespace, control characters or slashes. */
export const IdSchema = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/\\\\\\u0000-\\u001f\\u007f]+$' });

/** One position: instrument id (a row of the run's P&L matrix) and signed quantity. */
export const PositionSchema = Type.Object(
  {
    instrument: Type.String({ minLength: 1, maxLength: 64, description: 'Instrument id, e.g. BTC-27MAR26-90000-C, BTC-PERPETUAL' }),
    quantity: Type.Number({ minimum: -MAX_QUANTITY, maximum: MAX_QUANTITY, description: 'Signed quantity, units of the instrument (negative = short)' }),
  },
  { additionalProperties: false },
);

/** One scenario's P&L, USD (negative = loss). */
export const ScenarioPnlSchema = Type.Object({ id: Type.String(), pnlUsd: Type.Number() });

/** The parts of an initial margin, USD. */
export const ComponentsSchema = Type.Object({
  esMporUsd: Type.Number({ description: 'Expected shortfall at the margin period of risk' }),
  apcMarginUsd: Type.Number({ description: 'The ES margin after anti-procyclicality' }),
  liquidityAddOnUsd: Type.Number(),
  concentrationAddOnUsd: Type.Number(),
  incidentAddOnUsd: Type.Number({ description: 'Incident residual-risk add-on' }),
});

/** Net USD delta exposure per underlying. */
export const ExposureSchema = Type.Object({ underlying: Type.String(), exposureUsd: Type.Number() });

/** Which calibration answered: the active run and the pointer generation of the snapshot. */
export const CalibrationRefSchema = {
  runId: Type.String({ description: 'The active run that answered' }),
  generation: Type.Integer({ description: 'Active-calibration generation of the snapshot that answered' }),
};

/** `T | null`. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
