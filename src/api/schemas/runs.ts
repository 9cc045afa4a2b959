/** Schemas of the run routes: list, status, start, report, promote, rollback. Times ISO 8601 UTC. */
import { Type, type Static } from '@sinclair/typebox';
import { RUN_STATUSES } from '../../store/index.ts';
import type { RunRecord } from '../../store/index.ts';
import { IdSchema, Nullable } from './common.ts';

const Status = Type.Union(RUN_STATUSES.map((s) => Type.Literal(s)));
const Time = Nullable(Type.String({ format: 'date-time' }));

const RunFields = {
  id: Type.String(),
  kind: Type.String(),
  incidentId: Nullable(Type.String()),
  status: Status,
  stage: Nullable(Type.String({ description: 'Current or last stage of the pipeline' })),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  active: Type.Boolean({ description: 'Whether this run is the active calibration now' }),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Time,
  heartbeatAt: Time,
  finishedAt: Time,
  promotedAt: Time,
  supersededAt: Time,
  error: Nullable(Type.String()),
  objectFailureCount: Type.Integer({ minimum: 0 }),
  baselineRunId: Nullable(Type.String()),
  previousActiveRunId: Nullable(Type.String()),
};

/** A run as listed: status, stage, progress, times (ISO 8601 UTC), lineage. */
export const RunListItemSchema = Type.Object(RunFields, { title: 'RunListItem' });
/** A listed run. */
export type RunListItem = Static<typeof RunListItemSchema>;

/** A run in full: the list fields plus provenance (code version, seed, input hashes, model versions), failures and summary. */
export const RunSchema = Type.Object(
  {
    ...RunFields,
    codeVersion: Type.String(),
    seed: Type.Union([Type.String(), Type.Number()]),
    inputHashes: Type.Record(Type.String(), Type.String()),
    modelVersions: Type.Record(Type.String(), Type.String()),
    objectFailures: Type.Array(Type.Object({ stage: Type.String(), object: Type.String(), reason: Type.String() })),
    summary: Type.Unknown({ description: 'The run summary as stored by the pipeline (shadow comparison, gates, output hashes)' }),
  },
  { title: 'Run' },
);
/** The run response body. */
export type Run = Static<typeof RunSchema>;

/** The run list, newest first. */
export const RunListSchema = Type.Object({ runs: Type.Array(RunListItemSchema) }, { title: 'RunList' });

/** Query of the run list: status filter and limit (1-500, default 50). */
export const RunsQuerySchema = Type.Object(
  {
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Default 50' })),
  },
  { additionalProperties: false },
);

/** Path parameters: the run id. */
export const RunParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });

const InputName = Type.String({ minLength: 1, maxLength: 128, description: 'A NAME resolved by the launcher inside its configured input roots, never a path' });

/** Request body of POST /v1/runs: input NAMES (never paths). */
export const StartRunBodySchema = Type.Object(
  { incident: InputName, market: Type.Optional(InputName), portfolios: Type.Optional(InputName), models: Type.Optional(InputName) },
  { additionalProperties: false },
);

/** The 202 answer of POST /v1/runs. */
export const StartRunResponseSchema = Type.Object({
  runId: Type.String(),
  status: Type.Literal('running'),
  location: Type.String({ description: 'Where to follow the run (GET)' }),
});

/** Query of the report route: json or html. */
export const ReportQuerySchema = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'Overrides the Accept header' })) },
  { additionalProperties: false },
);

/** Request body of a promotion (optional): reason and the active run expected now. */
export const PromoteBodySchema = Nullable(
  Type.Object(
    {
      reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Required when a gate failed or the run is partial; audited' })),
      expectedActiveRunId: Type.Optional(Nullable(IdSchema)),
    },
    { additionalProperties: false },
  ),
);

/** Request body of a rollback (optional): reason and the active run expected now. */
export const RollbackBodySchema = Nullable(
  Type.Object(
    {
      reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
      expectedActiveRunId: Type.Optional(IdSchema),
    },
    { additionalProperties: false },
  ),
);

/** What a promotion or rollback did, and the snapshot this server serves afterwards. */
export const LifecycleResponseSchema = Type.Object(
  {
    activeRunId: Type.String(),
    previousActiveRunId: Nullable(Type.String()),
    generation: Type.Integer({ description: 'Active-pointer generation after the change' }),
    auditSeq: Type.Integer(),
    served: Type.Object(
      { runId: Nullable(Type.String()), generation: Type.Integer() },
      { description: 'The snapshot this server serves after the change' },
    ),
  },
  { title: 'LifecycleResult' },
);

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The list form of a run. */
export function runListItem(r: RunRecord): RunListItem {
  return {
    id: r.id,
    kind: r.kind,
    incidentId: r.incidentId,
    status: r.status,
    stage: r.stage,
    progress: r.progress,
    active: r.status === 'active',
    createdAt: new Date(r.createdAt).toISOString(),
    startedAt: iso(r.startedAt),
    heartbeatAt: iso(r.heartbeatAt),
    finishedAt: iso(r.finishedAt),
    promotedAt: iso(r.promotedAt),
    supersededAt: iso(r.supersededAt),
    error: r.error,
    objectFailureCount: r.objectFailures.length,
    baselineRunId: r.baselineRunId,
    previousActiveRunId: r.previousActiveRunId,
  };
}

/** The detailed form of a run. */
export function runDetail(r: RunRecord): Run {
  return {
    ...runListItem(r),
    codeVersion: r.codeVersion,
    seed: r.seed,
    inputHashes: { ...r.inputHashes },
    modelVersions: { ...r.modelVersions },
    objectFailures: r.objectFailures.map((f) => ({ stage: f.stage, object: f.object, reason: f.reason })),
    summary: r.summary,
  };
}
