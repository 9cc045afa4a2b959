/**
 * pg-boss settings without a database: the shard queue's retry options, the schema check, and which PostgreSQL
 * errors count as two processes creating pg-boss's schema or queues at once (retried by startBoss and the worker).
 */
import { describe, expect, it } from 'vitest';
import { BatchInputError, checkBossSchema, isCreationRace, shardQueueOptions, startBoss } from '../../../src/jobs/batch/index.ts';

describe('pg-boss settings', () => {
  it('retries deadlocks and duplicate-object races only', () => {
    for (const code of ['40P01', '23505', '42P07', '42710', '40001']) expect(isCreationRace(Object.assign(new Error('x'), { code }))).toBe(true);
    for (const e of [new Error('deadlock detected'), Object.assign(new Error('x'), { code: '28P01' }), Object.assign(new Error('x'), { code: 40001 }), null, undefined, 'x']) {
      expect(isCreationRace(e)).toBe(false);
    }
  });

  it('checks the schema and the URL before connecting', async () => {
    expect(checkBossSchema('aftershock_boss')).toBe('aftershock_boss');
    expect(() => checkBossSchema('a; drop table x')).toThrow(BatchInputError);
    await expect(startBoss({ url: '/tmp/store.db' })).rejects.toMatchObject({ field: 'db' });
    expect(shardQueueOptions({ url: 'postgres://x', retryLimit: 2, retryDelaySeconds: 3 })).toEqual({ retryLimit: 2, retryDelay: 3, retryBackoff: true, expireInSeconds: 300 });
  });
});
