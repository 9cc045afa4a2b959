/** Schemas of the schedule routes. Cron expressions are evaluated in UTC; times ISO 8601 UTC. */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, Nullable } from './common.ts';

/** Request body of POST /v1/schedules. */
export const ScheduleBodySchema = Type.Object(
  {
    id: Type.Optional(IdSchema),
    cron: Type.String({ minLength: 9, maxLength: 120, description: 'Cron expression of 5 fields (or 6 with seconds first), UTC' }),
    jobKind: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', description: "Job kind, e.g. 'stress' or 'recalibrate' (its payload is then a run request of names)" }),
    payload: Type.Optional(Type.Unknown({ description: 'JSON job payload (default {})' })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** The schedule request body. */
export type ScheduleBody = Static<typeof ScheduleBodySchema>;

/** A stored schedule with its next firing (ISO 8601 UTC). */
export const ScheduleSchema = Type.Object(
  {
    id: Type.String(),
    cron: Type.String(),
    jobKind: Type.String(),
    payload: Type.Unknown(),
    enabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    lastFiredAt: Nullable(Type.String({ format: 'date-time' })),
    nextRunAt: Nullable(Type.String({ format: 'date-time', description: 'Next firing after now, UTC (null: never)' })),
  },
  { title: 'Schedule' },
);
/** The schedule response body. */
export type Schedule = Static<typeof ScheduleSchema>;

/** Every schedule, by id. */
export const ScheduleListSchema = Type.Object({ schedules: Type.Array(ScheduleSchema) }, { title: 'ScheduleList' });

/** Path parameters: the schedule id. */
export const ScheduleParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
